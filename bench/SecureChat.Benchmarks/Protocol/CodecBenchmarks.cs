using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol.Messages;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>Strict JSON decoding (duplicate-member scan, then the source-generated deserializer) and encoding of a
/// frame body: a <c>msg</c> of a 100-byte text and a <c>hello</c> carrying an RSA-2048 certificate PEM.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private ChatMessage _msg = null!;
    private byte[] _msgBody = null!;
    private HelloMessage _hello = null!;
    private byte[] _helloBody = null!;

    [GlobalSetup]
    public void Setup()
    {
        _msg = SampleMessages.Msg(textBytes: 100);
        _msgBody = MessageCodec.Encode(_msg);
        _hello = SampleMessages.Hello();
        _helloBody = MessageCodec.Encode(_hello);
        if (!_msg.Equals(DecodeMsg()) || !_hello.Equals(DecodeHello()))
        {
            throw new InvalidOperationException("The codec does not round-trip.");
        }
    }

    [Benchmark]
    public WireMessage DecodeMsg() => MessageCodec.Decode(_msgBody);

    [Benchmark]
    public byte[] EncodeMsg() => MessageCodec.Encode(_msg);

    [Benchmark]
    public WireMessage DecodeHello() => MessageCodec.Decode(_helloBody);

    [Benchmark]
    public byte[] EncodeHello() => MessageCodec.Encode(_hello);
}
