using System.Text.Json.Serialization;

namespace SecureChat.Protocol.Messages;

/// <summary>A message of protocol §4: one JSON object per frame, told apart by its <c>type</c> member.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(ServerHelloMessage), "server_hello")]
[JsonDerivedType(typeof(DhClientMessage), "dh_client")]
[JsonDerivedType(typeof(DhServerMessage), "dh_server")]
[JsonDerivedType(typeof(AuthRequestMessage), "auth_request")]
[JsonDerivedType(typeof(AuthResponseMessage), "auth_response")]
[JsonDerivedType(typeof(ChatMessage), "msg")]
[JsonDerivedType(typeof(ReceiptMessage), "receipt")]
[JsonDerivedType(typeof(ErrorMessage), "error")]
public abstract record WireMessage;

/// <summary>The <c>type</c> names of the messages, as in the <see cref="JsonDerivedTypeAttribute"/> list above.</summary>
public static class WireTypes
{
    /// <summary>The <c>type</c> member that names <paramref name="message"/> on the wire.</summary>
    public static string Of(WireMessage message) => message switch
    {
        HelloMessage => "hello",
        ServerHelloMessage => "server_hello",
        DhClientMessage => "dh_client",
        DhServerMessage => "dh_server",
        AuthRequestMessage => "auth_request",
        AuthResponseMessage => "auth_response",
        ChatMessage => "msg",
        ReceiptMessage => "receipt",
        ErrorMessage => "error",
        _ => throw new ArgumentException("unknown message type", nameof(message)),
    };
}

/// <summary>The two DH exchanges of a handshake.</summary>
public enum DhPhase
{
    /// <summary>The temporary exchange that yields k_auth (§4.2).</summary>
    Auth,

    /// <summary>The session exchange that yields k_chat (§4.4).</summary>
    Chat,
}

/// <summary>Wire spelling of <see cref="DhPhase"/> (the <c>phase</c> member of <c>dh_client</c> and <c>dh_server</c>).</summary>
public static class DhPhases
{
    /// <summary><c>auth</c> or <c>chat</c>.</summary>
    public static string ToWire(this DhPhase phase) => phase == DhPhase.Auth ? "auth" : "chat";

    /// <summary>Whether <paramref name="wire"/> is exactly the spelling of <paramref name="phase"/>.</summary>
    public static bool Is(string? wire, DhPhase phase) => string.Equals(wire, phase.ToWire(), StringComparison.Ordinal);
}
