using System.Collections.Concurrent;
using System.Security.Cryptography;
using static SecureChat.Crypto.OpenSslNative;

namespace SecureChat.Crypto;

/// <summary>The DH backend over the system libcrypto: OpenSSL's constant-time Montgomery exponentiation, several times
/// faster than BouncyCastle's managed BigInteger.ModPow.</summary>
/// <remarks>Both keygen and agreement use BN_mod_exp_mont_consttime (the exponent is secret in both), and the exponent
/// always has 257 bits, so neither its length nor its bits show in the timing. Peer values get the same subgroup
/// check as in <see cref="BouncyCastleDh"/>: the Legendre symbol (Y | p) must be 1. The exponent lives in a BIGNUM
/// freed with BN_clear_free, so disposing a key really wipes it.</remarks>
internal sealed class OpenSslDh : IDhBackend
{
    private static readonly Lazy<(OpenSslDh? Backend, string? Reason)> LazyLoad = new(Load);

    private readonly ConcurrentDictionary<DhGroup, Lazy<GroupContext>> _groups = new();

    private OpenSslDh()
    {
    }

    /// <summary>The backend, or <see langword="null"/> if libcrypto did not load or failed the self-test.</summary>
    public static OpenSslDh? Instance => LazyLoad.Value.Backend;

    /// <summary>Why <see cref="Instance"/> is <see langword="null"/>.</summary>
    public static string? UnavailableReason => LazyLoad.Value.Reason;

    public string Name => "openssl";

    public IDhPrivateKey CreateKey(DhGroup group, ReadOnlySpan<byte> exponent) =>
        new Key(_groups.GetOrAdd(group, g => new Lazy<GroupContext>(() => new GroupContext(g))).Value, exponent);

    private static (OpenSslDh?, string?) Load()
    {
        string? reason;
        try
        {
            reason = OpenSslNative.Load();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            reason = e.Message;
        }

        if (reason is not null)
        {
            return (null, reason);
        }

        var backend = new OpenSslDh();
        try
        {
            reason = SelfTest(backend);
        }
        catch (Exception e) when (e is CryptographicException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = e.Message;
        }

        return reason is null ? (backend, null) : (null, "self-test failed: " + reason);
    }

    /// <summary>A wrong or mis-bound libcrypto must not silently produce different keys: before first use the backend
    /// is compared with the BouncyCastle reference on a fixed exponent, an agreement and the subgroup check.</summary>
    private static string? SelfTest(OpenSslDh backend)
    {
        foreach (var group in new[] { DhGroup.Ffdhe2048, DhGroup.Ffdhe3072 })
        {
            var exponent = new byte[DhKeyPair.PrivateExponentBytes + 1];
            exponent[0] = 0x01;
            for (var i = 1; i < exponent.Length; i++)
            {
                exponent[i] = (byte)(0x5A ^ (i * 37));
            }

            using var own = backend.CreateKey(group, exponent);
            using var reference = BouncyCastleDh.Instance.CreateKey(group, exponent);
            if (!own.PublicValue.AsSpan().SequenceEqual(reference.PublicValue))
            {
                return $"{group} public value differs from BouncyCastle";
            }

            // The peer value 4 = 2^2 is a quadratic residue; p − 2 is not, p being 7 mod 8.
            var four = new byte[group.ModulusLength];
            four[^1] = 4;
            var ownSecret = new byte[group.ModulusLength];
            var referenceSecret = new byte[group.ModulusLength];
            if (!own.TryAgree(four, ownSecret) || !reference.TryAgree(four, referenceSecret) || !ownSecret.AsSpan().SequenceEqual(referenceSecret))
            {
                return $"{group} shared secret differs from BouncyCastle";
            }

            var pMinus2 = group.Parameters.P.Subtract(Org.BouncyCastle.Math.BigInteger.Two).ToByteArrayUnsigned();
            if (own.TryAgree(pMinus2, ownSecret))
            {
                return $"{group} accepted a value outside the prime-order subgroup";
            }
        }

        return null;
    }

    /// <summary>Per-group constants, made once: p, g and p's Montgomery context (which every exponentiation would
    /// otherwise rebuild).</summary>
    private sealed class GroupContext
    {
        public GroupContext(DhGroup group)
        {
            ModulusLength = group.ModulusLength;
            P = FromBytes(group.Parameters.P.ToByteArrayUnsigned());
            G = FromBytes(group.Parameters.G.ToByteArrayUnsigned());
            Montgomery = BN_MONT_CTX_new();
            Check(!Montgomery.IsInvalid, nameof(BN_MONT_CTX_new));
            using var context = NewContext();
            Check(BN_MONT_CTX_set(Montgomery, P, context) == 1, nameof(BN_MONT_CTX_set));
        }

        public int ModulusLength { get; }

        public SafeBigNumHandle P { get; }

        public SafeBigNumHandle G { get; }

        public SafeMontCtxHandle Montgomery { get; }
    }

    private sealed class Key : IDhPrivateKey
    {
        private readonly GroupContext _group;
        private readonly SafeBigNumHandle _x;

        public Key(GroupContext group, ReadOnlySpan<byte> exponent)
        {
            _group = group;
            _x = FromBytes(exponent);
            BN_set_flags(_x, BnFlagConstantTime);
            PublicValue = new byte[group.ModulusLength];
            using var context = NewContext();
            Power(group.G, PublicValue, context);
        }

        public byte[] PublicValue { get; }

        public bool TryAgree(ReadOnlySpan<byte> peerPublicValue, Span<byte> sharedSecret)
        {
            // A BN_CTX is per call: keys may be used from several threads, and a context costs far less than the
            // exponentiation.
            using var y = FromBytes(peerPublicValue);
            using var context = NewContext();
            var symbol = BN_kronecker(y, _group.P, context);
            Check(symbol != -2, nameof(BN_kronecker));
            if (symbol != 1)
            {
                return false;
            }

            Power(y, sharedSecret, context);
            return true;
        }

        public void Dispose() => _x.Dispose();

        private void Power(SafeBigNumHandle @base, Span<byte> destination, SafeBnCtxHandle context)
        {
            using var result = NewBigNum();
            Check(BN_mod_exp_mont_consttime(result, @base, _x, _group.P, context, _group.Montgomery) == 1, nameof(BN_mod_exp_mont_consttime));
            ToFixedLength(result, destination);
        }
    }
}
