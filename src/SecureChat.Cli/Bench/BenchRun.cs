using System.Text.Json;
using SecureChat.Client;
using SecureChat.Pki;
using Spectre.Console;

namespace SecureChat.Cli.Bench;

/// <summary>Runs every phase of <c>securechat bench</c> and reports it beside the crypto floor.</summary>
internal static class BenchRun
{
    public sealed record Settings(string? Target, string Pki, int Setups, int Concurrency, int Messages, int Idle, bool Json,
        int OverloadMembers = 32, int OverloadMessages = 0, string Key = "rsa2048", int RoomMembers = 50, int RoomMessages = 0,
        double RoomRate = 0);

    public static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("securechat-bench-").FullName;
        try
        {
            var pki = settings.Target is null ? BenchPki.Make(Path.Combine(work, "pki"), settings.Key) : settings.Pki;
            var results = new Dictionary<string, object?>
            {
                ["machine"] = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, runtime = Environment.Version.ToString() },
            };
            var ca = PemFiles.LoadCertificate(Path.Combine(pki, "ca.crt"));
            var client = PemFiles.LoadCertificateWithKey(Path.Combine(pki, "client.crt"), Path.Combine(pki, "client.key"));
            // One identity for every simulated client: loading and parsing key files per connection is not the server's cost.
            var shared = ClientSetup.Load(pki, null, null, null, "server.local", null);
            Func<string, ChatClientOptions> optionsFor = _ => shared;

            var floor = await Step(settings, "crypto floor (primitives alone, one core)", () =>
                Task.FromResult(CryptoFloor.Measure(ca, client, TimeSpan.FromSeconds(1)))).ConfigureAwait(false);
            results["floor"] = floor;
            results["floor_setup_ms"] = floor.SetupMilliseconds;
            results["floor_setups_per_second_all_cores"] = floor.SetupsPerSecond(Environment.ProcessorCount);

