namespace SecureChat.Cli;

/// <summary>Entry point of the <c>securechat</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine("securechat: no verbs yet");
        return args.Length == 0 ? 0 : 1;
    }
}
