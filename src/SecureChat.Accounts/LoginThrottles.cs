using System.Net;
using System.Net.Sockets;

namespace SecureChat.Accounts;

/// <summary>Per-address failure counting over a sliding window, in memory and bounded in size.</summary>
/// <remarks>Each address keeps at most <c>limit</c> timestamps, so memory is bounded by addresses × limit.</remarks>
internal sealed class AddressThrottle(int limit, TimeSpan window, int capacity)
{
    private readonly Dictionary<string, Queue<long>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly long _windowMs = (long)window.TotalMilliseconds;

    /// <summary>The number of addresses currently remembered.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _failures.Count;
            }
        }
    }

    /// <summary>Returns the throttling key for an address: IPv4 as is, IPv6 by its /64, since one host usually holds a whole /64.</summary>
    public static string KeyFor(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>Reports whether the address has reached the limit within the window ending at <paramref name="nowMs"/>.</summary>
    public bool IsLimited(string key, long nowMs)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(key, out var times))
            {
                return false;
            }

            Expire(times, nowMs);
            if (times.Count == 0)
            {
                _failures.Remove(key);
                return false;
            }

            return times.Count >= limit;
        }
    }

    /// <summary>Counts one failure for the address at <paramref name="nowMs"/>.</summary>
    public void RecordFailure(string key, long nowMs)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(key, out var times))
            {
                if (_failures.Count >= capacity)
                {
                    MakeRoom(nowMs);
                }

                times = new Queue<long>();
                _failures[key] = times;
            }

            Expire(times, nowMs);
            times.Enqueue(nowMs);
            while (times.Count > limit)
            {
                times.Dequeue();
            }
        }
    }

    private void Expire(Queue<long> times, long nowMs)
    {
        while (times.TryPeek(out var oldest) && oldest <= nowMs - _windowMs)
        {
            times.Dequeue();
        }
    }

    private void MakeRoom(long nowMs)
    {
        // Forget expired addresses first; if every entry is live, forget the one whose latest failure is oldest.
        string? stalest = null;
        var stalestMs = long.MaxValue;
        foreach (var (key, times) in _failures)
        {
            Expire(times, nowMs);
            var latest = times.Count == 0 ? long.MinValue : times.Last();
            if (latest < stalestMs)
            {
                (stalest, stalestMs) = (key, latest);
            }
        }

        foreach (var key in _failures.Where(pair => pair.Value.Count == 0).Select(pair => pair.Key).ToList())
        {
            _failures.Remove(key);
        }

        if (_failures.Count >= capacity && stalest is not null)
        {
            _failures.Remove(stalest);
        }
    }
}

/// <summary>Account-style lockout for e-mail addresses that have no account, kept in memory.</summary>
/// <remarks>
/// Without it an unknown address would answer INVALID_CREDENTIALS forever while a registered one turns to
/// RATE_LIMITED after a few failures, telling an attacker which addresses are registered.
/// </remarks>
internal sealed class UnknownEmailThrottle(CredentialPolicy policy)
{
    private readonly Dictionary<string, (ThrottleState State, long TouchedMs)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The number of e-mail addresses currently remembered.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Reports whether the (normalised) address is locked at <paramref name="nowMs"/>.</summary>
    public bool IsLocked(string email, long nowMs)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(email, out var entry) && entry.State.IsLockedAt(nowMs);
        }
    }

    /// <summary>Counts one failure for the address and locks it exactly as an account would be locked.</summary>
    public void RecordFailure(string email, long nowMs)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(email, out var entry) && _entries.Count >= policy.MaxTrackedUnknownEmails)
            {
                var stalest = _entries.MinBy(pair => pair.Value.TouchedMs).Key;
                _entries.Remove(stalest);
            }

            var failures = entry.State.FailedCount + 1;
            var lockout = policy.LockoutAfter(failures);
            var lockedUntil = lockout > TimeSpan.Zero ? nowMs + (long)lockout.TotalMilliseconds : entry.State.LockedUntilMs;
            _entries[email] = (new ThrottleState(failures, lockedUntil), nowMs);
        }
    }
}
