using Org.BouncyCastle.Crypto.Generators;
using BcArgon2Parameters = Org.BouncyCastle.Crypto.Parameters.Argon2Parameters;

namespace SecureChat.Crypto.Tests;

/// <summary>Known answers for Argon2id: the RFC 9106 vector through BouncyCastle, and PHC strings produced by the
/// reference implementation (phc-winner-argon2, src/test.c) through <see cref="PasswordHasher.Verify"/>.</summary>
public sealed class Argon2KnownAnswerTests
{
    /// <summary>RFC 9106 §5.3. It uses a secret and associated data, which the wrapper never sets, so it is run
    /// against the library the wrapper is built on.</summary>
    [Fact]
    public void Rfc9106_argon2id_vector()
    {
        var parameters = new BcArgon2Parameters.Builder(BcArgon2Parameters.Argon2id)
            .WithVersion(BcArgon2Parameters.Version13)
            .WithMemoryAsKB(32)
            .WithIterations(3)
            .WithParallelism(4)
            .WithSalt(Enumerable.Repeat((byte)0x02, 16).ToArray())
            .WithSecret(Enumerable.Repeat((byte)0x03, 8).ToArray())
            .WithAdditional(Enumerable.Repeat((byte)0x04, 12).ToArray())
            .Build();
        var generator = new Argon2BytesGenerator();
        generator.Init(parameters);
        var tag = new byte[32];

        generator.GenerateBytes(Enumerable.Repeat((byte)0x01, 32).ToArray(), tag);

        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(tag));
    }

    /// <summary>Reference-implementation strings for password "password", salt "somesalt" (8 bytes).</summary>
    [Theory]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc")]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    public void Reference_phc_strings_verify(string encoded)
    {
        Assert.True(PasswordHasher.TryParse(encoded, out _, out var salt, out var hash));
        Assert.Equal("somesalt"u8.ToArray(), salt);
        Assert.Equal(32, hash.Length);

        Assert.True(PasswordHasher.Verify("password", encoded));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc")]
    public void Reference_phc_strings_reject_other_passwords(string encoded)
    {
        Assert.False(PasswordHasher.Verify("Password", encoded));
        Assert.False(PasswordHasher.Verify("password ", encoded));
        Assert.False(PasswordHasher.Verify(string.Empty, encoded));
    }

    [Fact]
    public void Changing_a_parameter_of_a_reference_string_breaks_it()
    {
        Assert.False(PasswordHasher.Verify("password", "$argon2id$v=19$m=256,t=3,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"));
        Assert.False(PasswordHasher.Verify("password", "$argon2id$v=19$m=264,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"));
        Assert.False(PasswordHasher.Verify("password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"));
        Assert.False(PasswordHasher.Verify("password", "$argon2id$v=19$m=256,t=2,p=1$ZGlmZnNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"));
    }
}
