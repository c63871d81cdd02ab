namespace SecureChat.Protocol;

/// <summary>The two ends of a session. The values are the <c>u8</c> bound into a receipt's signature (§4.6).</summary>
public enum Side : byte
{
    /// <summary>The client, which opens the connection.</summary>
    Client = 1,

    /// <summary>The server.</summary>
    Server = 2,
}

/// <summary>Wire spelling of <see cref="Side"/>: the receipt's <c>peer</c> and the transcript header's <c>side</c>.</summary>
public static class Sides
{
    /// <summary><c>client</c> or <c>server</c>.</summary>
    public static string ToWire(this Side side) => side == Side.Client ? "client" : "server";

    /// <summary>The other end.</summary>
    public static Side Other(this Side side) => side == Side.Client ? Side.Server : Side.Client;

    /// <summary>Parses the exact wire spelling; anything else is refused.</summary>
    public static bool TryFromWire(string? text, out Side side)
    {
        (var known, side) = text switch
        {
            "client" => (true, Side.Client),
            "server" => (true, Side.Server),
            _ => (false, default),
        };
        return known;
    }
}
