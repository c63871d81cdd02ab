using SecureChat.Protocol;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>One frame as it actually crossed the wire, in either direction.</summary>
/// <param name="Sent">True for a frame this peer sent, false for one it received.</param>
/// <param name="Bytes">The whole frame as on the wire, length prefix included (or whatever bytes were sent).</param>
/// <param name="Type">The message type, or null when the bytes do not decode.</param>
public sealed record WireFrame(bool Sent, byte[] Bytes, string? Type)
{
    /// <summary>The decoded message, or null when the bytes do not decode.</summary>
    public WireMessage? Message => Type is null ? null : MessageCodec.DecodeFrame(Bytes);
}

/// <summary>What a deviation may use: the peer's own key and role, its state machine, and the frames both sides
/// have really seen, which is what a re-signed value must be signed over to be believed.</summary>
public sealed class DeviationContext
{
    private static readonly HashSet<string> HandshakeTypes = ["hello", "server_hello", "dh_client", "dh_server", "auth_request", "auth_response"];
    private readonly List<WireFrame> _wire = [];
    private readonly Lock _gate = new();

    internal DeviationContext(bool isServer, LocalIdentity identity, ProtocolEndpoint protocol)
    {
        IsServer = isServer;
        Identity = identity;
        Protocol = protocol;
    }

    /// <summary>True when the evil peer plays the server.</summary>
    public bool IsServer { get; }

    /// <summary>The peer's certificate and key.</summary>
    public LocalIdentity Identity { get; }

    /// <summary>The peer's honest state machine (its chat session, chains and the peer certificate).</summary>
    public ProtocolEndpoint Protocol { get; }

    /// <summary>Every frame on the wire so far, in order.</summary>
    public IReadOnlyList<WireFrame> Wire
    {
        get
        {
            lock (_gate)
            {
                return [.. _wire];
            }
        }
    }

    /// <summary>The <paramref name="occurrence"/>-th frame of <paramref name="type"/> this peer put on the wire.</summary>
    public byte[] SentEarlier(string type, int occurrence = 1) =>
        Wire.Where(f => f.Sent && f.Type == type).Skip(occurrence - 1).FirstOrDefault()?.Bytes
        ?? throw new InvalidOperationException($"no {type} #{occurrence} was sent on this connection");

    /// <summary>TH over the handshake frames as the other side saw them so far (what it will check a DH signature against).</summary>
    public byte[] WireHandshakeHash() =>
        HandshakeHash.Compute(Wire.Where(f => f.Type is { } t && HandshakeTypes.Contains(t)).Select(f => f.Bytes));

    /// <summary>Signs a DH public value for this peer's role over <see cref="WireHandshakeHash"/>, as an honest peer would.</summary>
    public string SignDhValue(string phaseName, string group, byte[] value)
    {
        var phase = DhPhases.Is(phaseName, DhPhase.Auth) ? DhPhase.Auth : DhPhase.Chat;
        var th = WireHandshakeHash();
        var sig = IsServer
            ? Identity.SigningKey.Sign(DhSignatures.ServerContext(phase), DhSignatures.ServerContent(th, value))
            : Identity.SigningKey.Sign(DhSignatures.ClientContext(phase), DhSignatures.ClientContent(th, group, value));
        return Convert.ToBase64String(sig);
    }

    internal void Record(bool sent, byte[] bytes)
    {
        string? type;
        try
        {
            type = WireTypes.Of(MessageCodec.DecodeFrame(bytes));
        }
        catch (Exception e) when (e is ProtocolException or ArgumentException or IndexOutOfRangeException)
        {
            type = null;
        }

        lock (_gate)
        {
            _wire.Add(new WireFrame(sent, bytes, type));
        }
    }
}
