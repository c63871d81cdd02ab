using System.Text;

namespace SecureChat.Accounts.Conversations;

/// <summary>The sizes a conversation store accepts; larger values are refused with <see cref="ArgumentException"/>.</summary>
public static class ConversationLimits
{
    /// <summary>The longest room name, in UTF-16 characters.</summary>
    public const int MaxRoomLength = 64;

    /// <summary>The longest username, in UTF-16 characters (the width of the user store's username columns).</summary>
    public const int MaxUsernameLength = SqlUserStore.UsernameColumnWidth;

    /// <summary>The longest thread name, in UTF-16 characters.</summary>
    public const int MaxThreadLength = 200;

    /// <summary>The largest message body, in bytes of UTF-8.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Most ids one <see cref="IConversationStore.MessagesAsync"/> call reads.</summary>
    public const int MaxIdsPerRead = 500;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks a room, username or thread name: not empty or blank, at most <paramref name="maxLength"/> characters,
    /// no control characters or unpaired surrogates, and no trailing space.</summary>
    /// <remarks>MySQL compares text ignoring trailing spaces while SQLite does not, so such names are refused on both.</remarks>
    internal static void CheckName(string name, int maxLength, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, paramName);
        if (name.Length > maxLength)
        {
            throw new ArgumentException($"The name is longer than {maxLength} characters.", paramName);
        }

        if (name[^1] == ' ')
        {
            throw new ArgumentException("The name ends with a space.", paramName);
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c))
            {
                throw new ArgumentException("The name contains a control character.", paramName);
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException("The name contains an unpaired surrogate.", paramName);
            }
        }
    }

    /// <summary>Checks a body (well-formed text of at most <see cref="MaxBodyBytes"/> UTF-8 bytes) and returns its UTF-8 length.</summary>
    internal static int CheckBody(string body, string paramName)
    {
        ArgumentNullException.ThrowIfNull(body, paramName);

        // Every UTF-16 character needs at least one UTF-8 byte, so a longer string cannot fit.
        if (body.Length > MaxBodyBytes)
        {
            throw new ArgumentException($"The body is longer than {MaxBodyBytes} bytes of UTF-8.", paramName);
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(body);
        }
        catch (EncoderFallbackException e)
        {
            // An unpaired surrogate would be stored as U+FFFD and not read back as it was written.
            throw new ArgumentException("The body contains an unpaired surrogate.", paramName, e);
        }

        return bytes <= MaxBodyBytes ? bytes : throw new ArgumentException($"The body is longer than {MaxBodyBytes} bytes of UTF-8.", paramName);
    }

    /// <summary>Checks a row limit: at least one.</summary>
    internal static void CheckLimit(int limit, string paramName) => ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, paramName);
}
