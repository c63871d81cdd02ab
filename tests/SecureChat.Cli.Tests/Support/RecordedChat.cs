namespace SecureChat.Cli.Tests.Support;

/// <summary>One real conversation through child processes, recorded once and shared (read only) by the classes of the
/// <see cref="RecordedChatCollection"/>: <c>pki init</c>, a server, three scripted clients, then SIGTERM.</summary>
/// <remarks>
/// bob logs in first and waits for four chat messages. alice logs in, sends two lines read from standard input and
/// waits for two messages. carol then sends two with <c>--send</c> and ends. So bob receives from alice and carol,
/// alice sends and receives, and carol only sends: every file holds messages, alice's in both directions. Nothing
/// is sent that a client does not wait for (no presence notices, see <see cref="ChatEnvironment.NoPresenceNotices"/>,
/// and carol starts only after bob has alice's messages), so every receipt covers every message and every file is
/// complete. The fixture records what happened; the tests
/// judge it.
/// </remarks>
public sealed class RecordedChat : IAsyncLifetime
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(90);
    private readonly CliSandbox _sandbox = new();

    /// <summary>The PKI <c>pki init</c> made.</summary>
    public string PkiDirectory => _sandbox.File("pki");

    /// <summary>The Root CA certificate.</summary>
    public string CaCertificate => _sandbox.File("pki/ca.crt");

    /// <summary>The working directory of the server and of every client.</summary>
    public string WorkingDirectory => _sandbox.Path;

    /// <summary>alice's lines after the password on standard input.</summary>
    public IReadOnlyList<string> AliceLines { get; } = ["hello bob", "a second line, with ünïcödé ✓"];

    /// <summary>carol's <c>--send</c> messages.</summary>
    public IReadOnlyList<string> CarolMessages { get; } = ["hi from carol", "carol again"];

    /// <summary>How each client ended.</summary>
    public ChildProcessResult Alice { get; private set; } = null!;

    /// <inheritdoc cref="Alice"/>
    public ChildProcessResult Bob { get; private set; } = null!;

    /// <inheritdoc cref="Alice"/>
    public ChildProcessResult Carol { get; private set; } = null!;

    /// <summary>How the server ended after SIGTERM.</summary>
    public ChildProcessResult Server { get; private set; } = null!;

    /// <summary>The server's transcripts, one per session.</summary>
    public IReadOnlyList<string> ServerTranscripts { get; private set; } = [];

    /// <summary>The clients' transcripts, one per session.</summary>
    public IReadOnlyList<string> ClientTranscripts { get; private set; } = [];

    /// <summary>alice's own transcript, which has messages in both directions and their plaintext.</summary>
    public string AliceTranscript => ClientOutput.Parse(Alice).TranscriptPath(WorkingDirectory);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        CliAssert.Succeeded(await _sandbox.RunAsync("pki", "init"));
        var server = await ChatServerProcess.StartAsync(_sandbox, PkiDirectory, WorkingDirectory, ChatEnvironment.NoPresenceNotices);
        var address = server.Address;

        var bob = await ScriptedClient.StartAsync(_sandbox, WorkingDirectory,
            ScriptedClient.Register(address, PkiDirectory, "bob", "--receive", "4", "--timeout", "120"), ScriptedClient.Input());
        var alice = await ScriptedClient.StartAsync(_sandbox, WorkingDirectory,
            ScriptedClient.Register(address, PkiDirectory, "alice", "--receive", "2", "--timeout", "120"), ScriptedClient.Input(AliceLines));

        // carol joins only once alice's messages are through, so they cannot reach her on top of what she waits for.
        foreach (var _ in AliceLines)
        {
            await bob.WaitForOutputAsync("\"from\":\"alice\"", stream: OutputStream.StandardOutput);
        }

        Carol = await ScriptedClient.RunAsync(_sandbox, WorkingDirectory,
            ScriptedClient.Register(address, PkiDirectory, "carol", [.. CarolMessages.SelectMany(m => new[] { "--send", m })]), ScriptedClient.Input());
        Alice = await alice.WaitForExitAsync(ClientTimeout);
        Bob = await bob.WaitForExitAsync(ClientTimeout);
        Server = await server.StopAsync();

        ServerTranscripts = server.TranscriptFiles();
        var clientDirectory = Path.Combine(WorkingDirectory, "data", "client-transcripts");
        ClientTranscripts = ChatServerProcess.TranscriptFilesIn(clientDirectory);
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _sandbox.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The test classes that read the <see cref="RecordedChat"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RecordedChatCollection : ICollectionFixture<RecordedChat>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "recorded chat";
}
