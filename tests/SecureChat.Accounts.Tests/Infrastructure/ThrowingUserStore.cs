
namespace SecureChat.Accounts.Tests.Infrastructure;

/// <summary>A store that fails the test if it is touched, for checks that must happen before any database access.</summary>
internal sealed class ThrowingUserStore : IUserStore
{
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => Fail();

    public Task<CreateUserResult> CreateAsync(UserRecord user, CancellationToken cancellationToken = default) => Fail<CreateUserResult>();

    public Task<UserRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) => Fail<UserRecord?>();

    public Task<UserRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default) => Fail<UserRecord?>();

    public Task<ThrottleState> RecordFailureAsync(long userId, CancellationToken cancellationToken = default) => Fail<ThrottleState>();

    public Task LockUntilAsync(long userId, long lockedUntilMs, CancellationToken cancellationToken = default) => Fail();

    public Task ResetFailuresAsync(long userId, CancellationToken cancellationToken = default) => Fail();

    public Task UpdatePasswordHashAsync(long userId, byte[] salt, string passwordHash, CancellationToken cancellationToken = default) => Fail();

    private static Task Fail() => Fail<bool>();

    private static Task<T> Fail<T>() => throw new InvalidOperationException("The store must not be reached.");
}
