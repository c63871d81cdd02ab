using SecureChat.Protocol.Transport;

namespace SecureChat.Evidence;

/// <summary>One session's transcript file, open for appending evidence.</summary>
public interface ITranscriptFile : IEvidenceRecorder, IDisposable
{
    /// <summary>The file being written.</summary>
    string Path { get; }
}
