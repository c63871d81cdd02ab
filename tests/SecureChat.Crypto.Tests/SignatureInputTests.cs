using System.Text;

namespace SecureChat.Crypto.Tests;

public sealed class SignatureInputTests
{
    [Fact]
    public void Layout_is_64_spaces_context_zero_content()
    {
        byte[] content = [0x00, 0x01, 0xFE, 0xFF];

        var input = SignatureInput.Build("securechat/1 msg", content);

        var expected = Convert.FromHexString(
            string.Concat(Enumerable.Repeat("20", 64))
            + "736563757265636861742f31206d7367" // "securechat/1 msg"
            + "00"
            + "0001feff");
        Assert.Equal(expected, input);
        Assert.Equal(SignatureInput.PaddingLength + 16 + 1 + 4, input.Length);
    }

    [Fact]
    public void Empty_content_ends_with_the_separator()
    {
        var input = SignatureInput.Build("x", []);

        Assert.Equal(SignatureInput.PaddingLength + 2, input.Length);
        Assert.All(input[..64], b => Assert.Equal(0x20, b));
        Assert.Equal((byte)'x', input[64]);
        Assert.Equal(0x00, input[65]);
    }

    [Theory]
    [InlineData("securechat/1 dh_client auth")]
    [InlineData("securechat/1 dh_server auth")]
    [InlineData("securechat/1 dh_client chat")]
    [InlineData("securechat/1 dh_server chat")]
    [InlineData("securechat/1 msg")]
    [InlineData("securechat/1 receipt")]
    [InlineData(" !~")]
    public void Protocol_contexts_are_encoded_as_ascii(string context)
    {
        var input = SignatureInput.Build(context, [0xAA]);

        Assert.Equal(Encoding.ASCII.GetBytes(context), input[64..^2]);
        Assert.Equal([0x00, 0xAA], input[^2..]);
    }

    [Fact]
    public void Null_or_empty_context_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => SignatureInput.Build(null!, []));
        Assert.Throws<ArgumentException>(() => SignatureInput.Build(string.Empty, []));
    }

    /// <summary>A NUL in the context would move the separator: ("a\0b", "c") and ("a", "b\0c") would be signed as the
    /// same bytes. Any non-ASCII character would be replaced by '?', so two contexts would collide.</summary>
    [Theory]
    [InlineData("a\0b")]
    [InlineData("securechat/1 msg\0")]
    [InlineData("securechat/1 m\u00e9g")]
    [InlineData("tab\there")]
    [InlineData("line\n")]
    [InlineData("del\u007f")]
    [InlineData("\ud83d\udd11")]
    public void Context_outside_printable_ascii_is_refused(string context) =>
        Assert.Throws<ArgumentException>(() => SignatureInput.Build(context, []));

    [Fact]
    public void Non_ascii_context_cannot_alias_an_ascii_one()
    {
        var honest = SignatureInput.Build("securechat/1 m?g", [1]);

        Assert.Throws<ArgumentException>(() => SignatureInput.Build("securechat/1 m\u00e9g", [1]));
        Assert.Equal((byte)'?', honest[64 + 14]);
    }

    [Fact]
    public void Nul_in_context_cannot_alias_another_context_and_content()
    {
        var honest = SignatureInput.Build("a", "b\0c"u8);

        Assert.Throws<ArgumentException>(() => SignatureInput.Build("a\0b", "c"u8));
        Assert.Equal(SignatureInput.PaddingLength + 5, honest.Length);
    }
}
