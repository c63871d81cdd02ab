using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Client;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Cli.Attack;

/// <summary>The scenarios themselves.</summary>
internal sealed partial class AttackLab
{
    private async Task EavesdropAsync(CancellationToken cancellationToken)
    {
        await using var proxy = Proxy();
        var (client, email, password) = await VictimAsync(proxy, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            const string Secret = "the vault code is 4711";
            await client.SendAsync(Secret, cancellationToken).ConfigureAwait(false);
            var ended = await client.EndAsync(cancellationToken).ConfigureAwait(false);
            var seen = proxy.Seen.ToList();
            var types = string.Join(", ", seen.Select(s => TryDecode(s.Frame) switch
            {
                null => "?",
                var m => m.GetType().Name.Replace("Message", "", StringComparison.Ordinal),
            }));
            Row($"record all {seen.Count} frames ({seen.Sum(s => s.Frame.Length)} bytes): {types}", "recorded", true);
            Row("search the recording for the password", Contains(seen, password) ? "FOUND" : "not present (it travels only under k_auth)", !Contains(seen, password));
            Row("search for the e-mail address", Contains(seen, email) ? "FOUND" : "not present", !Contains(seen, email));
            Row($"search for the message \"{Secret}\"", Contains(seen, Secret) ? "FOUND" : "not present (AES-128-GCM under k_chat)", !Contains(seen, Secret));
            Row("derive a key: only DH public values were sent; Z needs a private exponent", "no key material on the wire", true);
            Row("session still valid for the victim", ended.ReceiptsMatched ? "receipts matched" : "receipts did not match", ended.ReceiptsMatched);
        }
    }

    private async Task TamperAsync(CancellationToken cancellationToken)
    {
        var flipped = false;
        await using var proxy = Proxy((toServer, frame) =>
        {
            if (toServer && !flipped && TryDecode(frame) is ChatMessage msg)
            {
                flipped = true;
                var ct = Convert.FromBase64String(msg.Ct);
                ct[0] ^= 0x01;
                return [MessageCodec.EncodeFrame(msg with { Ct = Convert.ToBase64String(ct) })];
            }

            return [frame];
        });
        var (client, _, _) = await VictimAsync(proxy, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            await client.SendAsync("transfer 10 EUR to Bob", cancellationToken).ConfigureAwait(false);
            await EndedAsync(client).ConfigureAwait(false);
            var code = Refusal(proxy, out var fromServer);
            Row("flip one bit of the ciphertext of the victim's first message", code is null ? "delivered unchanged?" : $"{(fromServer ? "server" : "client")} refused: {code}", code == "SIG_FAIL");
        }
    }

    private async Task ReplayAsync(CancellationToken cancellationToken)
    {
        var replayed = false;
        await using var proxy = Proxy((toServer, frame) =>
        {
            if (toServer && !replayed && TryDecode(frame) is ChatMessage)
            {
                replayed = true;
                return [frame, frame];
            }

            return [frame];
        });
        var (client, _, _) = await VictimAsync(proxy, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            await client.SendAsync("pay the invoice", cancellationToken).ConfigureAwait(false);
            await EndedAsync(client).ConfigureAwait(false);
            var code = Refusal(proxy, out _);
            Row("send the victim's signed message a second time", code is null ? "accepted twice?" : $"server refused the copy: {code}", code == "REPLAY");
        }
    }

    private async Task BadCertificateAsync(CancellationToken cancellationToken)
    {
        // A certificate for client.local from a CA the server does not trust, with its private key.
        var rogue = Path.Combine(work, "rogue");
        Directory.CreateDirectory(rogue);
        var now = DateTimeOffset.UtcNow;
        using (var ca = CertificateAuthority.CreateRoot("Rogue CA", KeyKind.Rsa2048, now.AddMinutes(-5), now.AddDays(1)))
        using (var leaf = CertificateAuthority.Issue(ca, CertificateRole.Client, "client.local", KeyKind.Rsa2048, now.AddMinutes(-5), now.AddHours(12)))
        using (var key = leaf.GetRSAPrivateKey()!)
        {
            PemFiles.SaveCertificate(Path.Combine(rogue, "client.crt"), leaf);
            PemFiles.SavePrivateKey(Path.Combine(rogue, "client.key"), key);
        }

        await using var proxy = Proxy();
        var refused = await RefusedAsync(() => ChatClient.ConnectAsync("127.0.0.1", proxy.Port,
            ClientOptions(certFile: Path.Combine(rogue, "client.crt"), keyFile: Path.Combine(rogue, "client.key")), cancellationToken)).ConfigureAwait(false);
        Row("present a client.local certificate issued by a rogue CA", Describe(refused) ?? "accepted?", refused?.Code == ProtocolErrorCode.BadCert);

        // The client expects another name: the real server's certificate (relayed unchanged) must not pass for it.
        var impostor = await RefusedAsync(() => ChatClient.ConnectAsync("127.0.0.1", proxy.Port, ClientOptions(serverName: "bank.local"), cancellationToken)).ConfigureAwait(false);
        Row("impersonate bank.local with the real server.local certificate", Describe(impostor) ?? "accepted?", impostor?.Code == ProtocolErrorCode.BadCert);
    }

