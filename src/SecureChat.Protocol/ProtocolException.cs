namespace SecureChat.Protocol;

/// <summary>A protocol violation: the connection ends with <see cref="Code"/>.</summary>
/// <remarks>The message is safe to show to the peer and to log: it never holds a secret or a stack trace.
/// <see cref="IsRemote"/> tells whether the peer reported the error (an <c>error</c> frame) or we detected it.</remarks>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates an error detected locally.</summary>
    public ProtocolException(ProtocolErrorCode code, string message)
        : this(code, message, isRemote: false)
    {
    }

    private ProtocolException(ProtocolErrorCode code, string message, bool isRemote)
        : base(message)
    {
        Code = code;
        IsRemote = isRemote;
    }

    /// <summary>The §4.7 error code.</summary>
    public ProtocolErrorCode Code { get; }

    /// <summary>True when the peer sent this error to us; nothing is sent back then.</summary>
    public bool IsRemote { get; }

    /// <summary>Creates the exception for an <c>error</c> frame received from the peer.</summary>
    /// <remarks>The peer's text is untrusted: it is cut to 200 characters and control characters become '?',
    /// so it cannot forge log lines or drive a terminal.</remarks>
    public static ProtocolException FromPeer(ProtocolErrorCode code, string message)
    {
        var text = message.Length > 200 ? message[..200] : message;
        return new(code, string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        }), isRemote: true);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Code.ToWire()}: {Message}";
}
