using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureChat.Crypto;

/// <summary>A named RFC 7919 finite-field Diffie–Hellman group; peers never send their own parameters.</summary>
public sealed class DhGroup
{
    /// <summary>RFC 7919 ffdhe2048, the protocol's mandatory group.</summary>
    public static DhGroup Ffdhe2048 { get; } = new("ffdhe2048", DHStandardGroups.rfc7919_ffdhe2048);

    /// <summary>RFC 7919 ffdhe3072, an optional stronger group.</summary>
    public static DhGroup Ffdhe3072 { get; } = new("ffdhe3072", DHStandardGroups.rfc7919_ffdhe3072);

    private DhGroup(string name, DHParameters parameters)
    {
        Name = name;
        Parameters = parameters;
        ModulusLength = (parameters.P.BitLength + 7) / 8;
    }

    /// <summary>The ASCII name used on the wire, e.g. <c>ffdhe2048</c>.</summary>
    public string Name { get; }

    /// <summary>Length in bytes of the modulus, and so of every public value and shared secret.</summary>
    public int ModulusLength { get; }

    internal DHParameters Parameters { get; }

    /// <summary>Looks up a group by its wire name; returns <see langword="null"/> for any name not in the fixed list.</summary>
    public static DhGroup? FromName(string? name) => name switch
    {
        "ffdhe2048" => Ffdhe2048,
        "ffdhe3072" => Ffdhe3072,
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => Name;
}