    private async Task MitmAsync(CancellationToken cancellationToken)
    {
        foreach (var (toServer, phase) in new[] { (true, DhPhase.Auth), (false, DhPhase.Auth), (true, DhPhase.Chat) })
        {
            using var attacker = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System);
            var ours = Convert.ToBase64String(attacker.PublicValue);
            await using var proxy = Proxy((direction, frame) =>
            {
                var message = direction == toServer ? TryDecode(frame) : null;
                return message switch
                {
                    DhClientMessage dh when DhPhases.Is(dh.Phase, phase) => [MessageCodec.EncodeFrame(dh with { A = ours })],
                    DhServerMessage dh when DhPhases.Is(dh.Phase, phase) => [MessageCodec.EncodeFrame(dh with { B = ours })],
                    _ => [frame],
                };
            });
            var refused = await RefusedAsync(async () =>
            {
                var (client, _, _) = await VictimAsync(proxy, cancellationToken).ConfigureAwait(false);
                return client;
            }).ConfigureAwait(false);
            var code = Refusal(proxy, out var fromServer);
            if (code is null && refused is { IsRemote: false } local)
            {
                // The proxy records the client's error frame only once it has relayed it, which may be after the
                // client gave up; the client's own refusal is known at once.
                code = local.Code.ToWire();
                fromServer = false;
            }

            Row($"relay the certificates but swap the {(toServer ? "client's" : "server's")} DH value ({phase} phase) for the attacker's",
                code is null ? Describe(refused) ?? "handshake completed?" : $"{(fromServer ? "server" : "client")} refused: {code}", code == "SIG_FAIL");
        }
    }

    private async Task BruteForceAsync(CancellationToken cancellationToken)
    {
        // The proxy only relays (and records, with --pcap): the guesses are the server's to refuse.
        await using var proxy = Proxy();
        var (victim, email, _) = await VictimAsync(proxy, cancellationToken).ConfigureAwait(false);
        await victim.DisposeAsync().ConfigureAwait(false);
        var codes = new List<string>();
        for (var connection = 0; connection < 3; connection++)
        {
            var client = await ChatClient.ConnectAsync("127.0.0.1", proxy.Port, ClientOptions(), cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                try
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var guess = "guess-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
                        codes.Add((await client.LoginAsync(email, guess, cancellationToken).ConfigureAwait(false)).Code);
                    }

                    await client.LoginAsync(email, "one more", cancellationToken).ConfigureAwait(false);
                }
                catch (ProtocolException e)
                {
                    codes.Add(e.Code.ToWire());
                }
            }
        }

        Row($"guess the victim's password 9 times over 3 connections", string.Join(" ", codes), codes.Contains("AUTH_FAILED") && codes.Contains("RATE_LIMITED"));
        var probe = await ChatClient.ConnectAsync("127.0.0.1", proxy.Port, ClientOptions(), cancellationToken).ConfigureAwait(false);
        await using (probe.ConfigureAwait(false))
        {
            var unknown = await probe.LoginAsync("nobody-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)) + "@example.org", "whatever1", cancellationToken).ConfigureAwait(false);
            Row("tell a registered e-mail from an unknown one", $"unknown e-mail: {unknown.Code} \"{unknown.Message}\" (same code and text as a wrong password)",
                unknown.Code is AuthCodes.InvalidCredentials or AuthCodes.RateLimited);
        }
    }

    /// <summary>How the connection was refused, or <see langword="null"/> if it was not.</summary>
    private static async Task<ProtocolException?> RefusedAsync(Func<Task<ChatClient>> connect)
    {
        try
        {
            var client = await connect().ConfigureAwait(false);
            await client.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (ProtocolException e)
        {
            return e;
        }
    }

    private static string? Describe(ProtocolException? refusal) =>
        refusal is null ? null : $"{(refusal.IsRemote ? "server" : "client")} refused: {refusal.Code.ToWire()} ({refusal.Message})";
}
