using System.CommandLine;
using SecureChat.Cli.Bench;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>bench</c> verb: the project's load generator.</summary>
internal static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var target = new Option<string?>("--target") { Description = "Server to drive, HOST:PORT (with --pki). Without it, servers are started as child processes." };
        var pki = new Option<string>("--pki") { Description = "With --target: folder with ca.crt, client.crt, client.key.", DefaultValueFactory = _ => "./pki" };
        var setups = new Option<int>("--setups") { Description = "Session setups per setup phase.", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients during setups.", DefaultValueFactory = _ => 2 * Environment.ProcessorCount };
        var messages = new Option<int>("--messages") { Description = "Messages sent in the one-sender phase.", DefaultValueFactory = _ => 2000 };
        var idle = new Option<int>("--idle") { Description = "Concurrent idle sessions to hold while the server's memory is read.", DefaultValueFactory = _ => 1000 };
        var members = new Option<int>("--overload-members") { Description = "Members of the saturated room in the overload phase.", DefaultValueFactory = _ => 32 };
        var each = new Option<int>("--overload-messages") { Description = "Messages each member sends in the overload phase (default: messages / 200, at least 5).", DefaultValueFactory = _ => 0 };
        var roomMembers = new Option<int>("--room-members") { Description = "Members of the named room in the room fan-out phase (one author, the others read).", DefaultValueFactory = _ => 50 };
        var roomMessages = new Option<int>("--room-messages") { Description = "Messages the author sends to the room (default: messages / 10, at least 20).", DefaultValueFactory = _ => 0 };
        var roomRate = new Option<double>("--room-rate") { Description = "Messages per second the author sends to the room (default 0: as fast as the server takes them).", DefaultValueFactory = _ => 0 };
        var key = new Option<string>("--key") { Description = "Key kind of the server and client certificates of the PKI the bench makes (not with --target).", DefaultValueFactory = _ => "rsa2048" };
        key.AcceptOnlyFromAmong([.. BenchPki.KeyKinds.Keys]);
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var nodes = new Option<int>("--nodes") { Description = "Instead of the phases: N server nodes on --db with a private redis-server, and a lobby relay of --messages messages from 12 members spread over them." };
        var db = new Option<string?>("--db") { Description = "With --nodes: mysql:CONNECTION-STRING (default: SECURECHAT_TEST_MYSQL)." };
        var command = new Command("bench", "Load generator: session setups/s, messages/s, relay throughput, room fan-out, idle sessions and server memory, beside the crypto floor measured in the same run.")
        {
            target, pki, setups, concurrency, messages, idle, members, each, roomMembers, roomMessages, roomRate, key, json, nodes, db,
        };
        command.SetAction(CliRunner.Guard((parse, cancellationToken) => parse.GetValue(nodes) > 0
            ? ClusterBench.RunAsync(parse.GetValue(nodes), parse.GetValue(messages), parse.GetValue(db), parse.GetValue(json), cancellationToken)
            : BenchRun.RunAsync(new BenchRun.Settings(
            parse.GetValue(target), parse.GetValue(pki)!, parse.GetValue(setups), parse.GetValue(concurrency),
            parse.GetValue(messages), parse.GetValue(idle), parse.GetValue(json), parse.GetValue(members), parse.GetValue(each),
            parse.GetValue(key)!, parse.GetValue(roomMembers), parse.GetValue(roomMessages), parse.GetValue(roomRate)), cancellationToken)));
        return command;
    }
}
