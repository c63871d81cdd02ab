using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>The canonical transcript chains (protocol §4.6) over messages of a 100-byte text.</summary>
[MemoryDiagnoser]
public class MessageChainsBenchmarks
{
    private const int Batch = 256;

    private readonly ChatMessage[] _messages = new ChatMessage[Batch];
    private byte[] _sessionId = null!;
    private MessageChains _full = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sessionId = RandomNumberGenerator.GetBytes(16);
        var sample = SampleMessages.Msg(textBytes: 100);
        for (var i = 0; i < Batch; i++)
        {
            _messages[i] = sample with { Seqno = i + 1 };
        }

        _full = new MessageChains(_sessionId);
        foreach (var message in _messages)
        {
            _full.Append(Direction.ClientToServer, message);
            _full.Append(Direction.ServerToClient, message);
        }
    }

    /// <summary>Per message: a fresh chain takes <see cref="Batch"/> messages, so the seeding (see
    /// <see cref="NewChain"/>) is spread over them.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Append()
    {
        var chain = new MessageChains(_sessionId);
        foreach (var message in _messages)
        {
            chain.Append(Direction.ClientToServer, message);
        }

        return chain.Count(Direction.ClientToServer);
    }

    /// <summary>Seeding both chains (two SHA-256).</summary>
    [Benchmark]
    public MessageChains NewChain() => new(_sessionId);

    /// <summary>The canonical line alone: the string formatting inside each append.</summary>
    [Benchmark]
    public string Line() => MessageChains.Line(Direction.ClientToServer, _messages[0]);

    /// <summary><c>transcript_sha256</c> over 256 messages each way, as a receipt needs it.</summary>
    [Benchmark]
    public byte[]? TranscriptHash() => _full.TranscriptHash(Batch, Batch);
}