            foreach (var cheap in new[] { true, false })
            {
                var label = cheap ? "setup_cheap_argon2" : "setup_production_argon2";
                var (host, port, server) = await ServerAsync(settings, work, pki, cheap, label, cancellationToken).ConfigureAwait(false);
                await using (server.ConfigureAwait(false))
                {
                    var load = new LoadGenerator(host, port, optionsFor);
                    await Progress(settings, $"registering {settings.Setups} accounts to log in with (not measured)", settings.Setups,
                        report => load.RegisterAccountsAsync(settings.Setups, settings.Concurrency, report, cancellationToken)).ConfigureAwait(false);
                    var setupCpu = CpuMeter.Start(server.CpuTime);
                    var (perSecond, latency, _) = await Progress(settings, $"session setups with login ({(cheap ? "Argon2id m=64 KiB,t=1: login cost excluded" : "Argon2id m=19 MiB,t=2: production login")})", settings.Setups,
                        report => load.SetupSessionsAsync(settings.Setups, settings.Concurrency, keep: false, login: true, report, cancellationToken)).ConfigureAwait(false);
                    var perSetup = setupCpu.PerOperation(settings.Setups);
                    var floorPerSecond = cheap ? floor.SetupsPerSecond(Environment.ProcessorCount) : floor.SetupsWithArgon2PerSecond(Environment.ProcessorCount);
                    var floorMilliseconds = cheap ? floor.SetupMilliseconds : floor.SetupMilliseconds + (1000 / floor.Argon2PerSecond);
                    results[label] = new
                    {
                        per_second = perSecond,
                        latency_ms = latency,
                        floor_per_second = floorPerSecond,
                        ratio_to_floor = perSecond / floorPerSecond,
                        server_cpu_ms_per_setup = perSetup.ServerMilliseconds,
                        client_cpu_ms_per_setup = perSetup.ClientMilliseconds,
                        cpu_ms_per_setup = perSetup.TotalMilliseconds,
                        floor_ms_per_setup = floorMilliseconds,
                        cpu_ratio_to_floor = perSetup.RatioTo(floorMilliseconds),
                    };

                    if (cheap)
                    {
                        var oneCpu = CpuMeter.Start(server.CpuTime);
                        var one = await Progress(settings, "messages, one sender to one receiver", settings.Messages,
                            report => load.RelayAsync(1, 1, settings.Messages, report, cancellationToken)).ConfigureAwait(false);
                        var perMessage = oneCpu.PerOperation(settings.Messages);
                        var relayFloor = Environment.ProcessorCount * 1000 / floor.RelayedMessageMilliseconds;
                        results["one_sender"] = new
                        {
                            sent_per_second = one.SentPerSecond,
                            delivered_per_second = one.DeliveredPerSecond,
                            latency_ms = one.Latency,
                            ratio_to_rsa_sign_floor = one.DeliveredPerSecond / floor.RsaSignPerSecond,
                            relayed_message_floor_per_second = relayFloor,
                            ratio_to_relayed_message_floor = one.DeliveredPerSecond / relayFloor,
                            server_cpu_ms_per_message = perMessage.ServerMilliseconds,
                            client_cpu_ms_per_message = perMessage.ClientMilliseconds,
                            cpu_ms_per_message = perMessage.TotalMilliseconds,
                            floor_ms_per_message = floor.RelayedMessageMilliseconds,
                            cpu_ratio_to_relayed_message_floor = perMessage.RatioTo(floor.RelayedMessageMilliseconds),
                        };
                        var perSender = Math.Max(1, settings.Messages / 4);
                        var relay = await Progress(settings, "relay, 4 senders, every message to the 3 others", perSender * 4 * 3,
                            report => load.RelayAsync(4, 0, perSender, report, cancellationToken)).ConfigureAwait(false);
                        results["relay_aggregate"] = new { sent_per_second = relay.SentPerSecond, delivered_per_second = relay.DeliveredPerSecond, latency_ms = relay.Latency };

                        // Every member sends at once: the server, not the readers, is the bottleneck.
                        var members = Math.Max(2, settings.OverloadMembers);
                        var each = settings.OverloadMessages > 0 ? settings.OverloadMessages : Math.Max(5, settings.Messages / 200);
                        var overload = await Progress(settings, $"overload: {members} members all sending, with logins alongside", members * (members - 1) * each,
                            report => load.OverloadAsync(members, each, logins: 10, report, cancellationToken)).ConfigureAwait(false);
                        results["overload"] = new
                        {
                            members = overload.Members,
                            delivered_per_second = overload.DeliveredPerSecond,
                            messages_each = each,
                            refused = overload.Refused,
                            refused_per_second = overload.RefusedPerSecond,
                            dropped_sessions = overload.DroppedSessions,
                            login_latency_ms = overload.LoginLatency,
                        };

                        results["room_fanout"] = await RoomFanOutAsync(settings, load, server, pki, floor, cancellationToken).ConfigureAwait(false);

                        var before = server.ResidentBytes();
                        var (_, _, held) = await Progress(settings, $"{settings.Idle} idle sessions held", settings.Idle,
                            report => load.SetupSessionsAsync(settings.Idle, settings.Concurrency, keep: true, login: false, report, cancellationToken)).ConfigureAwait(false);
                        GC.Collect();
                        await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
                        var after = server.ResidentBytes();
                        results["idle_sessions"] = new { held = held.Count, server_rss_before_bytes = before, server_rss_after_bytes = after, rss_per_session_bytes = held.Count == 0 ? 0 : (after - before) / held.Count };
                        foreach (var c in held)
                        {
                            await c.DisposeAsync().ConfigureAwait(false);
                        }
                    }
                }
            }

