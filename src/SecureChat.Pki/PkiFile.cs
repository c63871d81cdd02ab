using System.Security.Cryptography;

namespace SecureChat.Pki;

/// <summary>File access shared by the PEM and revocation readers, with every I/O error turned into a
/// <see cref="PkiException"/> that names the file.</summary>
internal static class PkiFile
{
    /// <summary>Certificates, keys and revocation lists are small; a larger file is a wrong path, not data.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Reads a whole file of at most <see cref="MaxFileBytes"/>.</summary>
    public static byte[] Read(string path, string what)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes)
            {
                throw new PkiException($"The {what} file '{path}' is larger than {MaxFileBytes} bytes.");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PkiException($"The {what} file '{path}' does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PkiException($"The {what} file '{path}' cannot be read: permission denied.", e);
        }
        catch (IOException e)
        {
            throw new PkiException($"The {what} file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Writes a new temporary file with <paramref name="mode"/> and renames it over <paramref name="path"/>,
    /// so readers see either the old or the new content and the file never exists with a wider mode.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, UnixFileMode mode, string what)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temporary = Path.Combine(
            directory, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new PkiException($"The {what} file '{path}' cannot be written: {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write already failed and that is the error worth reporting.
        }
    }
}
