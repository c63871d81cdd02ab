namespace SecureChat.Protocol.Transport;

/// <summary>Where a connection's evidence goes, and what happens when it cannot be written: the failure is kept once,
/// as the <c>INTERNAL</c> error the connection ends with, so nothing unrecorded is ever sent or acted on.</summary>
internal sealed class EvidenceGuard(Side side)
{
    /// <summary>Where evidence goes (null: none is kept).</summary>
    public IEvidenceRecorder? Recorder { get; set; }

    /// <summary>The error the connection ends with, once evidence could not be written.</summary>
    public ProtocolException? Failure { get; private set; }

    /// <summary>What failed (exception type and message), for the host's log.</summary>
    public string? Cause { get; private set; }

    /// <summary>Whether an exception is a storage failure (disk full, permission, I/O error) rather than a bug.</summary>
    public static bool IsStorageFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>Records evidence; false once evidence cannot be written (now or before). Called under the gate.</summary>
    public bool TryRecord(IReadOnlyList<ProtocolOutput> outputs)
    {
        if (Failure is not null)
        {
            return false;
        }

        try
        {
            Recorder?.Record(outputs);
            return true;
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            Fail(e);
            return false;
        }
    }

    /// <summary>Keeps the first storage failure as the error the connection ends with.</summary>
    public ProtocolException Fail(Exception e)
    {
        if (Failure is null)
        {
            Cause = $"{e.GetType().Name}: {e.Message}";
            Failure = new ProtocolException(ProtocolErrorCode.Internal, $"the {side.ToWire()} could not write its transcript; the session ends here");
        }

        return Failure;
    }
}
