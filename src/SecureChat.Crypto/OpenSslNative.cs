using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace SecureChat.Crypto;

/// <summary>The few libcrypto (OpenSSL 3) big-number functions the OpenSSL DH backend needs.</summary>
/// <remarks>.NET on Linux already depends on libcrypto.so.3 for System.Security.Cryptography, so this adds no new
/// native dependency there. The library is found by <see cref="Load"/>, never by the default probing, so a missing
/// or too old libcrypto is a clean "unavailable" instead of an exception in the middle of a handshake.</remarks>
internal static unsafe partial class OpenSslNative
{
    /// <summary>BN_FLG_CONSTTIME from openssl/bn.h.</summary>
    public const int BnFlagConstantTime = 0x04;

    /// <summary>A logical name only <see cref="Resolve"/> answers to.</summary>
    private const string Library = "securechat-libcrypto";

    private static readonly string[] RequiredExports =
    [
        "OpenSSL_version_num", "ERR_clear_error", "BN_new", "BN_clear_free", "BN_bin2bn", "BN_bn2binpad", "BN_set_flags",
        "BN_mod_exp_mont_consttime", "BN_kronecker", "BN_CTX_new", "BN_CTX_free", "BN_MONT_CTX_new", "BN_MONT_CTX_set",
        "BN_MONT_CTX_free",
    ];

    private static nint _library;

    /// <summary>Where libcrypto 3 is looked for. On macOS only versioned names: loading the system's unversioned
    /// /usr/lib/libcrypto.dylib aborts the process.</summary>
    private static string[] Candidates =>
        OperatingSystem.IsMacOS()
            ? ["libcrypto.3.dylib", "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib", "/usr/local/opt/openssl@3/lib/libcrypto.3.dylib"]
            : OperatingSystem.IsWindows()
                ? ["libcrypto-3-x64.dll", "libcrypto-3.dll"]
                : ["libcrypto.so.3", "libcrypto.so"];

    /// <summary>Loads libcrypto and routes this assembly's imports to it. Call once.</summary>
    /// <returns><see langword="null"/> on success, otherwise why the library cannot be used.</returns>
    public static string? Load()
    {
        foreach (var name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, typeof(OpenSslNative).Assembly, null, out var handle))
            {
                continue;
            }

            var missing = RequiredExports.FirstOrDefault(e => !NativeLibrary.TryGetExport(handle, e, out _));
            if (missing is not null)
            {
                NativeLibrary.Free(handle);
                return $"{name} lacks {missing}";
            }

            _library = handle;
            NativeLibrary.SetDllImportResolver(typeof(OpenSslNative).Assembly, Resolve);
            var version = OpenSSL_version_num().Value;
            return version >= 0x3000_0000 ? null : $"{name} is OpenSSL 0x{version:x}, older than 3.0";
        }

        return $"no libcrypto found (tried {string.Join(", ", Candidates)})";
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Library ? _library : 0;

    /// <summary>Throws for a failed call, leaving OpenSSL's per-thread error queue empty as .NET's own OpenSSL
    /// interop expects.</summary>
    public static void Check(bool success, string function)
    {
        if (!success)
        {
            ERR_clear_error();
            throw new CryptographicException($"OpenSSL {function} failed.");
        }
    }

    /// <summary>A new BIGNUM holding the big-endian unsigned <paramref name="bytes"/>.</summary>
    public static SafeBigNumHandle FromBytes(ReadOnlySpan<byte> bytes)
    {
        SafeBigNumHandle result;
        fixed (byte* p = bytes)
        {
            result = BN_bin2bn(p, bytes.Length, 0);
        }

        Check(!result.IsInvalid, nameof(BN_bin2bn));
        return result;
    }

    /// <summary>Writes <paramref name="value"/> big-endian, left-padded to exactly the destination's length.</summary>
    public static void ToFixedLength(SafeBigNumHandle value, Span<byte> destination)
    {
        fixed (byte* p = destination)
        {
            Check(BN_bn2binpad(value, p, destination.Length) == destination.Length, nameof(BN_bn2binpad));
        }
    }

    public static SafeBigNumHandle NewBigNum()
    {
        var result = BN_new();
        Check(!result.IsInvalid, nameof(BN_new));
        return result;
    }

    public static SafeBnCtxHandle NewContext()
    {
        var result = BN_CTX_new();
        Check(!result.IsInvalid, nameof(BN_CTX_new));
        return result;
    }

    [LibraryImport(Library)]
    private static partial CULong OpenSSL_version_num();

    [LibraryImport(Library)]
    private static partial void ERR_clear_error();

    [LibraryImport(Library)]
    private static partial SafeBigNumHandle BN_new();

    [LibraryImport(Library)]
    internal static partial void BN_clear_free(nint a);

    [LibraryImport(Library)]
    private static partial SafeBigNumHandle BN_bin2bn(byte* s, int len, nint ret);

    [LibraryImport(Library)]
    private static partial int BN_bn2binpad(SafeBigNumHandle a, byte* to, int tolen);

    [LibraryImport(Library)]
    internal static partial void BN_set_flags(SafeBigNumHandle b, int n);

    [LibraryImport(Library)]
    internal static partial int BN_mod_exp_mont_consttime(SafeBigNumHandle rr, SafeBigNumHandle a, SafeBigNumHandle p, SafeBigNumHandle m, SafeBnCtxHandle ctx, SafeMontCtxHandle inMont);

    /// <summary>The Kronecker symbol (a | b): 1, −1 or 0, and −2 on error. For an odd prime b, the Legendre symbol.</summary>
    [LibraryImport(Library)]
    internal static partial int BN_kronecker(SafeBigNumHandle a, SafeBigNumHandle b, SafeBnCtxHandle ctx);

    [LibraryImport(Library)]
    private static partial SafeBnCtxHandle BN_CTX_new();

    [LibraryImport(Library)]
    internal static partial void BN_CTX_free(nint c);

    [LibraryImport(Library)]
    internal static partial SafeMontCtxHandle BN_MONT_CTX_new();

    [LibraryImport(Library)]
    internal static partial int BN_MONT_CTX_set(SafeMontCtxHandle mont, SafeBigNumHandle mod, SafeBnCtxHandle ctx);

    [LibraryImport(Library)]
    internal static partial void BN_MONT_CTX_free(nint mont);
}

/// <summary>A BIGNUM, freed with BN_clear_free so that secrets (exponents, shared values) are zeroed, not just
/// returned to the allocator.</summary>
internal sealed class SafeBigNumHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeBigNumHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenSslNative.BN_clear_free(handle);
        return true;
    }
}

/// <summary>A BN_CTX: scratch space for one thread at a time.</summary>
internal sealed class SafeBnCtxHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeBnCtxHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenSslNative.BN_CTX_free(handle);
        return true;
    }
}

/// <summary>A BN_MONT_CTX: Montgomery constants for one modulus, read-only once set, so shareable across threads.</summary>
internal sealed class SafeMontCtxHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeMontCtxHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpenSslNative.BN_MONT_CTX_free(handle);
        return true;
    }
}
