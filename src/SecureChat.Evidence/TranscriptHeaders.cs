using SecureChat.Protocol;

namespace SecureChat.Evidence;

/// <summary>Builds the first line of a transcript (§4.8) from a state machine whose handshake is complete: the one
/// place the header is made, for both sides.</summary>
public static class TranscriptHeaders
{
    /// <summary>The header of <paramref name="endpoint"/>'s session.</summary>
    /// <param name="endpoint">A client or server state machine with k_chat established.</param>
    /// <param name="username">The logged-in user.</param>
    /// <param name="startedMs">When the connection started, Unix ms.</param>
    public static TranscriptHeader For(ProtocolEndpoint endpoint, string username, long startedMs)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var chat = endpoint.Chat ?? throw new InvalidOperationException("The session key is not established yet.");
        var own = endpoint.LocalCertificatePem;
        var peer = endpoint.PeerCertificate!.ExportCertificatePem();
        return new TranscriptHeader
        {
            Version = 1,
            Side = endpoint.Side.ToWire(),
            SessionId = Convert.ToHexStringLower(chat.SessionId),
            ClientCert = endpoint.Side == Side.Client ? own : peer,
            ServerCert = endpoint.Side == Side.Server ? own : peer,
            Username = username,
            StartedMs = startedMs,
            Handshake = [.. endpoint.Handshake.Frames.Select(Convert.ToBase64String)],
        };
    }
}
