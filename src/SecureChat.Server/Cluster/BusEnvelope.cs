using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureChat.Server.Cluster;

/// <summary>What one node tells the others about a message it relayed: where to find it in the record, never a body
/// to trust. A room or direct message is named by its stored id; a <c>#lobby</c> message, which is kept for history only
/// after it is relayed, carries its stored form, whose author evidence every receiving node verifies.</summary>
/// <param name="Node">The node that relayed it (a node ignores its own).</param>
/// <param name="To">The conversation: <c>#lobby</c>, a room, or <c>@user</c>.</param>
/// <param name="Id">The stored message's id (0 for <c>#lobby</c>).</param>
/// <param name="Recipients">Who it is for; a receiving node delivers to no one outside the record's own answer.</param>
/// <param name="Body">For <c>#lobby</c> only: the stored form of the relayed copy.</param>
public sealed record BusEnvelope(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("recipients")] IReadOnlyList<string> Recipients,
    [property: JsonPropertyName("body")] string? Body = null)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The envelope as the bus carries it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses what the bus carried; null when it is not an envelope.</summary>
    public static BusEnvelope? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var envelope = JsonSerializer.Deserialize<BusEnvelope>(json, Json);
            return envelope is { Node: not null, To: not null, Recipients: not null } ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
