namespace SecureChat.Cli.Tests.Support;

/// <summary>A PKI made once by <c>securechat pki init</c> and shared by the tests of one class, which only read it;
/// RSA-3072 key generation is too slow to repeat in every test.</summary>
public sealed class InitializedPki : IAsyncLifetime
{
    private readonly CliSandbox _sandbox = new();

    /// <summary>The PKI directory, holding the six files <c>pki init</c> writes.</summary>
    public string Directory => _sandbox.File("pki");

    /// <summary>The full path of <c>ca.crt</c>.</summary>
    public string CaCertificate => File("ca.crt");

    /// <summary>The full path of a file in the PKI directory.</summary>
    public string File(string name) => Path.Combine(Directory, name);

    /// <inheritdoc/>
    public async Task InitializeAsync() => CliAssert.Succeeded(await _sandbox.RunAsync("pki", "init"));

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _sandbox.Dispose();
        return Task.CompletedTask;
    }
}
