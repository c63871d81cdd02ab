using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using BcArgon2Parameters = Org.BouncyCastle.Crypto.Parameters.Argon2Parameters;

namespace SecureChat.Crypto;

/// <summary>Argon2id cost parameters.</summary>
/// <param name="MemoryKiB">Memory in KiB (m).</param>
/// <param name="Iterations">Passes over memory (t).</param>
/// <param name="Parallelism">Lanes (p).</param>
public sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>The OWASP minimum for Argon2id: m = 19 MiB, t = 2, p = 1 (protocol §7).</summary>
    public static Argon2Parameters Default { get; } = new(19 * 1024, 2, 1);

    /// <summary>Cheap parameters for tests only; never accepted as the server's configuration.</summary>
    public static Argon2Parameters InsecureForTests { get; } = new(64, 1, 1);
}

/// <summary>Salted Argon2id password hashing with self-describing PHC strings
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>) so parameters can be raised later.</summary>
public sealed class PasswordHasher(Argon2Parameters parameters, IEntropySource entropy)
{
    /// <summary>Salt length in bytes.</summary>
    public const int SaltLength = 16;

    /// <summary>Hash output length in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>The parameters new hashes are made with.</summary>
    public Argon2Parameters Parameters { get; } = parameters ?? throw new ArgumentNullException(nameof(parameters));

    /// <summary>Hashes a password with a fresh random salt and returns the PHC string.</summary>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = entropy.GetBytes(SaltLength);
        var hash = Compute(password, salt, Parameters, HashLength);
        try
        {
            return Format(Parameters, salt, hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>Checks a password against a PHC string in constant time.</summary>
    /// <returns><see langword="false"/> for a wrong password or a malformed stored string.</returns>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encoded, out var parameters, out var salt, out var expected))
        {
            return false;
        }

        var actual = Compute(password, salt, parameters, expected.Length);
        try
        {
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    /// <summary>Reports whether a stored hash was made with weaker parameters than <see cref="Parameters"/>.</summary>
    public bool NeedsRehash(string encoded) =>
        !TryParse(encoded, out var stored, out _, out _)
        || stored.MemoryKiB < Parameters.MemoryKiB
        || stored.Iterations < Parameters.Iterations;

    /// <summary>Parses a PHC Argon2id string.</summary>
    public static bool TryParse(string? encoded, out Argon2Parameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = Argon2Parameters.Default;
        salt = [];
        hash = [];
        var parts = encoded?.Split('$');
        if (parts is not { Length: 6 } || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        int m = 0, t = 0, p = 0;
        foreach (var pair in parts[3].Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            switch (kv[0])
            {
                case "m": m = value; break;
                case "t": t = value; break;
                case "p": p = value; break;
                default: return false;
            }
        }

        if (m < 8 || t < 1 || p < 1 || m > 4 * 1024 * 1024 || t > 1000 || p > 64)
        {
            return false;
        }

        if (!TryFromUnpaddedBase64(parts[4], out salt) || !TryFromUnpaddedBase64(parts[5], out hash)
            || salt.Length < 8 || hash.Length < 16)
        {
            return false;
        }

        parameters = new Argon2Parameters(m, t, p);
        return true;
    }

    private static byte[] Compute(string password, byte[] salt, Argon2Parameters parameters, int length)
    {
        var bcParameters = new BcArgon2Parameters.Builder(BcArgon2Parameters.Argon2id)
            .WithVersion(BcArgon2Parameters.Version13)
            .WithMemoryAsKB(parameters.MemoryKiB)
            .WithIterations(parameters.Iterations)
            .WithParallelism(parameters.Parallelism)
            .WithSalt(salt)
            .Build();
        var generator = new Argon2BytesGenerator();
        generator.Init(bcParameters);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var output = new byte[length];
        try
        {
            generator.GenerateBytes(passwordBytes, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }

        return output;
    }

    private static string Format(Argon2Parameters p, byte[] salt, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={p.MemoryKiB},t={p.Iterations},p={p.Parallelism}${ToUnpaddedBase64(salt)}${ToUnpaddedBase64(hash)}");

    private static string ToUnpaddedBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromUnpaddedBase64(string text, out byte[] bytes)
    {
        bytes = [];
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length];
        if (text.Contains('=', StringComparison.Ordinal) || !Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
