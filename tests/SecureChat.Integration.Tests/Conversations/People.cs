using System.Security.Cryptography.X509Certificates;
using MySqlConnector;
using SecureChat.Client;
using SecureChat.Pki;

namespace SecureChat.Integration.Tests.Conversations;

/// <summary>Three people with certificates of their own (per-user mode), named uniquely per run so that runs on a shared
/// MariaDB never meet; and the database each test runs on.</summary>
internal sealed class People
{
    private const string Password = "correct horse battery";
    private static readonly Lazy<X509Certificate2>[] Certificates = [.. Enumerable.Range(0, 3).Select(i => new Lazy<X509Certificate2>(() => Issue(i)))];
    private static readonly string Tag = Guid.NewGuid().ToString("N")[..6];

    private People(string backend, string sqlitePath)
    {
        Backend = backend;
        Db = backend == "mysql" ? "mysql:" + MySqlTestEnvironment.RequireConnectionString() : "sqlite:" + sqlitePath;
    }

    /// <summary><c>sqlite</c> or <c>mysql</c>.</summary>
    public string Backend { get; }

    /// <summary>The server's <c>--db</c>, the same across restarts of one test.</summary>
    public string Db { get; }

    /// <summary>A room name of this run.</summary>
    public string Ops { get; } = "#ops-" + Tag + Interlocked.Increment(ref _rooms);

    public string Alice => Name(0);

    public string Bob => Name(1);

    public string Carol => Name(2);

    private static int _rooms;

    public static People On(string backend) =>
        new(backend, Path.Combine(Directory.CreateTempSubdirectory("securechat-rooms-").FullName, "users.db"));

    /// <summary>The username of person <paramref name="index"/> (0 alice, 1 bob, 2 carol) in this run.</summary>
    public static string Name(int index) => new[] { "alice", "bob", "carol" }[index] + Tag;

    public static string EmailOf(int index) => Name(index) + "@example.org";

    public static X509Certificate2 CertificateOf(int index) => Certificates[index].Value;

    /// <summary>A per-user server on this test's database.</summary>
    public Task<RunningServer> StartServerAsync() => RunningServer.StartAsync(o =>
    {
        o.Identity = "per-user";
        o.Db = Db;
    });

    /// <summary>Connects person <paramref name="index"/> with its own certificate and registers it (first time) or logs in.</summary>
    public static async Task<ChatClient> ConnectAsync(RunningServer server, int index, bool register = false)
    {
        var client = await ChatClient.ConnectAsync("127.0.0.1", server.Port, server.ClientOptions(Name(index), CertificateOf(index)));
        var response = register
            ? await client.RegisterAsync(EmailOf(index), Name(index), Password)
            : await client.LoginAsync(EmailOf(index), Password);
        Assert.True(response.Ok, $"{Name(index)}: {response.Code} {response.Message}");
        return client;
    }

    /// <summary>Registers the three people once per database (later tests of the run log in).</summary>
    public async Task<ChatClient[]> ArriveAsync(RunningServer server)
    {
        var clients = new ChatClient[3];
        for (var i = 0; i < 3; i++)
        {
            clients[i] = await ConnectRegisteringOnceAsync(server, i);
        }

        return clients;
    }

    private async Task<ChatClient> ConnectRegisteringOnceAsync(RunningServer server, int index)
    {
        var client = await ChatClient.ConnectAsync("127.0.0.1", server.Port, server.ClientOptions(Name(index), CertificateOf(index)));
        var login = await client.LoginAsync(EmailOf(index), Password);
        if (login.Ok)
        {
            return client;
        }

        var register = await client.RegisterAsync(EmailOf(index), Name(index), Password);
        Assert.True(register.Ok, $"{Backend} {Name(index)}: {register.Code} {register.Message}");
        return client;
    }

    private static X509Certificate2 Issue(int index) =>
        CertificateAuthority.Issue(TestPki.RootWithKey, CertificateRole.User, EmailOf(index), KeyKind.EcdsaP256, TestPki.Now.AddDays(-1), TestPki.Now.AddYears(1));

    /// <summary>Removes this run's accounts from MariaDB (the server's tables are unprefixed).</summary>
    public static async Task ForgetRunAsync()
    {
        if (MySqlTestEnvironment.ConnectionString is not { } connectionString)
        {
            return;
        }

        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM users WHERE username LIKE @pattern";
        command.Parameters.AddWithValue("@pattern", "%" + Tag);
        await command.ExecuteNonQueryAsync();
    }
}
