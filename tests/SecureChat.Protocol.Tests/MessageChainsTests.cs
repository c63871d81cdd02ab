using System.Text;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests;

/// <summary>Appending builds the hashed line in one buffer; the chain values are the same as hashing the previous
/// value with the UTF-8 of <see cref="MessageChains.Line"/>, which the known-answer vectors pin.</summary>
public class MessageChainsTests
{
    private static readonly string[] Unusual = ["", "é", "\u00a0", "日本", "😀", "\ud800", "\udc00", "a\ud83d", "\ude00b", "|", "||x|"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Append_GivesTheSameChainAsHashingTheLine(int seed)
    {
        var random = new Random(seed);
        var sessionId = new byte[16];
        random.NextBytes(sessionId);
        var chains = new MessageChains(sessionId);
        var fromUtf8 = new MessageChains(sessionId);
        var reference = new Dictionary<Direction, byte[]>
        {
            [Direction.ClientToServer] = MessageChains.Seed(Direction.ClientToServer, sessionId),
            [Direction.ServerToClient] = MessageChains.Seed(Direction.ServerToClient, sessionId),
        };
        for (var i = 0; i < 500; i++)
        {
            var direction = random.Next(2) == 0 ? Direction.ClientToServer : Direction.ServerToClient;
            var message = new ChatMessage
            {
                Seqno = chains.Count(direction) + 1,
                Ts = random.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, 2 => -random.NextInt64(), _ => random.NextInt64() },
                Ct = Field(random, i % 7 == 0 ? 3000 : 200),
                Commit = Field(random, 44),
                Sig = Field(random, 344),
            };
            reference[direction] = MessageChains.Next(reference[direction], MessageChains.Line(direction, message));
            chains.Append(direction, message);
            Assert.Equal(reference[direction], chains.ChainValue(direction, message.Seqno));

            // The same fields given as UTF-8 (as a transcript line holds them) give the same chain.
            fromUtf8.Append(direction, message.Seqno, message.Ts, Encoding.UTF8.GetBytes(message.Ct),
                Encoding.UTF8.GetBytes(message.Commit), Encoding.UTF8.GetBytes(message.Sig));
            Assert.Equal(reference[direction], fromUtf8.ChainValue(direction, message.Seqno));
        }
    }

    [Fact]
    public void Append_RefusesASeqnoThatIsNotTheNext()
    {
        var chains = new MessageChains(new byte[16]);
        Assert.Throws<InvalidOperationException>(() => chains.Append(Direction.ClientToServer, 2, 0, "", "", ""));
        Assert.Throws<InvalidOperationException>(() => chains.Append(Direction.ClientToServer, 2, 0, ""u8, ""u8, ""u8));
    }

    /// <summary>Mostly base64, sometimes text no encoder would produce, lone surrogates included.</summary>
    private static string Field(Random random, int length)
    {
        if (random.Next(5) == 0)
        {
            var text = new StringBuilder();
            for (var i = random.Next(6); i >= 0; i--)
            {
                text.Append(Unusual[random.Next(Unusual.Length)]);
            }

            return text.ToString();
        }

        var bytes = new byte[random.Next(length)];
        random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }
}
