using System.Text;
using SecureChat.Crypto;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Handshake;

/// <summary>The signed content of the DH messages (protocol §4.2, §4.4).</summary>
public static class DhSignatures
{
    /// <summary>Client content: <c>TH(previous frame) || group || 0x00 || A</c>.</summary>
    public static byte[] ClientContent(ReadOnlySpan<byte> transcriptHash, string group, ReadOnlySpan<byte> publicValue)
    {
        var groupBytes = Encoding.ASCII.GetBytes(group);
        var content = new byte[transcriptHash.Length + groupBytes.Length + 1 + publicValue.Length];
        transcriptHash.CopyTo(content);
        groupBytes.CopyTo(content, transcriptHash.Length);
        publicValue.CopyTo(content.AsSpan(transcriptHash.Length + groupBytes.Length + 1));
        return content;
    }

    /// <summary>Server content: <c>TH(dh_client) || B</c>.</summary>
    public static byte[] ServerContent(ReadOnlySpan<byte> transcriptHash, ReadOnlySpan<byte> publicValue) =>
        [.. transcriptHash, .. publicValue];

    /// <summary>The client's signature context for <paramref name="phase"/>.</summary>
    public static string ClientContext(DhPhase phase) => phase == DhPhase.Auth ? Labels.DhClientAuth : Labels.DhClientChat;

    /// <summary>The server's signature context for <paramref name="phase"/>.</summary>
    public static string ServerContext(DhPhase phase) => phase == DhPhase.Auth ? Labels.DhServerAuth : Labels.DhServerChat;

    /// <summary>Whether the ASCII group name is acceptable as signed content (printable ASCII only).</summary>
    public static bool IsPlainAscii(string group)
    {
        foreach (var c in group)
        {
            if (c is < (char)0x21 or > (char)0x7e)
            {
                return false;
            }
        }

        return group.Length > 0;
    }

    /// <summary>Verifies a client DH signature.</summary>
    public static bool VerifyClient(VerificationKey key, DhPhase phase, ReadOnlySpan<byte> transcriptHash, string group,
        ReadOnlySpan<byte> publicValue, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Verify(ClientContext(phase), ClientContent(transcriptHash, group, publicValue), signature);
    }

    /// <summary>Verifies a server DH signature.</summary>
    public static bool VerifyServer(VerificationKey key, DhPhase phase, ReadOnlySpan<byte> transcriptHash,
        ReadOnlySpan<byte> publicValue, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Verify(ServerContext(phase), ServerContent(transcriptHash, publicValue), signature);
    }
}
