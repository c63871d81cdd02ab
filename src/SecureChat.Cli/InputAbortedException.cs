namespace SecureChat.Cli;

/// <summary>The person ended input (Ctrl-D) at a prompt: nothing more is asked and nothing is sent.</summary>
internal sealed class InputAbortedException : Exception
{
    /// <summary>Creates the exception with the sentence to show.</summary>
    public InputAbortedException(string message)
        : base(message)
    {
    }
}
