using SecureChat.Crypto;

namespace SecureChat.Accounts.Tests.Infrastructure;

/// <summary>Real Argon2id hashing that counts its calls, so a test can prove that a request was refused before any hash ran.</summary>
internal sealed class CountingHashing(Argon2Parameters parameters) : IPasswordHashing
{
    private readonly Argon2PasswordHashing _inner = new(new PasswordHasher(parameters, IEntropySource.System));
    private int _hashes;
    private int _verifications;

    public int Hashes => Volatile.Read(ref _hashes);

    public int Verifications => Volatile.Read(ref _verifications);

    /// <summary>Every Argon2 computation so far, whatever it was for.</summary>
    public int Computations => Hashes + Verifications;

    public string Hash(string password)
    {
        Interlocked.Increment(ref _hashes);
        return _inner.Hash(password);
    }

    public bool Verify(string password, string encoded)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.Verify(password, encoded);
    }

    public bool NeedsRehash(string encoded) => _inner.NeedsRehash(encoded);
}

/// <summary>A <see cref="CredentialService"/> with a fake clock and a counting hasher over one store.</summary>
internal sealed class CredentialHarness
{
    public CredentialHarness(IUserStore store, CredentialPolicy? policy = null, Argon2Parameters? parameters = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider();
        Hashing = new CountingHashing(parameters ?? Argon2Parameters.InsecureForTests);
        Service = new CredentialService(store, Hashing, policy, Clock);
    }

    public CredentialService Service { get; }

    public CountingHashing Hashing { get; }

    public FakeTimeProvider Clock { get; }
}