            Render(settings, results);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One author to the other members of a named room: every copy is stored with a pending row per reader,
    /// then sealed and signed by the server in each reader's session.</summary>
    private static async Task<object> RoomFanOutAsync(Settings settings, LoadGenerator load, ServerHandle server, string pki, CryptoFloor floor,
        CancellationToken cancellationToken)
    {
        // A room of this run alone: against a --target server, an earlier run's room would have members (offline
        // now) for whom every message would also be kept.
        var room = $"#bench-{Environment.ProcessId}";
        var members = Math.Max(2, settings.RoomMembers);
        var messages = settings.RoomMessages > 0 ? settings.RoomMessages : Math.Max(20, settings.Messages / 10);
        var pace = settings.RoomRate > 0 ? $"{settings.RoomRate:0.#} messages/s" : "as fast as the server takes them";
        var result = await Progress(settings, $"room fan-out: 1 author to the {members - 1} other members of {room}, {pace}", messages * (members - 1),
            report => load.RoomFanOutAsync(room, members, messages, settings.RoomRate, server.CpuTime, report, cancellationToken)).ConfigureAwait(false);

        // The server's key: the bench's own PKI gives it the clients' kind; against a --target, server.crt tells,
        // if the folder has it.
        var serverCertificate = Path.Combine(pki, "server.crt");
        var serverKey = File.Exists(serverCertificate) ? BenchPki.KeyName(PemFiles.LoadCertificate(serverCertificate)) : floor.Key;
        var (sign, verify) = serverKey == floor.Key ? (floor.SignPerSecond, floor.VerifyPerSecond) : CryptoFloor.SignAndVerify(serverKey, TimeSpan.FromSeconds(1));
        var cores = Environment.ProcessorCount;
        var signFloor = sign * cores;

        // All the public-key work per delivered copy on these cores: the server's signature and the reader's
        // verification, plus the author's signature and the server's verification shared by the copies of a message.
        var deliveryMilliseconds = ((1000 / sign) + (1000 / verify)) * (1 + (1.0 / (members - 1)));
        var deliveryFloor = cores * 1000 / deliveryMilliseconds;
        return new
        {
            members = result.Members,
            messages = result.Messages,
            pace_per_second = settings.RoomRate,
            sent_per_second = result.SentPerSecond,
            delivered = result.Delivered,
            delivered_per_second = result.DeliveredPerSecond,
            refused = result.Refused,
            dropped_sessions = result.DroppedSessions,
            latency_ms = result.Latency,
            server_key = serverKey,
            sign_floor_per_second = signFloor,
            ratio_to_sign_floor = result.DeliveredPerSecond / signFloor,
            delivery_floor_per_second = deliveryFloor,
            ratio_to_delivery_floor = result.DeliveredPerSecond / deliveryFloor,

            // What a delivered copy costs in CPU, whatever share of the machine the run got: the server's, and the
            // load generator's (the author and the readers, on the same machine here).
            server_cpu_ms_per_delivery = result.ServerCpu is { } cpu && result.Delivered > 0 ? cpu.TotalMilliseconds / result.Delivered : (double?)null,
            client_cpu_ms_per_delivery = result.Delivered > 0 ? result.OwnCpu.TotalMilliseconds / result.Delivered : 0,
        };
    }

    private static async Task<(string Host, int Port, ServerHandle Server)> ServerAsync(Settings settings, string work, string pki, bool cheap, string label, CancellationToken cancellationToken)
    {
        if (settings.Target is not null)
        {
            var (host, port) = ClientSetup.ParseTarget(settings.Target);
            return (host, port, new ServerHandle(null));
        }

        var directory = Path.Combine(work, label);
        Directory.CreateDirectory(directory);
        var process = await ServerProcess.StartAsync(directory, pki, cheap, cancellationToken).ConfigureAwait(false);
        return ("127.0.0.1", process.Port, new ServerHandle(process));
    }

    private static async Task<T> Step<T>(Settings settings, string title, Func<Task<T>> run)
    {
        if (settings.Json)
        {
            return await run().ConfigureAwait(false);
        }

        return await AnsiConsole.Status().StartAsync(title, _ => run()).ConfigureAwait(false);
    }

    private static async Task<T> Progress<T>(Settings settings, string title, int total, Func<Action<int>, Task<T>> run)
    {
        if (settings.Json)
        {
            return await run(_ => { }).ConfigureAwait(false);
        }

        T result = default!;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(title), maxValue: total);
            result = await run(done => task.Value = done).ConfigureAwait(false);
            task.Value = total;
        }).ConfigureAwait(false);
        return result;
    }

    private static void Render(Settings settings, Dictionary<string, object?> results)
    {
        var text = JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        if (settings.Json)
        {
            Console.WriteLine(text);
            return;
        }

        using var document = JsonDocument.Parse(text);
        var table = new Table().AddColumns("measure", "value");
        foreach (var property in document.RootElement.EnumerateObject())
        {
            Flatten(table, property.Name, property.Value);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[dim]setups: all public-key work of both sides on this machine; ratio = measured / (cores x 1000 / floor_setup_ms). one_sender ratio = delivered/s / RSA-sign/s. room_fanout: sign floor = cores x server-key signatures/s (one per copy).[/]");
    }

    private static void Flatten(Table table, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                Flatten(table, $"{name}.{property.Name}", property.Value);
            }

            return;
        }

        var shown = value.ValueKind == JsonValueKind.Number
            ? value.GetDouble().ToString(value.GetDouble() < 10 ? "0.###" : "#,0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString();
        table.AddRow(Markup.Escape(name), Markup.Escape(shown));
    }

    /// <summary>A child server to stop and measure, or nothing when driving an external target.</summary>
    private sealed class ServerHandle(ServerProcess? process) : IAsyncDisposable
    {
        public long ResidentBytes() => process?.ResidentBytes() ?? 0;

        public TimeSpan? CpuTime() => process?.CpuTime();

        public ValueTask DisposeAsync() => process?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
