using System.Text;

namespace SecureChat.Protocol;

/// <summary>Every context string and label of protocol v1, in one place so that no two purposes share one.</summary>
public static class Labels
{
    /// <summary>Signature context of the client's DH share in the auth phase.</summary>
    public const string DhClientAuth = "securechat/1 dh_client auth";

    /// <summary>Signature context of the server's DH share in the auth phase.</summary>
    public const string DhServerAuth = "securechat/1 dh_server auth";

    /// <summary>Signature context of the client's DH share in the chat phase.</summary>
    public const string DhClientChat = "securechat/1 dh_client chat";

    /// <summary>Signature context of the server's DH share in the chat phase.</summary>
    public const string DhServerChat = "securechat/1 dh_server chat";

    /// <summary>Signature context of a chat message.</summary>
    public const string Msg = "securechat/1 msg";

    /// <summary>Signature context of a receipt.</summary>
    public const string Receipt = "securechat/1 receipt";

    /// <summary>HKDF info prefix of k_auth, client to server.</summary>
    public const string KAuthC2S = "securechat/1 k_auth c2s";

    /// <summary>HKDF info prefix of k_auth, server to client.</summary>
    public const string KAuthS2C = "securechat/1 k_auth s2c";

    /// <summary>HKDF info prefix of k_chat, client to server.</summary>
    public const string KChatC2S = "securechat/1 k_chat c2s";

    /// <summary>HKDF info prefix of k_chat, server to client.</summary>
    public const string KChatS2C = "securechat/1 k_chat s2c";

    /// <summary>HKDF info that chains the chat phase to the auth phase.</summary>
    public const string Derived = "securechat/1 derived";

    /// <summary>AAD prefix of auth frames.</summary>
    public const string AuthAad = "securechat/1 auth";

    /// <summary>AAD prefix of chat messages.</summary>
    public const string MsgAad = "securechat/1 msg";

    /// <summary>Prefix of the plaintext commitment.</summary>
    public const string Commit = "securechat/1 commit";

    /// <summary>Prefix of each direction's transcript chain seed.</summary>
    public const string MessageChainsSeed = "securechat/1 transcript ";

    /// <summary>Returns <c>ascii(label) || 0x00 || suffix</c>, the shape of every labelled input.</summary>
    public static byte[] WithZeroAndSuffix(string label, ReadOnlySpan<byte> suffix)
    {
        var length = Encoding.ASCII.GetByteCount(label);
        var result = new byte[length + 1 + suffix.Length];
        Encoding.ASCII.GetBytes(label, result);
        suffix.CopyTo(result.AsSpan(length + 1));
        return result;
    }
}
