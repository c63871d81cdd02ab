namespace SecureChat.Evidence.Audit;

/// <summary>One message line of an accepted file as the report lists it; for a relayed copy, who wrote it and what
/// proves it (protocol §9.6, §15.2 item 8).</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Dir"><c>c2s</c> or <c>s2c</c>.</param>
/// <param name="Seqno">The seqno in that direction.</param>
/// <param name="From">The author the server named (<c>from</c>), or null.</param>
/// <param name="Proof">For a relayed copy: <c>author</c> when the author's own per-user certificate signed it,
/// <c>server</c> when only the server attests the author; null for any other message.</param>
/// <param name="Text">The text, where the plaintext is kept.</param>
/// <param name="Author">For <c>author</c> proof: the e-mail address the author's certificate names.</param>
/// <param name="AuthorSubject">For a relayed copy: the author certificate's subject.</param>
/// <param name="To">For a relayed copy: the conversation the author addressed.</param>
/// <param name="AuthorTs">For a relayed copy: the author's own <c>ts</c>.</param>
/// <param name="Mark">For a relayed copy that was not live: <c>delayed</c> or <c>history</c> (§9.8.4).</param>
public sealed record AuditedMessage(int Line, string Dir, long Seqno, string? From, string? Proof, string? Text,
    string? Author = null, string? AuthorSubject = null, string? To = null, long? AuthorTs = null, string? Mark = null);
