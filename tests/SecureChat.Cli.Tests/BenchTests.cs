using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests;

/// <summary>A smoke run of <c>securechat bench</c>: tiny phases, but the real thing, child servers included. The numbers
/// depend on the machine and are not judged; that every phase ran and reported is.</summary>
public sealed class BenchTests
{
    [Theory]
    [InlineData("rsa2048")]
    [InlineData("p256")]
    public async Task A_small_run_reports_every_phase_as_json(string key)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["bench", "--key", key, "--setups", "5", "--messages", "20", "--idle", "5",
                "--room-members", "4", "--room-messages", "10", "--json"],
            new ChildProcessOptions { Timeout = TimeSpan.FromSeconds(240) });

        CliAssert.Succeeded(result);
        var report = JsonNode.Parse(result.StandardOutput) as JsonObject;
        Assert.NotNull(report);
        foreach (var phase in new[] { "floor", "setup_cheap_argon2", "one_sender", "relay_aggregate", "overload", "room_fanout", "idle_sessions", "setup_production_argon2" })
        {
            Assert.True(report[phase] is JsonObject, $"no '{phase}' in {report}");
        }

        Assert.Equal(key, (string?)report["floor"]!["key"]);
        Assert.True((double)report["floor"]!["sign_per_second"]! > 0, report.ToJsonString());
        Assert.True((double)report["floor"]!["rsa_sign_per_second"]! > 0, report.ToJsonString());
        Assert.True((double)report["setup_cheap_argon2"]!["per_second"]! > 0, report.ToJsonString());
        Assert.True((double)report["setup_production_argon2"]!["per_second"]! > 0, report.ToJsonString());
        Assert.True((double)report["one_sender"]!["delivered_per_second"]! > 0, report.ToJsonString());
        Assert.True((double)report["relay_aggregate"]!["delivered_per_second"]! > 0, report.ToJsonString());

        // The members that compare runs across versions keep their names; the CPU members sit beside them (CPU time
        // is read in clock ticks, so a handful of setups may round to zero on either side).
        Assert.True((double)report["setup_cheap_argon2"]!["ratio_to_floor"]! > 0, report.ToJsonString());
        Assert.True((double)report["one_sender"]!["ratio_to_relayed_message_floor"]! > 0, report.ToJsonString());
        foreach (var (phase, member) in new[] { ("setup_cheap_argon2", "server_cpu_ms_per_setup"), ("setup_cheap_argon2", "client_cpu_ms_per_setup"),
                     ("setup_production_argon2", "cpu_ms_per_setup"), ("one_sender", "server_cpu_ms_per_message"), ("one_sender", "client_cpu_ms_per_message") })
        {
            Assert.True((double)report[phase]![member]! >= 0, $"{phase}.{member}: {report.ToJsonString()}");
        }

        Assert.True((double)report["setup_cheap_argon2"]!["floor_ms_per_setup"]! > 0, report.ToJsonString());
        Assert.True((double)report["one_sender"]!["floor_ms_per_message"]! > 0, report.ToJsonString());

        // One author, three readers, ten messages: every copy counted, none refused.
        var room = report["room_fanout"]!;
        Assert.Equal(4, (int)room["members"]!);
        Assert.Equal(10, (int)room["messages"]!);
        Assert.Equal(30, (long)room["delivered"]!);
        Assert.Equal(0, (int)room["refused"]!);
        Assert.Equal(0, (int)room["dropped_sessions"]!);
        Assert.Equal(key, (string?)room["server_key"]);
        Assert.True((double)room["delivered_per_second"]! > 0, report.ToJsonString());
        Assert.True((double)room["latency_ms"]!["p99"]! >= (double)room["latency_ms"]!["median"]!, report.ToJsonString());
        Assert.True((double)room["sign_floor_per_second"]! > 0, report.ToJsonString());
        Assert.True((double)room["ratio_to_sign_floor"]! > 0, report.ToJsonString());
        // The server's CPU time is read in clock ticks (10 ms): thirty P-256 copies may cost less than one.
        Assert.True((double)room["server_cpu_ms_per_delivery"]! >= 0, report.ToJsonString());
        Assert.True((double)room["client_cpu_ms_per_delivery"]! > 0, report.ToJsonString());

        Assert.Equal(5, (int)report["idle_sessions"]!["held"]!);
        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Path));
    }
}
