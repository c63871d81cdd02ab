namespace SecureChat.Cli.Tests.Support;

/// <summary>A PKI from <c>pki init</c>, a running server and one registered account (<see cref="Username"/>) whose
/// session left a client transcript; shared by the tests of one class, which only read them.</summary>
public sealed class ServerWithAccount : IAsyncLifetime
{
    /// <summary>The registered account.</summary>
    public const string Username = "alice";

    private readonly CliSandbox _sandbox = new();

    /// <summary>The PKI directory.</summary>
    public string PkiDirectory => _sandbox.File("pki");

    /// <summary>The full path of a file in the PKI directory.</summary>
    public string Pki(string name) => Path.Combine(PkiDirectory, name);

    /// <summary>The Root CA certificate.</summary>
    public string CaCertificate => Pki("ca.crt");

    /// <summary>The running server.</summary>
    public ChatServerProcess Server { get; private set; } = null!;

    /// <summary>The client transcript of the registration session.</summary>
    public string ClientTranscript { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        CliAssert.Succeeded(await _sandbox.RunAsync("pki", "init"));
        // No presence notices: the registration transcript is a fixture that must end complete, and a roster notice
        // still in flight when the client sends its receipt (a loaded machine) would leave it honestly incomplete.
        Server = await ChatServerProcess.StartAsync(_sandbox, PkiDirectory, _sandbox.File("server"), ChatEnvironment.NoPresenceNotices);
        var registered = await ScriptedClient.RunAsync(_sandbox, _sandbox.Path,
            ScriptedClient.Register(Server.Address, PkiDirectory, Username, "--send", "hello"), ScriptedClient.Input());
        CliAssert.Succeeded(registered);
        ClientTranscript = ClientOutput.Parse(registered).TranscriptPath(_sandbox.Path);
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _sandbox.Dispose();
        return Task.CompletedTask;
    }
}
