using System.Text;

namespace SecureChat.Pki;

/// <summary>A revocation list file: one serial number per line in hex, <c>#</c> starts a comment.</summary>
/// <remarks>Serials may be written as openssl prints them (<c>serial=0A1B…</c> or <c>0a:1b:…</c>); leading zeros do
/// not matter, because a DER INTEGER may carry a sign byte that one tool shows and another hides.</remarks>
public static class RevocationList
{
    // RFC 5280 caps serials at 20 octets; a little slack tolerates a sign byte and leading zeros.
    private const int MaxSerialHexDigits = 48;
    private const string OpensslPrefix = "serial=";

    private const UnixFileMode FileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Reads the revoked serials, normalised by <see cref="NormalizeSerial"/>; a missing file is an empty list.</summary>
    /// <exception cref="PkiException">The file is unreadable or a line is not a serial number.</exception>
    public static IReadOnlySet<string> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(PkiFile.Read(path, "revocation list"));
        }
        catch (PkiException e) when (e.InnerException is FileNotFoundException or DirectoryNotFoundException)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var serials = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]);
            if (line.Length == 0)
            {
                continue;
            }

            serials.Add(TryNormalize(line) ?? throw new PkiException(
                $"Line {i + 1} of the revocation list '{path}' is not a hexadecimal serial number."));
        }

        return serials;
    }

    /// <summary>Appends a serial to the list, creating the file if needed; a serial already listed is not repeated.</summary>
    /// <exception cref="ArgumentException"><paramref name="serialHex"/> is not a hexadecimal serial number.</exception>
    /// <exception cref="PkiException">The file cannot be read or written.</exception>
    public static void Add(string path, string serialHex)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var serial = NormalizeSerial(serialHex);
        if (Load(path).Contains(serial))
        {
            return;
        }

        var existing = File.Exists(path) ? PkiFile.Read(path, "revocation list") : [];
        var separator = existing.Length > 0 && existing[^1] != (byte)'\n' ? "\n" : string.Empty;
        var content = existing.Concat(Encoding.ASCII.GetBytes(separator + serial + "\n")).ToArray();

        // Rewriting through a rename keeps a reader from ever seeing half a line.
        PkiFile.WriteAtomically(path, content, FileMode, "revocation list");
    }

    /// <summary>Brings a serial to the canonical form used for comparison: uppercase hex, no separators or
    /// leading zeros (<c>0</c> for zero).</summary>
    /// <exception cref="ArgumentException"><paramref name="serialHex"/> is not a hexadecimal serial number.</exception>
    public static string NormalizeSerial(string serialHex)
    {
        ArgumentNullException.ThrowIfNull(serialHex);
        return TryNormalize(serialHex)
            ?? throw new ArgumentException("The serial number must be hexadecimal digits, optionally separated by ':'.", nameof(serialHex));
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return (hash >= 0 ? line[..hash] : line).Trim();
    }

    private static string? TryNormalize(string serialHex)
    {
        var text = serialHex.Trim();
        if (text.StartsWith(OpensslPrefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[OpensslPrefix.Length..];
        }

        text = text.Replace(":", string.Empty, StringComparison.Ordinal);
        if (text.Length is 0 or > MaxSerialHexDigits || !text.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        var trimmed = text.TrimStart('0').ToUpperInvariant();
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
