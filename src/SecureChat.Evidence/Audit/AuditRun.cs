namespace SecureChat.Evidence.Audit;

/// <summary>What one audit has established so far; it becomes the <see cref="AuditReport"/>.</summary>
internal sealed class AuditRun
{
    private readonly List<AuditFinding> _warnings = [];

    public AuditFinding? Failure { get; private set; }

    public string? Side { get; set; }

    public string? SessionId { get; set; }

    public string? Username { get; set; }

    public long? StartedMs { get; set; }

    public string? ClientCertificateSubject { get; set; }

    public string? ServerCertificateSubject { get; set; }

    public int MessagesVerified { get; set; }

    public int PlaintextsVerified { get; set; }

    public int ReceiptsVerified { get; set; }

    public long ClientToServerMessages { get; set; }

    public long ServerToClientMessages { get; set; }

    public ReceiptCoverage? ClientReceipt { get; set; }

    public ReceiptCoverage? ServerReceipt { get; set; }

    public bool VerifiedInParallel { get; set; }

    public List<AuditedMessage> Messages { get; } = [];

    /// <summary>Records an error that rejects the file. Only the one on the lowest line counts, because after it
    /// nothing in the file can be trusted (one deleted line makes every later one look wrong); on the same line
    /// the first recorded wins.</summary>
    public void Fail(int lineNumber, AuditFindingKind kind, string reason)
    {
        if (Failure is null || lineNumber < Failure.LineNumber)
        {
            Failure = AuditFinding.Error(lineNumber, kind, reason);
        }
    }

    public void Warn(int lineNumber, AuditFindingKind kind, string reason) =>
        _warnings.Add(AuditFinding.Warning(lineNumber, kind, reason));

    public AuditReport ToReport(int linesRead, bool truncated, bool complete)
    {
        var findings = new List<AuditFinding>(_warnings.Count + 1);
        if (Failure is not null)
        {
            findings.Add(Failure);
        }

        findings.AddRange(_warnings);
        return new AuditReport
        {
            Accepted = Failure is null,
            Complete = Failure is null && complete,
            Truncated = truncated,
            LinesRead = linesRead,
            Side = Side,
            SessionId = SessionId,
            Username = Username,
            StartedMs = StartedMs,
            ClientCertificateSubject = ClientCertificateSubject,
            ServerCertificateSubject = ServerCertificateSubject,
            MessagesVerified = MessagesVerified,
            PlaintextsVerified = PlaintextsVerified,
            ReceiptsVerified = ReceiptsVerified,
            ClientToServerMessages = ClientToServerMessages,
            ServerToClientMessages = ServerToClientMessages,
            ClientReceipt = ClientReceipt,
            ServerReceipt = ServerReceipt,
            Findings = findings,
            FirstFailure = Failure,
            VerifiedInParallel = VerifiedInParallel,
            Messages = Messages,
        };
    }
}
