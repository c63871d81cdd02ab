using System.Text;
using System.Text.Json;

namespace SecureChat.Evidence;

/// <summary>A string member of a transcript line, held either as a string or as its JSON string token in the line
/// (quotes included, escapes as written); the string is made the first time it is asked for.</summary>
/// <remarks>Equality is that of the text, so a record compares the same whichever way its members are held.
/// Making the string from two threads at once only makes two equal strings.</remarks>
internal struct LineText : IEquatable<LineText>
{
    private readonly ReadOnlyMemory<byte> _token;
    private readonly bool _isToken;
    private readonly bool _escaped;
    private string? _text;

    private LineText(string? text, ReadOnlyMemory<byte> token, bool isToken, bool escaped)
    {
        _text = text;
        _token = token;
        _isToken = isToken;
        _escaped = escaped;
    }

    /// <summary>Whether there is no value at all (a member that was absent or null).</summary>
    public readonly bool IsNull => !_isToken && _text is null;

    /// <summary>The value as a string; null when <see cref="IsNull"/>.</summary>
    public string? Text => _text ??= Materialized();

    /// <summary>At least the number of UTF-8 bytes of the value: what <see cref="Utf8"/> may need of its scratch.</summary>
    public readonly int Utf8Capacity => _isToken ? _token.Length - 2 : _text is null ? 0 : Encoding.UTF8.GetByteCount(_text);

    /// <summary>A value held as a string.</summary>
    public static LineText Of(string? text) => new(text, default, false, false);

    /// <summary>A value held as its string token (quotes included) of valid JSON whose unescaped text is valid.</summary>
    public static LineText OfToken(ReadOnlyMemory<byte> token, bool escaped) => new(null, token, true, escaped);

    /// <summary>The value as UTF-8: the bytes in the line when they hold no escape, else unescaped or encoded into
    /// <paramref name="scratch"/>, which holds at least <see cref="Utf8Capacity"/> bytes (empty when
    /// <see cref="IsNull"/>).</summary>
    public readonly ReadOnlySpan<byte> Utf8(Span<byte> scratch)
    {
        if (!_isToken)
        {
            return _text is null ? default : scratch[..Encoding.UTF8.GetBytes(_text, scratch)];
        }

        if (!_escaped)
        {
            return _token.Span[1..^1];
        }

        var reader = new Utf8JsonReader(_token.Span);
        reader.Read();
        return scratch[..reader.CopyString(scratch)];
    }

    /// <inheritdoc/>
    public readonly bool Equals(LineText other) => string.Equals(Materialized(), other.Materialized(), StringComparison.Ordinal);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is LineText other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => Materialized() is { } text ? StringComparer.Ordinal.GetHashCode(text) : 0;

    private readonly string? Materialized()
    {
        if (_text is not null || !_isToken)
        {
            return _text;
        }

        var reader = new Utf8JsonReader(_token.Span);
        reader.Read();
        return reader.GetString();
    }
}
