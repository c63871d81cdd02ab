using System.Text.RegularExpressions;
using SecureChat.Crypto.Tests.Support;

namespace SecureChat.Crypto.Tests;

public sealed partial class PasswordHasherTests
{
    // Valid salt (16 bytes) and hash (32 bytes) fields for strings that are only parsed, never verified.
    private const string Salt16 = "AAECAwQFBgcICQoLDA0ODw";
    private const string Hash32 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    private readonly PasswordHasher _hasher = new(Argon2Parameters.InsecureForTests, IEntropySource.System);

    [Fact]
    public void Hash_then_verify_round_trips()
    {
        var encoded = _hasher.Hash("correct horse battery staple");

        Assert.True(PasswordHasher.Verify("correct horse battery staple", encoded));
    }

    [Theory]
    [InlineData("")]
    [InlineData("p\u00e4ssw\u00f6rd \ud83d\udd11")]
    [InlineData("a password that is rather longer than any block size the hash might have, to be sure it is all used")]
    public void Any_password_round_trips(string password)
    {
        var encoded = _hasher.Hash(password);

        Assert.True(PasswordHasher.Verify(password, encoded));
        Assert.False(PasswordHasher.Verify(password + "x", encoded));
    }

    [Fact]
    public void Wrong_password_does_not_verify()
    {
        var encoded = _hasher.Hash("hunter2");

        Assert.False(PasswordHasher.Verify("hunter3", encoded));
        Assert.False(PasswordHasher.Verify("Hunter2", encoded));
        Assert.False(PasswordHasher.Verify("hunter2 ", encoded));
        Assert.False(PasswordHasher.Verify(string.Empty, encoded));
    }

    /// <summary>Passwords are hashed as UTF-8 without normalisation, so the composed and decomposed forms of the same
    /// text are different passwords; normalising, if wanted, is the caller's decision.</summary>
    [Fact]
    public void Password_is_not_unicode_normalised()
    {
        // Spelled out: the build uses invariant globalisation, where string.Normalize does not decompose.
        var composed = "caf\u00e9";
        var decomposed = "cafe\u0301";
        var encoded = _hasher.Hash(composed);

        Assert.False(PasswordHasher.Verify(decomposed, encoded));
    }

    [Fact]
    public void Output_is_a_phc_string_that_parses_back()
    {
        var salt = Enumerable.Range(0, PasswordHasher.SaltLength).Select(i => (byte)(0xA0 + i)).ToArray();
        var hasher = new PasswordHasher(new Argon2Parameters(96, 2, 2), new FixedEntropy(salt));

        var encoded = hasher.Hash("pw");

        var match = PhcPattern().Match(encoded);
        Assert.True(match.Success, encoded);
        Assert.Equal("m=96,t=2,p=2", match.Groups["params"].Value);
        Assert.Equal(Convert.ToBase64String(salt).TrimEnd('='), match.Groups["salt"].Value);

        Assert.True(PasswordHasher.TryParse(encoded, out var parameters, out var parsedSalt, out var hash));
        Assert.Equal(new Argon2Parameters(96, 2, 2), parameters);
        Assert.Equal(salt, parsedSalt);
        Assert.Equal(PasswordHasher.HashLength, hash.Length);
        Assert.True(PasswordHasher.Verify("pw", encoded));
    }

