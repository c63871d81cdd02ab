namespace SecureChat.TestSupport.EvilPeer;

/// <summary>Which honest frames an evil peer sends differently: frame <c>n</c> of a message type (counted from 1 among
/// the frames of that type this peer produces on one connection) maps to a <see cref="Deviation"/>.</summary>
/// <example><c>new EvilPlan().At("dh_server", 2, Lies.SignedDhValue("B = 1", DhValues.Invalid("1")))</c> lies only in
/// the chat-phase DH; <c>EvilPlan.Honest</c> follows the protocol throughout.</example>
public sealed class EvilPlan
{
    private readonly Dictionary<(string Type, int Occurrence), Deviation> _steps = [];
    private readonly Dictionary<(string Type, int Occurrence), (string Name, Func<DeviationContext, byte[]> Make)> _replies = [];

    /// <summary>A plan without deviations.</summary>
    public static EvilPlan Honest => new();

    /// <summary>Applies <paramref name="deviation"/> to the <paramref name="occurrence"/>-th <paramref name="type"/> frame.</summary>
    public EvilPlan At(string type, int occurrence, Deviation deviation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        _steps[(type, occurrence)] = deviation ?? throw new ArgumentNullException(nameof(deviation));
        return this;
    }

    /// <summary>Applies <paramref name="deviation"/> to the first <paramref name="type"/> frame.</summary>
    public EvilPlan At(string type, Deviation deviation) => At(type, 1, deviation);

    /// <summary>Answers the <paramref name="occurrence"/>-th received <paramref name="type"/> frame with the frame
    /// <paramref name="reply"/> makes, without showing it to the honest state machine: how a peer that lied earlier
    /// (a foreign certificate, a replayed hello) keeps going where its own honest checks would stop it.</summary>
    public EvilPlan OnReceived(string type, int occurrence, string name, Func<DeviationContext, byte[]> reply)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        _replies[(type, occurrence)] = (name, reply ?? throw new ArgumentNullException(nameof(reply)));
        return this;
    }

    /// <summary>The deviation for a frame, or null to send it honestly.</summary>
    public Deviation? For(string type, int occurrence) => _steps.GetValueOrDefault((type, occurrence));

    /// <summary>The scripted reply to a received frame, or null to let the state machine handle it.</summary>
    public Func<DeviationContext, byte[]>? ReplyTo(string type, int occurrence) =>
        _replies.TryGetValue((type, occurrence), out var reply) ? reply.Make : null;

    /// <inheritdoc/>
    public override string ToString() =>
        _steps.Count + _replies.Count == 0 ? "honest" : string.Join(", ", _steps.Select(s => $"{s.Key.Type} #{s.Key.Occurrence}: {s.Value.Name}")
            .Concat(_replies.Select(r => $"on {r.Key.Type} #{r.Key.Occurrence}: {r.Value.Name}")));
}
