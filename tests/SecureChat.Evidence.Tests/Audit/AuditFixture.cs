using SecureChat.Protocol;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>Honest transcripts made once and shared by the audit tests; each test edits its own copy.</summary>
/// <remarks>The conversation interleaves the directions (c2s 4 messages, s2c 3) so that a per-direction check
/// cannot pass by accident on file order; the client ends the session.</remarks>
public sealed class AuditFixture : IDisposable
{
    private readonly RecordedConversation _conversation;
    private readonly RecordedConversation _other;

    public AuditFixture()
    {
        _conversation = Converse(new RecordedConversation().Handshake());
        _other = Converse(new RecordedConversation().Handshake());
    }

    /// <summary>The client's file of the main session.</summary>
    internal TranscriptFile ClientFile => new(_conversation.ClientLog.Lines);

    /// <summary>The server's file of the main session.</summary>
    internal TranscriptFile ServerFile => new(_conversation.ServerLog.Lines);

    /// <summary>The client's file of another session between the same two certificates.</summary>
    internal TranscriptFile OtherSessionClientFile => new(_other.ClientLog.Lines);

    /// <summary>The main session's client identity, for tests where the file's owner forges its own messages.</summary>
    internal LocalIdentity ClientIdentity => _conversation.ClientIdentity;

    /// <summary>The main session's id.</summary>
    internal byte[] SessionId => Convert.FromHexString(((TranscriptHeader)ClientFile.Record(1)).SessionId);

    public void Dispose()
    {
        _conversation.Dispose();
        _other.Dispose();
    }

    private static RecordedConversation Converse(RecordedConversation conversation)
    {
        conversation
            .Say(fromClient: true, "hi")
            .Say(fromClient: false, "hello")
            .Say(fromClient: true, "how are you")
            .Say(fromClient: true, "?")
            .Say(fromClient: false, "fine")
            .Say(fromClient: false, "and you")
            .Say(fromClient: true, "bye");
        conversation.Deliver(toServer: true, conversation.End(fromClient: true));
        return conversation;
    }
}
