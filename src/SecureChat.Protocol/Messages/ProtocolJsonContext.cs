using System.Text.Json.Serialization;

namespace SecureChat.Protocol.Messages;

/// <summary>Source-generated JSON metadata for every wire message and plaintext.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(WireMessage))]
[JsonSerializable(typeof(AuthRequestPlaintext))]
[JsonSerializable(typeof(AuthResponsePlaintext))]
[JsonSerializable(typeof(ChatPlaintext))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
