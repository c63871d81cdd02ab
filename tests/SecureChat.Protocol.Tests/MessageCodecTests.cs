using System.Text;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests;

public sealed class MessageCodecTests
{
    private static ProtocolErrorCode DecodeError(string json) => DecodeError(Encoding.UTF8.GetBytes(json));

    private static ProtocolErrorCode DecodeError(byte[] body) =>
        Assert.Throws<ProtocolException>(() => MessageCodec.Decode(body)).Code;

    [Fact]
    public void Hello_round_trips_with_type_first()
    {
        var hello = new HelloMessage { Version = 1, ClientCert = "PEM", Nonce = "AAAA" };
        var json = Encoding.UTF8.GetString(MessageCodec.Encode(hello));
        Assert.StartsWith("{\"type\":\"hello\"", json, StringComparison.Ordinal);
        Assert.Contains("\"client_cert\":\"PEM\"", json, StringComparison.Ordinal);
        Assert.Equal(hello, MessageCodec.Decode(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Dh_values_use_upper_case_member_names()
    {
        var json = Encoding.UTF8.GetString(MessageCodec.Encode(new DhClientMessage { Phase = "auth", Group = "ffdhe2048", A = "AA==", Sig = "AA==" }));
        Assert.Equal("{\"type\":\"dh_client\",\"phase\":\"auth\",\"group\":\"ffdhe2048\",\"A\":\"AA==\",\"sig\":\"AA==\"}", json);
        json = Encoding.UTF8.GetString(MessageCodec.Encode(new DhServerMessage { Phase = "chat", Group = "ffdhe2048", B = "AA==", Sig = "AA==" }));
        Assert.Contains("\"B\":\"AA==\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_message_type_round_trips()
    {
        WireMessage[] messages =
        [
            new HelloMessage { Version = 1, ClientCert = "c", Nonce = "n" },
            new ServerHelloMessage { Version = 1, ServerCert = "c", Nonce = "n" },
            new DhClientMessage { Phase = "auth", Group = "g", A = "a", Sig = "s" },
            new DhServerMessage { Phase = "chat", Group = "g", B = "b", Sig = "s" },
            new AuthRequestMessage { Ct = "c" },
            new AuthResponseMessage { Ct = "c" },
            new ChatMessage { Seqno = 1, Ts = 2, Ct = "c", Commit = "m", Sig = "s" },
            new ReceiptMessage { Peer = "client", SessionId = "00", C2sLastSeq = 1, S2cLastSeq = 2, TranscriptSha256 = "ff", Sig = "s" },
            new ErrorMessage { Code = "SIG_FAIL", Message = "m" },
        ];
        foreach (var message in messages)
        {
            Assert.Equal(message, MessageCodec.Decode(MessageCodec.Encode(message)));
        }
    }

    [Fact]
    public void Receipt_members_are_snake_case()
    {
        var json = Encoding.UTF8.GetString(MessageCodec.Encode(
            new ReceiptMessage { Peer = "server", SessionId = "ab", C2sLastSeq = 3, S2cLastSeq = 4, TranscriptSha256 = "cd", Sig = "AA==" }));
        Assert.Equal("{\"type\":\"receipt\",\"peer\":\"server\",\"session_id\":\"ab\",\"c2s_last_seq\":3,\"s2c_last_seq\":4,\"transcript_sha256\":\"cd\",\"sig\":\"AA==\"}", json);
    }

    [Fact]
    public void Type_member_may_come_last_and_unknown_members_are_ignored()
    {
        var message = MessageCodec.Decode("{\"ct\":\"AA==\",\"extra\":{\"x\":[1,2]},\"type\":\"auth_request\"}"u8);
        Assert.Equal(new AuthRequestMessage { Ct = "AA==" }, message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"hello\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"type\":\"nope\"}")]
    [InlineData("{\"type\":7,\"ct\":\"AA==\"}")]
    [InlineData("{\"type\":\"auth_request\"}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":5}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":null}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":\"AA==\",\"ct\":\"AA==\"}")]
    [InlineData("{\"type\":\"auth_request\",\"type\":\"auth_request\",\"ct\":\"AA==\"}")]
    [InlineData("{\"type\":\"msg\",\"seqno\":\"1\",\"ts\":1,\"ct\":\"\",\"commit\":\"\",\"sig\":\"\"}")]
    [InlineData("{\"type\":\"msg\",\"seqno\":1.5,\"ts\":1,\"ct\":\"\",\"commit\":\"\",\"sig\":\"\"}")]
    [InlineData("{\"type\":\"msg\",\"seqno\":9223372036854775808,\"ts\":1,\"ct\":\"\",\"commit\":\"\",\"sig\":\"\"}")]
    [InlineData("{\"type\":\"hello\",\"version\":1,\"client_cert\":\"x\"}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":\"AA==\",}")]
    [InlineData("{\"type\":\"auth_request\",/*c*/\"ct\":\"AA==\"}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":\"AA==\"} {}")]
    [InlineData("{\"TYPE\":\"auth_request\",\"ct\":\"AA==\"}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":\"AA==\",\"x\":1,\"x\":2}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":\"AA==\",\"x\":{\"y\":1,\"y\":2}}")]
    [InlineData("{\"type\":\"auth_request\",\"ct\":\"AA==\",\"x\":[{\"y\":1},{\"y\":2,\"y\":3}]}")]
    [InlineData("{\"type\":\"auth_request\",\"Ct\":\"AA==\"}")]
    public void Malformed_messages_are_protocol_errors(string json) =>
        Assert.Equal(ProtocolErrorCode.ProtocolError, DecodeError(json));

    [Fact]
    public void Invalid_utf8_is_a_protocol_error()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"error\",\"code\":\"X\",\"message\":\"..\"}");
        body[^4] = 0xC3; // a lead byte followed by an ASCII byte
        Assert.Equal(ProtocolErrorCode.ProtocolError, DecodeError(body));
        Assert.Equal(ProtocolErrorCode.ProtocolError, DecodeError([0xFF, 0xFE]));
    }

    [Theory]
    [InlineData("AA==", true)]
    [InlineData("AAE=", true)]
    [InlineData("", true)]
    [InlineData("AA=", false)]
    [InlineData("AA", false)]
    [InlineData("AB==", false)] // non-zero trailing bits: a second spelling of 0x00
    [InlineData("A A=", false)]
    [InlineData("AA==\n", false)]
    [InlineData("-_==", false)]
    public void Base64_must_be_canonical(string text, bool valid) =>
        Assert.Equal(valid, WireBytes.TryFromCanonicalBase64(text, out _));

    [Fact]
    public void Error_codes_round_trip_their_wire_names()
    {
        foreach (var code in Enum.GetValues<ProtocolErrorCode>())
        {
            Assert.Equal(code, ProtocolErrorCodes.FromWire(code.ToWire()));
        }

        Assert.Equal("RECEIPT_MISMATCH", ProtocolErrorCode.ReceiptMismatch.ToWire());
        Assert.Equal(ProtocolErrorCode.ProtocolError, ProtocolErrorCodes.FromWire("WHATEVER"));
    }

    [Fact]
    public void Auth_plaintexts_are_strict_too()
    {
        Assert.Throws<ProtocolException>(() => MessageCodec.DecodeAuthRequest("{\"op\":\"login\",\"email\":\"a@b\"}"u8));
        Assert.Throws<ProtocolException>(() => MessageCodec.DecodeAuthRequest("{\"op\":\"login\",\"email\":\"a@b\",\"password\":\"x\",\"password\":\"y\"}"u8));
        var request = MessageCodec.DecodeAuthRequest("{\"op\":\"login\",\"email\":\"a@b\",\"password\":\"pw\"}"u8);
        Assert.Equal("login", request.Op);
        Assert.DoesNotContain("pw", request.ToString(), StringComparison.Ordinal);
    }
}
