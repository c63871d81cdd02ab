namespace SecureChat.Protocol;

/// <summary>A direction of travel; the numeric values are the <c>u8(dir)</c> bound into AADs and signatures.</summary>
public enum Direction : byte
{
    /// <summary>Client to server.</summary>
    ClientToServer = 1,

    /// <summary>Server to client.</summary>
    ServerToClient = 2,
}

/// <summary>Helpers for <see cref="Direction"/>.</summary>
public static class DirectionExtensions
{
    /// <summary>The transcript spelling, <c>c2s</c> or <c>s2c</c>.</summary>
    public static string ToWire(this Direction direction) => direction switch
    {
        Direction.ClientToServer => "c2s",
        Direction.ServerToClient => "s2c",
        _ => throw new ArgumentOutOfRangeException(nameof(direction)),
    };

    /// <summary>Parses <c>c2s</c>/<c>s2c</c>.</summary>
    public static Direction? FromWire(string? text) => text switch
    {
        "c2s" => Direction.ClientToServer,
        "s2c" => Direction.ServerToClient,
        _ => null,
    };

    /// <summary>The other direction.</summary>
    public static Direction Reverse(this Direction direction) =>
        direction == Direction.ClientToServer ? Direction.ServerToClient : Direction.ClientToServer;
}