    [Fact]
    public void Default_parameters_are_the_owasp_minimum()
    {
        Assert.Equal(new Argon2Parameters(19 * 1024, 2, 1), Argon2Parameters.Default);
        var hasher = new PasswordHasher(Argon2Parameters.Default, IEntropySource.System);

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hasher.Hash("pw"), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_hashes_of_the_same_password_have_different_salts()
    {
        var first = _hasher.Hash("same");
        var second = _hasher.Hash("same");

        Assert.True(PasswordHasher.TryParse(first, out _, out var salt1, out var hash1));
        Assert.True(PasswordHasher.TryParse(second, out _, out var salt2, out var hash2));
        Assert.NotEqual(salt1, salt2);
        Assert.NotEqual(hash1, hash2);
        Assert.True(PasswordHasher.Verify("same", first));
        Assert.True(PasswordHasher.Verify("same", second));
    }

    [Fact]
    public void Salt_is_drawn_once_from_the_entropy_source()
    {
        var entropy = new FixedEntropy(new byte[PasswordHasher.SaltLength]);
        var hasher = new PasswordHasher(Argon2Parameters.InsecureForTests, entropy);

        var encoded = hasher.Hash("pw");

        Assert.Equal(1, entropy.Calls);
        Assert.Contains("$AAAAAAAAAAAAAAAAAAAAAA$", encoded, StringComparison.Ordinal);
    }

    public static TheoryData<string?> Malformed => new()
    {
        null,
        string.Empty,
        "$",
        "password",
        $"argon2id$v=19$m=64,t=1,p=1${Salt16}${Hash32}",
        $"x$argon2id$v=19$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2i$v=19$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2d$v=19$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$Argon2id$v=19$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$scrypt$v=19$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=16$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$m=64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1${Salt16}",
        $"$argon2id$v=19$m=64,t=1,p=1${Salt16}$",
        $"$argon2id$v=19$m=64,t=1,p=1$${Hash32}",
        $"$argon2id$v=19$${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1${Salt16}${Hash32}$",
        $"$argon2id$v=19$m=64,t=1,p=1${Salt16}${Hash32}$extra",
        $"$argon2id$v=19$m=64,t=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1,${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1,x=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64;t=1;p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m= 64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=+64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=-64,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=0x40,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=0,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=7,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=0,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=0${Salt16}${Hash32}",
        $"$argon2id$v=19$m=4194305,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1001,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=65${Salt16}${Hash32}",
        $"$argon2id$v=19$m=2147483647,t=2147483647,p=2147483647${Salt16}${Hash32}",
        $"$argon2id$v=19$m=99999999999999999999,t=1,p=1${Salt16}${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw==${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1$AAECAwQF!gcICQoLDA0ODw${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1$AAECAwQF-gcICQoLDA0ODw${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0OD${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1${Salt16}$AAECAwQF BgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
        $"$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBg${Hash32}",
        $"$argon2id$v=19$m=64,t=1,p=1${Salt16}$AAECAwQFBgcICQoLDA0O",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_strings_do_not_parse_and_do_not_verify(string? encoded)
    {
        Assert.False(PasswordHasher.TryParse(encoded, out _, out _, out _));
        Assert.False(PasswordHasher.Verify("password", encoded!));
    }

    [Fact]
    public void The_well_formed_sibling_of_the_malformed_strings_parses()
    {
        Assert.True(PasswordHasher.TryParse($"$argon2id$v=19$m=64,t=1,p=1${Salt16}${Hash32}", out var parameters, out var salt, out var hash));
        Assert.Equal(Argon2Parameters.InsecureForTests, parameters);
        Assert.Equal(16, salt.Length);
        Assert.Equal(32, hash.Length);
    }

    [Theory]
    [InlineData("m=64,t=1,p=1", true)]
    [InlineData("m=19455,t=2,p=1", true)]
    [InlineData("m=19456,t=1,p=1", true)]
    [InlineData("m=19456,t=2,p=1", false)]
    [InlineData("m=65536,t=3,p=4", false)]
    [InlineData("m=19456,t=2,p=4", false)]
    [InlineData("t=2,p=1,m=19456", false)]
    public void NeedsRehash_when_memory_or_iterations_are_below_the_current_parameters(string costs, bool expected)
    {
        var hasher = new PasswordHasher(Argon2Parameters.Default, IEntropySource.System);

        Assert.Equal(expected, hasher.NeedsRehash($"$argon2id$v=19${costs}${Salt16}${Hash32}"));
    }

    [Fact]
    public void NeedsRehash_for_malformed_strings()
    {
        var hasher = new PasswordHasher(Argon2Parameters.Default, IEntropySource.System);

        Assert.True(hasher.NeedsRehash(string.Empty));
        Assert.True(hasher.NeedsRehash($"$argon2i$v=19$m=65536,t=3,p=1${Salt16}${Hash32}"));
        Assert.True(hasher.NeedsRehash(_hasher.Hash("pw")));
        Assert.False(_hasher.NeedsRehash(_hasher.Hash("pw")));
    }

    [Fact]
    public void Null_arguments_are_argument_errors()
    {
        Assert.Throws<ArgumentNullException>(() => new PasswordHasher(null!, IEntropySource.System));
        Assert.Throws<ArgumentNullException>(() => _hasher.Hash(null!));
        Assert.Throws<ArgumentNullException>(() => PasswordHasher.Verify(null!, _hasher.Hash("pw")));
    }

    [GeneratedRegex(@"^\$argon2id\$v=19\$(?<params>m=\d+,t=\d+,p=\d+)\$(?<salt>[A-Za-z0-9+/]{22})\$(?<hash>[A-Za-z0-9+/]{43})$")]
    private static partial Regex PhcPattern();
}
