using Microsoft.Data.Sqlite;
using MySqlConnector;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>When the user database goes away, a register/login gets <c>INTERNAL</c> within a bound instead of
/// hanging; sessions already established keep chatting; when it returns, logins work again.</summary>
public sealed class DatabaseOutageTests
{
    private const string Password = "correct horse battery";

    /// <summary>An answer must come well inside the 15 s handshake deadline, or it would be TIMEOUT instead.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(12);

    public enum Outage
    {
        /// <summary>Every connection is reset, like a database server that went down.</summary>
        Reset,

        /// <summary>Connections are accepted but nothing gets through, like a network path that drops packets.</summary>
        Blackhole,
    }

    [MySqlTheory]
    [InlineData(Outage.Reset)]
    [InlineData(Outage.Blackhole)]
    public async Task MariaDB_outage_gives_internal_promptly_open_sessions_keep_chatting_and_logins_return(Outage outage)
    {
        var connectionString = MySqlTestEnvironment.RequireConnectionString();
        var upstream = new MySqlConnectionStringBuilder(connectionString);
        await using var proxy = new TcpProxy(upstream.Server, (int)upstream.Port);
        var viaProxy = new MySqlConnectionStringBuilder(connectionString) { Server = "127.0.0.1", Port = (uint)proxy.Port };
        try
        {
            await using var server = await RunningServer.StartAsync(o => o.Db = "mysql:" + viaProxy.ConnectionString);
            await using var pair = await HonestPair.StartAsync(server);
            var email = $"{pair.A.Username}@example.org";

            if (outage == Outage.Reset)
            {
                proxy.Cut();
            }
            else
            {
                proxy.Blackhole();
            }

            await pair.ChatAsync();
            await using (var login = await RawSession.ConnectAsync(server.Port))
            {
                await ExpectInternalAsync(login.LoginAsync(email, Password));
                await login.Raw.ExpectClosedAsync();
            }

            await pair.ChatAsync();

            proxy.Restore();
            await using (var again = await RawSession.ConnectAsync(server.Port))
            {
                var answer = await again.LoginAsync(email, Password);
                Assert.Null(answer.Error);
                Assert.True(answer.Response!.Ok, answer.Response.Code);
            }

            await pair.ChatAsync();
            await pair.FinishAsync();
            await Eventually.NoSessionsLeftAsync(server);
        }
        finally
        {
            proxy.Restore();
            await DeleteRunUsersAsync(connectionString);
        }
    }

    /// <summary>SQLite cannot be switched off as root (permissions do not bind root), so the outage here is another
    /// process holding the write lock, as a backup or a stuck maintenance job would: every write waits out the
    /// busy timeout and fails. In WAL mode reads go on, so a correct login still succeeds; a registration and a
    /// failed login (whose failure must be counted) get <c>INTERNAL</c>.</summary>
    [Fact]
    public async Task SQLite_write_lock_gives_internal_promptly_for_writes_while_reads_and_open_sessions_go_on()
    {
        await using var server = await RunningServer.StartAsync();
        await using var pair = await HonestPair.StartAsync(server);
        var email = $"{pair.A.Username}@example.org";
        var path = server.Options.Db["sqlite:".Length..];

        var locker = new SqliteConnection($"Data Source={path};Pooling=False");
        await using (locker)
        {
            await locker.OpenAsync();
            var transaction = await locker.BeginTransactionAsync();
            await using (transaction)
            {
                await pair.ChatAsync();
                await using (var register = await RawSession.ConnectAsync(server.Port))
                {
                    await ExpectInternalAsync(register.SubmitAsync(new AuthRequestPlaintext
                    {
                        Op = AuthRequestPlaintext.Register,
                        Email = "newcomer@example.org",
                        Username = "newcomer",
                        Password = Password,
                    }));
                    await register.Raw.ExpectClosedAsync();
                }

                await using (var wrong = await RawSession.ConnectAsync(server.Port))
                {
                    await ExpectInternalAsync(wrong.LoginAsync(email, "not the password"));
                    await wrong.Raw.ExpectClosedAsync();
                }

                await using (var right = await RawSession.ConnectAsync(server.Port))
                {
                    var answer = await right.LoginAsync(email, Password).WaitAsync(AnswerBound);
                    Assert.True(answer.Response is { Ok: true }, answer.Response?.Code ?? answer.Error?.Code);
                }

                await pair.ChatAsync();
                await transaction.RollbackAsync();
            }
        }

        await using (var newcomer = await RawSession.ConnectAsync(server.Port))
        {
            await newcomer.RegisterAsync("newcomer@example.org", "newcomer", Password);
        }

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    private static async Task ExpectInternalAsync(Task<AuthAnswer> request)
    {
        var answer = await request.WaitAsync(AnswerBound);
        Assert.Null(answer.Response);
        Assert.NotNull(answer.Error);
        Assert.Equal(ProtocolErrorCode.Internal.ToWire(), answer.Error.Code);
    }

    /// <summary>The server keeps its tables unprefixed, so this run's accounts are removed by name afterwards.</summary>
    private static async Task DeleteRunUsersAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM users WHERE username LIKE @pattern";
        command.Parameters.AddWithValue("@pattern", $"honest{HonestPair.RunTag}%");
        await command.ExecuteNonQueryAsync();
    }
}
