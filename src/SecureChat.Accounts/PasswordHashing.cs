using SecureChat.Crypto;

namespace SecureChat.Accounts;

/// <summary>The hashing operations <see cref="CredentialService"/> needs; a seam so tests can count when hashing happens.</summary>
internal interface IPasswordHashing
{
    /// <summary>Hashes a password with a fresh salt into a PHC string.</summary>
    string Hash(string password);

    /// <summary>Checks a password against a PHC string in constant time.</summary>
    bool Verify(string password, string encoded);

    /// <summary>Reports whether a PHC string was made with weaker parameters than new hashes get.</summary>
    bool NeedsRehash(string encoded);
}

/// <summary>The production hashing: Argon2id through <see cref="PasswordHasher"/>.</summary>
internal sealed class Argon2PasswordHashing(PasswordHasher hasher) : IPasswordHashing
{
    public string Hash(string password) => hasher.Hash(password);

    public bool Verify(string password, string encoded) => PasswordHasher.Verify(password, encoded);

    public bool NeedsRehash(string encoded) => hasher.NeedsRehash(encoded);
}
