using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace SecureChat.Evidence;

/// <summary>One line of a transcript file (docs/PROTOCOL.md §4.8), told apart by <c>kind</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TranscriptHeader), "header")]
[JsonDerivedType(typeof(TranscriptMessageLine), "msg")]
[JsonDerivedType(typeof(TranscriptReceiptLine), "receipt")]
public abstract record TranscriptRecord;

/// <summary>The first line: who, which session, both certificates and the whole handshake as on the wire.</summary>
public sealed record TranscriptHeader : TranscriptRecord
{
    /// <summary>Format version, 1.</summary>
    public required long Version { get; init; }

    /// <summary><c>client</c> or <c>server</c>: who wrote the file.</summary>
    public required string Side { get; init; }

    /// <summary>Session id, lowercase hex.</summary>
    public required string SessionId { get; init; }

    /// <summary>Client certificate, PEM, the one sent in <c>hello</c>; the text may differ from the frame's, the DER may not.</summary>
    public required string ClientCert { get; init; }

    /// <summary>Server certificate, PEM, the one sent in <c>server_hello</c>; the text may differ from the frame's, the DER may not.</summary>
    public required string ServerCert { get; init; }

    /// <summary>The logged-in username.</summary>
    public required string Username { get; init; }

    /// <summary>Unix time in ms when the session started.</summary>
    public required long StartedMs { get; init; }

    /// <summary>Every handshake frame, length prefix included, base64; hello through dh_server (chat).</summary>
    public required IReadOnlyList<string> Handshake { get; init; }
}

/// <summary>One chat message, with the frame's values as sent and, where kept, the plaintext.</summary>
/// <remarks>A line read by the auditor keeps its base64 members as their string tokens in the line's UTF-8: the
/// checks decode them from there, and a string is only made when a property is read. Equality compares the values,
/// however they are held.</remarks>
public sealed record TranscriptMessageLine : TranscriptRecord
{
    private LineText _ct;
    private LineText _commit;
    private LineText _sig;
    private LineText _plaintext;

    /// <summary>An empty line, for initialisers and the deserializer.</summary>
    public TranscriptMessageLine()
    {
    }

    /// <summary>A line whose base64 members stay the string tokens they were read as.</summary>
    /// <remarks>The reader passes every required member, so none of them reads as null.</remarks>
#pragma warning disable CS8618 // Ct, Commit and Sig are set through their fields, which the compiler does not follow.
    [SetsRequiredMembers]
    internal TranscriptMessageLine(string dir, long seqno, long ts, LineText ct, LineText commit, LineText sig, LineText plaintext)
    {
        Dir = dir;
        Seqno = seqno;
        Ts = ts;
        _ct = ct;
        _commit = commit;
        _sig = sig;
        _plaintext = plaintext;
    }
#pragma warning restore CS8618

    /// <summary><c>c2s</c> or <c>s2c</c>.</summary>
    public required string Dir { get; init; }

    /// <summary>Sequence number.</summary>
    public required long Seqno { get; init; }

    /// <summary>Timestamp, ms.</summary>
    public required long Ts { get; init; }

    /// <summary>Ciphertext, base64 as sent.</summary>
    public required string Ct { get => _ct.Text!; init => _ct = LineText.Of(value); }

    /// <summary>Commitment, base64 as sent.</summary>
    public required string Commit { get => _commit.Text!; init => _commit = LineText.Of(value); }

    /// <summary>Signature, base64 as sent.</summary>
    public required string Sig { get => _sig.Text!; init => _sig = LineText.Of(value); }

    /// <summary>Base64 of the exact plaintext bytes, where this side keeps plaintext.</summary>
    public string? Plaintext { get => _plaintext.Text; init => _plaintext = LineText.Of(value); }

    /// <summary>Whether the line keeps a plaintext, without making its string.</summary>
    internal bool HasPlaintext => !_plaintext.IsNull;

    /// <summary>The kept members, which the checks read as UTF-8.</summary>
    internal LineText CtText => _ct;

    /// <inheritdoc cref="CtText"/>
    internal LineText CommitText => _commit;

    /// <inheritdoc cref="CtText"/>
    internal LineText SigText => _sig;

    /// <inheritdoc cref="CtText"/>
    internal LineText PlaintextText => _plaintext;
}

/// <summary>A receipt, sent or received, with the receipt frame's members.</summary>
public sealed record TranscriptReceiptLine : TranscriptRecord
{
    /// <summary>Issuer: <c>client</c> or <c>server</c>.</summary>
    public required string Peer { get; init; }

    /// <summary>Session id, lowercase hex.</summary>
    public required string SessionId { get; init; }

    /// <summary>Client→server messages covered.</summary>
    public required long C2sLastSeq { get; init; }

    /// <summary>Server→client messages covered.</summary>
    public required long S2cLastSeq { get; init; }

    /// <summary>Canonical transcript hash, lowercase hex.</summary>
    public required string TranscriptSha256 { get; init; }

    /// <summary>Issuer's signature, base64.</summary>
    public required string Sig { get; init; }
}
