namespace SecureChat.Cli.Tests;

/// <summary>How <c>securechat server</c> reads its settings file and reports a bad one, a key others can read and a
/// database it cannot use: one sentence each, exit 2 for a wrong file, 1 for a database that fails.</summary>
public sealed class ServerConfigTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    [Fact]
    public async Task The_settings_file_in_the_current_folder_is_read()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllText(sandbox.File("securechat.json"), """{ "Transcripts": "from-the-settings-file", "identity": "per-user" }""");

        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.Path);
        var stopped = await server.StopAsync();

        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("transcripts: from-the-settings-file, identity: per-user", stopped.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_settings_file_that_is_not_JSON_is_one_sentence_naming_it()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllText(sandbox.File("securechat.json"), """{ "Listen": "127.0.0.1:0", """);

        var result = await sandbox.RunAsync("server", "--pki", pki.Directory);

        CliAssert.FailedWithOneSentence(result, "the settings file 'securechat.json' is not valid JSON");
    }

    [Fact]
    public async Task A_misspelt_setting_is_refused_with_the_known_ones()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllText(sandbox.File("settings.json"), """{ "Listn": "127.0.0.1:0" }""");

        var result = await sandbox.RunAsync("server", "--config", "settings.json", "--pki", pki.Directory);

        CliAssert.FailedWithOneSentence(result, "unknown setting 'Listn'");
        Assert.Contains("Listen", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_of_the_wrong_type_names_the_setting()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllText(sandbox.File("securechat.json"), """{ "MaxConnections": "many" }""");

        var result = await sandbox.RunAsync("server", "--listen", "127.0.0.1:0", "--pki", pki.Directory);

        CliAssert.FailedWithOneSentence(result, "MaxConnections must be a whole number, not 'many'");
    }

    [Fact]
    public async Task A_missing_settings_file_given_explicitly_is_named()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("server", "--config", "nowhere.json", "--pki", pki.Directory);

        CliAssert.FailedWithOneSentence(result, "nowhere.json");
    }

    [Fact]
    public async Task A_server_key_readable_by_others_is_refused_with_the_fix()
    {
        using var sandbox = new CliSandbox();
        var copy = sandbox.File("pki");
        Directory.CreateDirectory(copy);
        foreach (var name in new[] { "ca.crt", "server.crt", "server.key" })
        {
            File.Copy(pki.File(name), Path.Combine(copy, name));
        }

        File.SetUnixFileMode(Path.Combine(copy, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await sandbox.RunAsync("server", "--listen", "127.0.0.1:0", "--pki", "pki");

        CliAssert.FailedWithOneSentence(result, "chmod 600");
    }

    [Fact]
    public async Task An_unreachable_database_server_is_named_as_unreachable()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("server", "--listen", "127.0.0.1:0", "--pki", pki.Directory,
            "--db", "mysql:Server=127.0.0.1;Port=1;Database=securechat;User ID=nobody;Password=secret-word");

        CliAssert.FailedWithOneSentence(result, "cannot reach the database server", exitCode: 1);
        Assert.DoesNotContain("secret-word", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_database_password_is_named_as_such()
    {
        if (Environment.GetEnvironmentVariable("SECURECHAT_TEST_MYSQL") is not { Length: > 0 } connection)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "SECURECHAT_TEST_MYSQL is required in CI");
            return;
        }

        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("server", "--listen", "127.0.0.1:0", "--pki", pki.Directory,
            "--db", $"mysql:{connection};Password=not-the-password");

        CliAssert.FailedWithOneSentence(result, "refused the user name or password", exitCode: 1);
        Assert.DoesNotContain("not-the-password", result.StandardError, StringComparison.Ordinal);
    }
}
