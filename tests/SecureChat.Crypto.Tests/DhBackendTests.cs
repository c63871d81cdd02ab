using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureChat.Crypto.Tests;

/// <summary>The OpenSSL and BouncyCastle DH backends must be interchangeable: the same public values, the same shared
/// secrets and the same refusals, byte for byte.</summary>
public sealed class DhBackendTests
{
    private static readonly Lazy<JsonObject> Vectors = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "test-vectors.json")))!);

    public static TheoryData<string> Backends => new() { "bouncycastle", "openssl" };

    public static TheoryData<string> Groups => new() { "ffdhe2048", "ffdhe3072" };

    [Fact]
    public void OpenSsl_backend_loads_and_passes_its_self_test_on_linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.True(OpenSslDh.Instance is not null, $"OpenSSL DH backend unavailable: {OpenSslDh.UnavailableReason}");
        Assert.Null(OpenSslDh.UnavailableReason);
    }

    [Fact]
    public void Key_pairs_use_the_backend_the_environment_selects_which_is_openssl_on_linux_by_default()
    {
        var setting = Environment.GetEnvironmentVariable(DhBackends.EnvironmentVariable);
        using var pair = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System);

        Assert.Same(DhBackends.Select(setting), DhBackends.Default);
        Assert.Same(DhBackends.Default, pair.Backend);
        if (OperatingSystem.IsLinux() && string.IsNullOrWhiteSpace(setting))
        {
            Assert.IsType<OpenSslDh>(pair.Backend);
        }
    }

    [Theory]
    [InlineData("bouncycastle", "bouncycastle")]
    [InlineData("BouncyCastle", "bouncycastle")]
    [InlineData(" openssl ", "openssl")]
    [InlineData("OPENSSL", "openssl")]
    [InlineData(null, "openssl")]
    [InlineData("", "openssl")]
    [InlineData("auto", "openssl")]
    public void Setting_selects_a_backend(string? setting, string expected)
    {
        if (expected == "openssl" && OpenSslDh.Instance is null)
        {
            // Without libcrypto, automatic selection falls back and forcing OpenSSL is an error.
            if (setting?.Trim().Equals("openssl", StringComparison.OrdinalIgnoreCase) == true)
            {
                Assert.Throws<InvalidOperationException>(() => DhBackends.Select(setting));
            }
            else
            {
                Assert.Same(BouncyCastleDh.Instance, DhBackends.Select(setting));
            }

            return;
        }

        Assert.Equal(expected, DhBackends.Select(setting).Name);
    }

    [Theory]
    [InlineData("gmp")]
    [InlineData("open ssl")]
    [InlineData("bc")]
    public void Unknown_setting_is_an_error_not_a_silent_fallback(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DhBackends.Select(setting));
        Assert.Contains(DhBackends.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ffdhe2048", 64)]
    [InlineData("ffdhe3072", 16)]
    public void Backends_agree_byte_for_byte_on_random_exponents(string name, int count)
    {
        var group = DhGroup.FromName(name)!;
        var (bc, openSsl) = (BouncyCastleDh.Instance, OpenSsl);
        for (var i = 0; i < count; i++)
        {
            var a = RandomNumberGenerator.GetBytes(DhKeyPair.PrivateExponentBytes);
            var b = RandomNumberGenerator.GetBytes(DhKeyPair.PrivateExponentBytes);
            using var aliceBc = DhKeyPair.FromPrivateExponent(group, a, bc);
            using var aliceOpenSsl = DhKeyPair.FromPrivateExponent(group, a, openSsl);
            using var bobBc = DhKeyPair.FromPrivateExponent(group, b, bc);
            using var bobOpenSsl = DhKeyPair.FromPrivateExponent(group, b, openSsl);

            Assert.Equal(aliceBc.PublicValue, aliceOpenSsl.PublicValue);
            Assert.Equal(bobBc.PublicValue, bobOpenSsl.PublicValue);
            Assert.True(aliceBc.TryComputeSharedSecret(bobOpenSsl.PublicValue, out var zBc));
            Assert.True(aliceOpenSsl.TryComputeSharedSecret(bobBc.PublicValue, out var zOpenSsl));
            Assert.True(bobOpenSsl.TryComputeSharedSecret(aliceBc.PublicValue, out var zBob));
            Assert.Equal(group.ModulusLength, zOpenSsl.Length);
            Assert.Equal(zBc, zOpenSsl);
            Assert.Equal(zBc, zBob);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Backend_reproduces_the_protocol_known_answers(string backendName)
    {
        var backend = Backend(backendName);
        var dh = Vectors.Value["dh"]!;
        Assert.Equal("ffdhe2048", (string)dh["group"]!);
        foreach (var (phase, secretName) in new[] { ("auth", "Z1"), ("chat", "Z2") })
        {
            var values = dh[phase]!;
            using var client = DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, Hex(values, "client_exponent"), backend);
            using var server = DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, Hex(values, "server_exponent"), backend);

            Assert.Equal(Hex(values, "A"), client.PublicValue);
            Assert.Equal(Hex(values, "B"), server.PublicValue);
            Assert.True(client.TryComputeSharedSecret(server.PublicValue, out var zClient));
            Assert.True(server.TryComputeSharedSecret(client.PublicValue, out var zServer));
            Assert.Equal(Hex(values, secretName), zClient);
            Assert.Equal(Hex(values, secretName), zServer);
        }
    }

    public static TheoryData<string, string, string> RejectedValues()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var backend in new[] { "bouncycastle", "openssl" })
        {
            foreach (var group in new[] { "ffdhe2048", "ffdhe3072" })
            {
                foreach (var value in new[] { "0", "1", "p-1", "p", "p+1", "2^bits-1", "short", "long", "empty", "p-2", "small non-residue", "random non-residue" })
                {
                    data.Add(backend, group, value);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RejectedValues))]
    public void Backend_refuses_bad_peer_values(string backendName, string name, string value)
    {
        var group = DhGroup.FromName(name)!;
        using var pair = DhKeyPair.Generate(group, IEntropySource.System, Backend(backendName));

        Assert.False(pair.TryComputeSharedSecret(BadValue(group, value), out var z));
        Assert.Empty(z);
    }

    /// <summary>The subgroup check belongs to the backend: called directly, below DhKeyPair's range check, each backend
    /// must still refuse non-residues, accept residues, and leave the output alone when it refuses.</summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public void Backend_itself_checks_subgroup_membership(string backendName)
    {
        var group = DhGroup.Ffdhe2048;
        var exponent = new byte[DhKeyPair.PrivateExponentBytes + 1];
        exponent[0] = 1;
        RandomNumberGenerator.Fill(exponent.AsSpan(1));
        using var key = Backend(backendName).CreateKey(group, exponent);
        using var reference = BouncyCastleDh.Instance.CreateKey(group, exponent);
        var output = new byte[group.ModulusLength];
        var expected = new byte[group.ModulusLength];

        for (var i = 0; i < 8; i++)
        {
            output.AsSpan().Fill(0xAA);
            Assert.False(key.TryAgree(BadValue(group, "random non-residue"), output));
            Assert.All(output, b => Assert.Equal(0xAA, b));

            var residue = Encode(RandomBelowP(group).ModPow(BcBigInteger.Two, group.Parameters.P), group.ModulusLength);
            Assert.True(key.TryAgree(residue, output));
            Assert.True(reference.TryAgree(residue, expected));
            Assert.Equal(expected, output);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Disposed_pair_keeps_its_public_value_and_refuses_agreement(string backendName)
    {
        var pair = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System, Backend(backendName));
        using var peer = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System, Backend(backendName));
        var publicValue = pair.PublicValue;

        pair.Dispose();
        pair.Dispose();

        Assert.Equal(publicValue, pair.PublicValue);
        Assert.Throws<ObjectDisposedException>(() => pair.TryComputeSharedSecret(peer.PublicValue, out _));
    }

    [Fact]
    public void OpenSsl_key_and_group_context_are_safe_to_share_across_threads()
    {
        var group = DhGroup.Ffdhe2048;
        var exponent = RandomNumberGenerator.GetBytes(DhKeyPair.PrivateExponentBytes);
        using var own = DhKeyPair.FromPrivateExponent(group, exponent, OpenSsl);
        using var reference = DhKeyPair.FromPrivateExponent(group, exponent, BouncyCastleDh.Instance);
        var peers = Enumerable.Range(0, 32).Select(_ => Encode(RandomBelowP(group).ModPow(BcBigInteger.Two, group.Parameters.P), group.ModulusLength)).ToArray();
        var expected = peers.Select(p => reference.TryComputeSharedSecret(p, out var z) ? z : null).ToArray();

        var results = new byte[peers.Length][];
        Parallel.For(0, peers.Length * 4, i =>
        {
            var k = i % peers.Length;
            using var fresh = DhKeyPair.Generate(group, IEntropySource.System, OpenSsl);
            Assert.True(own.TryComputeSharedSecret(peers[k], out var z));
            results[k] = z;
        });

        Assert.Equal(expected, results);
    }

    private static IDhBackend OpenSsl =>
        OpenSslDh.Instance ?? throw new InvalidOperationException($"OpenSSL DH backend unavailable: {OpenSslDh.UnavailableReason}");

    private static IDhBackend Backend(string name) => name == "openssl" ? OpenSsl : BouncyCastleDh.Instance;

    private static byte[] Hex(JsonNode node, string name) => Convert.FromHexString((string)node[name]!);

    private static byte[] BadValue(DhGroup group, string value)
    {
        var p = group.Parameters.P;
        var length = group.ModulusLength;
        return value switch
        {
            "0" => Encode(BcBigInteger.Zero, length),
            "1" => Encode(BcBigInteger.One, length),
            "p-1" => Encode(p.Subtract(BcBigInteger.One), length),
            "p" => Encode(p, length),
            "p+1" => Encode(p.Add(BcBigInteger.One), length),
            "2^bits-1" => Encode(BcBigInteger.One.ShiftLeft(length * 8).Subtract(BcBigInteger.One), length),
            "short" => Encode(BcBigInteger.Four, length - 1),
            "long" => Encode(BcBigInteger.Four, length + 1),
            "empty" => [],
            "p-2" => Encode(p.Subtract(BcBigInteger.Two), length),
            "small non-residue" => Encode(SmallNonResidue(group), length),
            "random non-residue" => Encode(SmallNonResidue(group).Multiply(RandomBelowP(group).ModPow(BcBigInteger.Two, p)).Mod(p), length),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
    }

    /// <summary>The smallest n ≥ 3 with Legendre symbol (n | p) = −1, by Euler's criterion n^((p−1)/2) ≡ −1.</summary>
    private static BcBigInteger SmallNonResidue(DhGroup group)
    {
        var p = group.Parameters.P;
        var q = p.ShiftRight(1);
        var minusOne = p.Subtract(BcBigInteger.One);
        return Enumerable.Range(3, 100).Select(i => BcBigInteger.ValueOf(i)).First(n => n.ModPow(q, p).Equals(minusOne));
    }

    private static BcBigInteger RandomBelowP(DhGroup group)
    {
        var bytes = RandomNumberGenerator.GetBytes(group.ModulusLength);
        return new BcBigInteger(1, bytes).Mod(group.Parameters.P.Subtract(BcBigInteger.Two)).Add(BcBigInteger.Two);
    }

    private static byte[] Encode(BcBigInteger value, int length)
    {
        var magnitude = value.ToByteArrayUnsigned();
        var result = new byte[length];
        magnitude.CopyTo(result.AsSpan(length - magnitude.Length));
        return result;
    }
}
