using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace SecureChat.Crypto;

/// <summary>The managed DH backend and the reference the OpenSSL backend is checked against: BouncyCastle's
/// BigInteger.ModPow, available everywhere .NET runs.</summary>
/// <remarks>BouncyCastle's BigInteger is immutable, so the private exponent cannot be wiped; disposing only drops the
/// reference and leaves the copy to the garbage collector.</remarks>
internal sealed class BouncyCastleDh : IDhBackend
{
    public static BouncyCastleDh Instance { get; } = new();

    private BouncyCastleDh()
    {
    }

    public string Name => "bouncycastle";

    public IDhPrivateKey CreateKey(DhGroup group, ReadOnlySpan<byte> exponent)
    {
        var bytes = exponent.ToArray();
        try
        {
            return new Key(group, new BigInteger(1, bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private sealed class Key : IDhPrivateKey
    {
        private readonly DhGroup _group;
        private DHPrivateKeyParameters? _privateKey;

        public Key(DhGroup group, BigInteger x)
        {
            _group = group;
            _privateKey = new DHPrivateKeyParameters(x, group.Parameters);
            PublicValue = new byte[group.ModulusLength];
            WriteFixedLength(group.Parameters.G.ModPow(x, group.Parameters.P), PublicValue);
        }

        public byte[] PublicValue { get; }

        public bool TryAgree(ReadOnlySpan<byte> peerPublicValue, Span<byte> sharedSecret)
        {
            var privateKey = _privateKey;
            ObjectDisposedException.ThrowIf(privateKey is null, this);
            DHPublicKeyParameters peer;
            try
            {
                // Besides 1 < Y < p−1, BouncyCastle refuses values outside the prime-order subgroup: for a safe prime
                // p = 2q + 1 (which it knows q for) by the Legendre symbol (Y | p) = 1.
                peer = new DHPublicKeyParameters(new BigInteger(1, peerPublicValue), _group.Parameters);
            }
            catch (ArgumentException)
            {
                return false;
            }

            var agreement = new DHBasicAgreement();
            agreement.Init(privateKey);
            BigInteger z;
            try
            {
                z = agreement.CalculateAgreement(peer);
            }
            catch (InvalidOperationException)
            {
                // BouncyCastle's own refusal of Z = 1; DhKeyPair refuses it for every backend as well.
                return false;
            }

            WriteFixedLength(z, sharedSecret);
            return true;
        }

        public void Dispose() => _privateKey = null;

        private static void WriteFixedLength(BigInteger value, Span<byte> destination)
        {
            var magnitude = value.ToByteArrayUnsigned();
            destination[..^magnitude.Length].Clear();
            magnitude.CopyTo(destination[^magnitude.Length..]);
            CryptographicOperations.ZeroMemory(magnitude);
        }
    }
}
