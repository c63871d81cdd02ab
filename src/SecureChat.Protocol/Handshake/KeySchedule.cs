using System.Security.Cryptography;
using SecureChat.Crypto;

namespace SecureChat.Protocol.Handshake;

/// <summary>Keys of the auth phase (protocol §4.2). Dispose zeroes them.</summary>
public sealed class AuthKeys : IDisposable
{
    internal AuthKeys(byte[] authSecret, byte[] clientToServer, byte[] serverToClient)
    {
        AuthSecret = authSecret;
        ClientToServer = clientToServer;
        ServerToClient = serverToClient;
    }

    /// <summary>HKDF-Extract(0^32, Z1); kept only until the chat keys are derived.</summary>
    public byte[] AuthSecret { get; }

    /// <summary>k_auth_c2s.</summary>
    public byte[] ClientToServer { get; }

    /// <summary>k_auth_s2c.</summary>
    public byte[] ServerToClient { get; }

    /// <summary>The key for <paramref name="direction"/>.</summary>
    public byte[] For(Direction direction) => direction == Direction.ClientToServer ? ClientToServer : ServerToClient;

    /// <inheritdoc/>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(AuthSecret);
        CryptographicOperations.ZeroMemory(ClientToServer);
        CryptographicOperations.ZeroMemory(ServerToClient);
    }
}

/// <summary>Keys of the chat phase (protocol §4.4). Dispose zeroes them.</summary>
public sealed class ChatKeys : IDisposable
{
    internal ChatKeys(byte[] clientToServer, byte[] serverToClient, byte[] sessionId)
    {
        ClientToServer = clientToServer;
        ServerToClient = serverToClient;
        SessionId = sessionId;
    }

    /// <summary>k_chat_c2s.</summary>
    public byte[] ClientToServer { get; }

    /// <summary>k_chat_s2c.</summary>
    public byte[] ServerToClient { get; }

    /// <summary>The first 16 bytes of TH2; public, it names the session.</summary>
    public byte[] SessionId { get; }

    /// <summary>The key for <paramref name="direction"/>.</summary>
    public byte[] For(Direction direction) => direction == Direction.ClientToServer ? ClientToServer : ServerToClient;

    /// <inheritdoc/>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(ClientToServer);
        CryptographicOperations.ZeroMemory(ServerToClient);
    }
}

/// <summary>The HKDF key schedule of protocol §4.2 and §4.4.</summary>
public static class KeySchedule
{
    /// <summary>Length of the session id.</summary>
    public const int SessionIdLength = 16;

    /// <summary>Derives k_auth from the first shared secret Z1 and TH1 = TH(dh_server auth).</summary>
    public static AuthKeys DeriveAuthKeys(ReadOnlySpan<byte> z1, ReadOnlySpan<byte> th1)
    {
        var authSecret = Kdf.Extract(stackalloc byte[Kdf.HashLength], z1);
        var c2s = Kdf.Expand(authSecret, Labels.WithZeroAndSuffix(Labels.KAuthC2S, th1), Aead.KeyLength);
        var s2c = Kdf.Expand(authSecret, Labels.WithZeroAndSuffix(Labels.KAuthS2C, th1), Aead.KeyLength);
        return new AuthKeys(authSecret, c2s, s2c);
    }

    /// <summary>Derives k_chat from auth_secret, the second shared secret Z2 and TH2 = TH(dh_server chat).</summary>
    public static ChatKeys DeriveChatKeys(ReadOnlySpan<byte> authSecret, ReadOnlySpan<byte> z2, ReadOnlySpan<byte> th2)
    {
        var derived = Kdf.Expand(authSecret, System.Text.Encoding.ASCII.GetBytes(Labels.Derived), Kdf.HashLength);
        var chatSecret = Kdf.Extract(derived, z2);
        try
        {
            var c2s = Kdf.Expand(chatSecret, Labels.WithZeroAndSuffix(Labels.KChatC2S, th2), Aead.KeyLength);
            var s2c = Kdf.Expand(chatSecret, Labels.WithZeroAndSuffix(Labels.KChatS2C, th2), Aead.KeyLength);
            return new ChatKeys(c2s, s2c, th2[..SessionIdLength].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
            CryptographicOperations.ZeroMemory(chatSecret);
        }
    }
}
