namespace SecureChat.Evidence;

/// <summary>The folder a host keeps its transcripts in.</summary>
public static class TranscriptDirectory
{
    /// <summary>Creates the folder if needed and proves that a file can be created, written, flushed to the disk and
    /// removed there, so a host finds out at start-up, not in the middle of every session.</summary>
    /// <exception cref="IOException">The folder cannot be created or written, with the path and the reason.</exception>
    public static void EnsureWritable(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var probe = Path.Combine(directory, $".securechat-probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"the transcript folder '{directory}' is not writable: {e.Message}", e);
        }
    }
}
