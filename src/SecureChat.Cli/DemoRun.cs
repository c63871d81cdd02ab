using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using SecureChat.Accounts;
using SecureChat.Cli.Attack;
using SecureChat.Cli.Capture;
using SecureChat.Client;
using SecureChat.Crypto;
using SecureChat.Evidence.Audit;
using SecureChat.Protocol.Session;
using SecureChat.Server;
using Spectre.Console;

namespace SecureChat.Cli;

/// <summary>The one-command demonstration: every step runs the real components over real loopback sockets.</summary>
internal static class DemoRun
{
    /// <summary>The folder of the users' own keys, requests and certificates, one folder per user.</summary>
    private const string UsersFolder = "users";

    private const string AliceSays = "Hi Bob, the meeting is at 10.";
    private const string AliceSaysInOps = "The deploy of 2.1 starts at 10:30.";
    private const string Ops = "#ops";

    /// <summary>Runs the demo in <paramref name="keepDirectory"/> (or a temporary folder); with <paramref name="pcap"/>,
    /// every frame of both users' sessions is also written there as pcapng. A folder that already holds a CA is
    /// refused without <paramref name="force"/>: a new CA would leave the transcripts kept there unverifiable.</summary>
    public static async Task<int> RunAsync(string? keepDirectory, bool force, string? pcap, CancellationToken cancellationToken)
    {
        if (keepDirectory is not null && !force && File.Exists(Path.Combine(keepDirectory, "pki", "ca.crt")))
        {
            throw new ArgumentException(
                $"'{keepDirectory}' already holds a demo (pki/ca.crt); a new CA would leave the transcripts there unverifiable. Choose another folder, or add --force to replace it.");
        }

        var root = keepDirectory is null ? Directory.CreateTempSubdirectory("securechat-demo-").FullName : Path.GetFullPath(keepDirectory);
        Directory.CreateDirectory(root);
        if (keepDirectory is not null)
        {
            RemovePreviousDemo(root);
        }

        var capture = pcap is null ? null : CaptureFile.Create(pcap);
        try
        {
            return await RunInAsync(root, capture, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (capture is not null)
            {
                capture.Dispose();
                AnsiConsole.MarkupLine($"capture: {capture.Packets} packets written to [bold]{Markup.Escape(pcap!)}[/]");
            }

            if (keepDirectory is null)
            {
                Directory.Delete(root, recursive: true);
            }
            else
            {
                AnsiConsole.MarkupLine($"files kept in [bold]{Markup.Escape(root)}[/]");
            }
        }
    }

    private static async Task<int> RunInAsync(string root, CaptureFile? capture, CancellationToken cancellationToken)
    {
        var pki = Path.Combine(root, "pki");
        Step(1, "Authenticity", "a private Root CA issues server.local's certificate; alice and bob each make their own key and a certificate "
            + "signing request (as 'pki request' does), and the CA signs the request (as 'pki sign' does)");
        var ca = DemoPki.MakeCa(pki);
        Say($"CA [bold]{Markup.Escape(ca.Subject)}[/], SHA-256 {ca.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)[..16]}…; keys written with mode 0600");
        var users = new Dictionary<string, Enrolment>(StringComparer.Ordinal);
        foreach (var name in new[] { "alice", "bob" })
        {
            var user = users[name] = DemoPki.Enrol(pki, Path.Combine(root, UsersFolder, name), $"{name}@example.org");
            Say($"{name} made a key in {UsersFolder}/{name}/ (mode 0600) and a request; the CA signed [bold]{Markup.Escape(user.Subject)}[/], "
                + $"public key SHA-256 {user.KeyFingerprint[..23]}…");
        }

        Say("each user made their own key: the CA saw only the requests' public keys, never a private key");

        Step(2, "Server", "Kestrel host on a free loopback port, users in SQLite, one transcript file per session; per-user identity: "
            + "a certificate is admitted only for the account whose e-mail address it names");
        var options = new ServerOptions
        {
            Listen = "127.0.0.1:0",
            Pki = pki,
            Db = "sqlite:" + Path.Combine(root, "users.db"),
            Transcripts = Path.Combine(root, "server-transcripts"),
            Identity = "per-user",
        };
        var server = await SecureChatServer.CreateAsync(options, l => l.SetMinimumLevel(LogLevel.Warning), cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            Say($"listening on {server.EndPoint}, identity mode {options.Identity}");

            // With a capture, the clients connect through a relay that changes nothing and records every frame.
            var tap = capture is null ? null : new FrameProxy(server.EndPoint, capture: capture);
            var port = tap?.Port ?? server.EndPoint.Port;
            try
            {
                Step(3, "Mutual authentication + confidentiality of credentials",
                    "each client checks the server certificate and the server each user's own, both sign their DH shares over the handshake hash, and register under k_auth (AES-128-GCM)");
                var alice = await ConnectAsync(port, pki, root, "alice", users["alice"], cancellationToken).ConfigureAwait(false);
                var bob = await ConnectAsync(port, pki, root, "bob", users["bob"], cancellationToken).ConfigureAwait(false);

                // The server adds bob to its room just after his handshake ends; its roster notice says he is in.
                await NoticeAsync(bob, "roster", cancellationToken).ConfigureAwait(false);
                var store = UserStoreFactory.Create(options.Db);
                var stored = await store.FindByEmailAsync("alice@example.org", cancellationToken).ConfigureAwait(false);
                Say($"the database keeps only a salted Argon2id hash: [dim]{Markup.Escape(stored!.PasswordHash[..Math.Min(40, stored.PasswordHash.Length)])}…[/]");

                Step(4, "Confidentiality, integrity, replay protection",
                    "each message is AES-128-GCM under k_chat, RSA-PSS signed over session, direction, seqno, ts, ciphertext and a commitment; "
                    + "the copy the server relays carries the author's own signed message");
                await alice.SendAsync(AliceSays, cancellationToken).ConfigureAwait(false);
                var atBob = await NextChatAsync(bob, cancellationToken).ConfigureAwait(false);
                Say($"bob received from {atBob.From}: \"{Markup.Escape(atBob.Text)}\" (signature, seqno {atBob.Seqno}, freshness and commitment checked; "
                    + $"{Markup.Escape(ProofOf(atBob))})");
                await bob.SendAsync("Thanks Alice, see you there.", cancellationToken).ConfigureAwait(false);
                var atAlice = await NextChatAsync(alice, cancellationToken).ConfigureAwait(false);
                Say($"alice received from {atAlice.From}: \"{Markup.Escape(atAlice.Text)}\" ({Markup.Escape(ProofOf(atAlice))})");
                await RoomAndDirectMessageAsync(alice, bob, cancellationToken).ConfigureAwait(false);

                Step(5, "Non-repudiation", "both sides end with signed receipts over the canonical transcript hash");
                foreach (var (name, client) in new[] { ("alice", alice), ("bob", bob) })
                {
                    if (client == bob)
                    {
                        // A notice still on its way when bob sends his receipt would be logged but not covered by it,
                        // leaving both of his files accepted but incomplete: bob ends once he has heard alice leave.
                        await NoticeAsync(bob, "leave", cancellationToken).ConfigureAwait(false);
                    }

                    var ended = await client.EndAsync(cancellationToken).ConfigureAwait(false);
                    Say($"{name}: receipts {(ended.ReceiptsMatched ? "[green]exchanged and verified[/]" : "[red]did not match[/]")}");
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                if (tap is not null)
                {
                    await tap.DisposeAsync().ConfigureAwait(false);
                }
            }

            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        Step(6, "Offline audit", "an auditor with only ca.crt checks every transcript: certificates, DH signatures, message signatures, seqnos, "
            + "commitments, receipts, and the author's own evidence in every relayed copy");
        var files = Directory.GetFiles(root, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var table = new Table().AddColumns("transcript", "verdict", "messages", "receipts");
        var allAccepted = true;
        var reports = new Dictionary<string, AuditReport>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var report = reports[file] = Audit(file, ca);
            allAccepted &= report.Accepted && report.Complete;
            table.AddRow(Markup.Escape(Path.GetRelativePath(root, file)), report.Accepted ? "[green]accepted[/]" : "[red]rejected[/]",
                report.MessagesVerified.ToString(System.Globalization.CultureInfo.InvariantCulture),
                report.ReceiptsVerified.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        var bobsFolder = Path.Combine(root, "client-transcripts", "bob") + Path.DirectorySeparatorChar;
        var bobsFile = files.FirstOrDefault(f => f.StartsWith(bobsFolder, StringComparison.Ordinal));
        var authorProven = bobsFile is not null && ShowAuthorProof(reports[bobsFile], "alice");

        Step(7, "Tamper evidence", "one changed character in a stored ciphertext and the auditor names the line");
        var tampered = Tamper(files.First(f => f.Contains("client-transcripts", StringComparison.Ordinal)));
        var verdict = Audit(tampered, ca);
        Say(verdict.Accepted
            ? "[red]the tampered transcript was accepted — this is a bug[/]"
            : $"[green]rejected[/]: line {verdict.FirstFailure!.LineNumber}, {Markup.Escape(verdict.FirstFailure.Reason)}");

        var success = allAccepted && files.Count == 4 && authorProven && !verdict.Accepted;
        AnsiConsole.Write(new Rule(success ? "[green]demo complete: every property held[/]" : "[red]demo failed[/]"));
        return success ? 0 : CliRunner.Failure;
    }

    /// <summary>Alice and bob join <c>#ops</c>, alice writes there, and bob writes to alice alone (protocol §9.8).</summary>
    private static async Task RoomAndDirectMessageAsync(ChatClient alice, ChatClient bob, CancellationToken cancellationToken)
    {
        await alice.JoinAsync(Ops, cancellationToken: cancellationToken).ConfigureAwait(false);
        await NoticeAsync(alice, "joined", cancellationToken).ConfigureAwait(false);
        await bob.JoinAsync(Ops, cancellationToken: cancellationToken).ConfigureAwait(false);
        await NoticeAsync(bob, "joined", cancellationToken).ConfigureAwait(false);

        // alice hears bob join before anything else, so no notice is left on its way when she ends.
        await NoticeAsync(alice, "join", cancellationToken).ConfigureAwait(false);
        Say($"alice and bob joined the room {Ops} (created on first join, kept in the database)");
        await alice.SendAsync(AliceSaysInOps, Ops, cancellationToken).ConfigureAwait(false);
        var inOps = await NextChatAsync(bob, cancellationToken).ConfigureAwait(false);
        Say($"in {inOps.To}, bob received from {inOps.From}: \"{Markup.Escape(inOps.Text)}\" ({Markup.Escape(ProofOf(inOps))})");
        await bob.SendAsync("Alice, can you review my change before the deploy?", "@alice", cancellationToken).ConfigureAwait(false);
        var direct = await NextChatAsync(alice, cancellationToken).ConfigureAwait(false);
        Say($"a direct message: alice alone received from {direct.From}: \"{Markup.Escape(direct.Text)}\" ({Markup.Escape(ProofOf(direct))})");
    }

    /// <summary>Says what bob's transcript proves about the messages <paramref name="author"/> sent him (in #lobby and
    /// in #ops); true only when the author's own key proves each (proof <c>author</c>), not only the server's word.</summary>
    private static bool ShowAuthorProof(AuditReport report, string author)
    {
        var copies = report.Messages.Where(m => m.From == author && m.Proof is not null).ToList();
        if (copies.Count < 2 || copies.Any(c => c is not { Proof: "author", Author: not null, AuthorTs: not null }))
        {
            Say($"[red]bob's transcript does not prove {author}'s messages by {author}'s own key "
                + $"(proofs: {Markup.Escape(string.Join(", ", copies.Select(c => c.Proof)))})[/]");
            return false;
        }

        foreach (var copy in copies)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(copy.AuthorTs!.Value).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Say(Markup.Escape($"bob's transcript proves: {copy.Author} said \"{copy.Text}\" to {copy.To} at {at} — signed by {author}'s own key "
                + $"({copy.AuthorSubject}, proof: {copy.Proof})"));
        }

        return true;
    }

    private static string ProofOf(ChatMessageReceived message) => message.Proof switch
    {
        ProofLevel.Author => $"the copy carries {message.AuthorEmail}'s own signature",
        ProofLevel.Server => "the copy carries a signature of the shared key: only the server attests the author",
        _ => "no author signature",
    };

    /// <summary>Removes what an earlier demo left in the folder (only the demo's own names), so the audit sees this run alone.</summary>
    private static void RemovePreviousDemo(string root)
    {
        foreach (var folder in new[] { "pki", UsersFolder, "server-transcripts", "client-transcripts" })
        {
            if (Directory.Exists(Path.Combine(root, folder)))
            {
                Directory.Delete(Path.Combine(root, folder), recursive: true);
            }
        }

        foreach (var file in new[] { "users.db", "users.db-wal", "users.db-shm", "users.db-journal" })
        {
            File.Delete(Path.Combine(root, file));
        }
    }

    private static async Task<ChatClient> ConnectAsync(int port, string pki, string root, string name, Enrolment user, CancellationToken cancellationToken)
    {
        var options = ClientSetup.Load(pki, user.CertificatePath, user.KeyPath, null, "server.local", Path.Combine(root, "client-transcripts", name));
        var client = await ChatClient.ConnectAsync("127.0.0.1", port, options, cancellationToken).ConfigureAwait(false);
        var password = Convert.ToBase64String(IEntropySource.System.GetBytes(12));
        var response = await client.RegisterAsync(user.Email, name, password, cancellationToken).ConfigureAwait(false);
        if (!response.Ok)
        {
            throw new InvalidOperationException($"registration of {name} failed: {response.Message}");
        }

        Say($"{name} connected with {Markup.Escape(user.Subject)}, registered and logged in; session {client.SessionId}");
        return client;
    }

    private static async Task<ChatMessageReceived> NextChatAsync(ChatClient client, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var e = await client.Events.ReadAsync(timeout.Token).ConfigureAwait(false);
            if (e is ChatMessageReceived { Kind: "chat" } message)
            {
                return message;
            }
        }
    }

    private static async Task NoticeAsync(ChatClient client, string eventName, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (await client.Events.ReadAsync(timeout.Token).ConfigureAwait(false) is not ChatMessageReceived { Kind: "system" } notice
               || notice.Event != eventName)
        {
        }
    }

    private static AuditReport Audit(string path, X509Certificate2 ca)
    {
        using var stream = File.OpenRead(path);
        return TranscriptAuditor.Audit(stream, ca);
    }

    private static string Tamper(string path)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.FindIndex(lines, l => l.Contains("\"kind\":\"msg\"", StringComparison.Ordinal));
        var chars = lines[index].ToCharArray();

        // The first plain letter or digit of ct: transcript JSON escapes '+' as \u002B, and a character changed
        // inside an escape would make ct malformed base64 instead of a valid ciphertext with one bit changed.
        var at = lines[index].IndexOf("\"ct\":\"", StringComparison.Ordinal) + 6;
        while (!char.IsAsciiLetterOrDigit(chars[at]))
        {
            at += chars[at] == '\\' ? 6 : 1;
        }

        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        lines[index] = new string(chars);
        var copy = path + ".tampered";
        File.WriteAllLines(copy, lines, new UTF8Encoding(false));
        return copy;
    }

    private static void Step(int number, string property, string what)
    {
        AnsiConsole.Write(new Rule($"[bold]{number}. {Markup.Escape(property)}[/]").LeftJustified());
        AnsiConsole.MarkupLine($"[dim]{Markup.Escape(what)}[/]");
    }

    private static void Say(string markup) => AnsiConsole.MarkupLine("  " + markup);
}
