using SecureChat.Client;
using SecureChat.Evidence.Audit;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.TestSupport.EvilPeer;

namespace SecureChat.Integration.Tests;

/// <summary>The real client against a server that lies about who wrote a relayed message (protocol §9.6): every
/// copy whose author evidence fails is refused with <c>BAD_ORIGIN</c>, nothing of it is shown or recorded, and the
/// transcript stays the honest prefix; an honest copy is shown with the proof it carries.</summary>
public sealed class EvilServerOriginTests
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static TheoryData<string> Lies => [.. Forgeries.Keys];

    private static readonly Dictionary<string, Func<OutgoingChat>> Forgeries = new()
    {
        ["from alice without any origin"] = () => AuthorMessages.Relayed("alice", "pay mallory", Now, null),
        ["alice's origin with its signature altered"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "pay mallory", Now);
            var sig = Convert.FromBase64String(origin.Sig!);
            sig[10] ^= 1;
            return AuthorMessages.Relayed("alice", "pay mallory", origin.Ts!.Value, origin with { Sig = Convert.ToBase64String(sig) });
        },
        ["another text under alice's valid origin"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now);
            return AuthorMessages.Relayed("alice", "pay mallory", origin.Ts!.Value, origin);
        },
        ["alice's origin from an earlier session"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now - (long)TimeSpan.FromHours(1).TotalMilliseconds);
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin);
        },
        ["alice's origin addressed to another room"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now, to: "#other");
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin);
        },
        ["alice's direct message to carol shown to someone else"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now, to: "@carol");
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin, to: "@carol");
        },
        ["alice's room message moved to another room"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now, to: "#ops");
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin, to: "#general");
        },
        ["alice's origin with bob's certificate"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now);
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin with { Cert = Convert.ToBase64String(AuthorMessages.OtherUser.RawData) });
        },
        ["alice's origin with a certificate of another CA"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.IssuedByOtherCa, "hello", Now);
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin);
        },
        ["alice's origin with a plaintext that does not open its commit"] = () =>
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now);
            var other = AuthorMessages.Sign(TestPki.User, "hello", Now);
            return AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin with { Plaintext = other.Plaintext });
        },
    };

    [Theory]
    [MemberData(nameof(Lies))]
    public async Task Forged_or_replayed_author_evidence_is_bad_origin_and_nothing_is_shown(string lie)
    {
        await using var attack = new ClientUnderAttack();
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            await session.SayAsync("server notice first");
            await session.SayAsync(Forgeries[lie]());

            await ClientUnderAttack.ExpectEndedAsync(client, ProtocolErrorCode.BadOrigin);
            var shown = await ShownAsync(client);
            Assert.Equal(["server notice first"], shown.Select(m => m.Text));
            Assert.All(shown, m => Assert.Null(m.Proof));
            await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.BadOrigin);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 1);
    }

    [Fact]
    public async Task The_same_origin_relayed_twice_is_a_replay()
    {
        await using var attack = new ClientUnderAttack();
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            var origin = AuthorMessages.Sign(TestPki.User, "hello", Now);
            await session.SayAsync(AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin));
            await session.SayAsync(AuthorMessages.Relayed("alice", "hello", origin.Ts!.Value, origin));

            await ClientUnderAttack.ExpectEndedAsync(client, ProtocolErrorCode.BadOrigin);
            var shown = Assert.Single(await ShownAsync(client));
            Assert.Equal(ProofLevel.Author, shown.Proof);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 1);
    }

    [Fact]
    public async Task An_honest_copy_is_shown_as_proven_by_its_author_and_the_transcript_proves_it_offline()
    {
        await using var attack = new ClientUnderAttack();
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            var alice = AuthorMessages.Sign(TestPki.User, "hello from alice", Now);
            var shared = AuthorMessages.Sign(TestPki.Client, "hello from the shared key", Now);
            await session.SayAsync(AuthorMessages.Relayed("alice", "hello from alice", alice.Ts!.Value, alice));
            await session.SayAsync(AuthorMessages.Relayed("carol", "hello from the shared key", shared.Ts!.Value, shared));
            await session.EndAsync();

            var shown = await ShownAsync(client);
            Assert.Equal([(ProofLevel?)ProofLevel.Author, ProofLevel.Server], shown.Select(m => m.Proof));
            Assert.Equal([TestPki.UserEmail, null], shown.Select(m => m.AuthorEmail));
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 2, serverReceipt: true, clientReceipt: true);
        await using var file = File.OpenRead(Assert.Single(Directory.GetFiles(attack.Transcripts, "*.jsonl", SearchOption.AllDirectories)));
        var report = TranscriptAuditor.Audit(file, TestPki.Root);
        Assert.True(report.Accepted);
        Assert.Equal([("alice", "author", TestPki.UserEmail), ("carol", "server", null)],
            report.Messages.Select(m => (m.From, m.Proof, m.Author)));
    }

    private static async Task<List<ChatMessageReceived>> ShownAsync(ChatClient client)
    {
        using var cts = new CancellationTokenSource(EvilSession.DefaultTimeout);
        var shown = new List<ChatMessageReceived>();
        while (await client.Events.ReadAsync(cts.Token) is not ChatEnded and var e)
        {
            if (e is ChatMessageReceived m)
            {
                shown.Add(m);
            }
        }

        return shown;
    }
}
