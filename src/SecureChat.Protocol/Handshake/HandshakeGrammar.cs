using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Handshake;

/// <summary>One frame of the handshake (§4.1–§4.4): who sends it and what it must be.</summary>
/// <param name="Sender">The side that sends this frame.</param>
/// <param name="Name">How errors and audit findings name it, e.g. <c>dh_client (auth)</c>.</param>
/// <param name="Matches">Whether a decoded message is this frame.</param>
public sealed record HandshakeStep(Side Sender, string Name, Func<WireMessage, bool> Matches);

/// <summary>The handshake in order, written once: both state machines and the offline auditor read it.</summary>
/// <remarks><c>hello</c>, <c>server_hello</c>, the signed DH for k_auth, one or more encrypted register/login
/// rounds, then the signed DH for k_chat; after that the chat phase begins.</remarks>
public static class HandshakeGrammar
{
    /// <summary>C→S certificate and nonce (§4.1).</summary>
    public static readonly HandshakeStep Hello = new(Side.Client, "hello", m => m is HelloMessage);

    /// <summary>S→C certificate and nonce (§4.1).</summary>
    public static readonly HandshakeStep ServerHello = new(Side.Server, "server_hello", m => m is ServerHelloMessage);

    /// <summary>C→S signed DH share for k_auth (§4.2).</summary>
    public static readonly HandshakeStep DhClientAuth = DhClient(DhPhase.Auth);

    /// <summary>S→C signed DH share for k_auth (§4.2).</summary>
    public static readonly HandshakeStep DhServerAuth = DhServer(DhPhase.Auth);

    /// <summary>C→S register/login under k_auth (§4.3); may repeat after a refusal.</summary>
    public static readonly HandshakeStep AuthRequest = new(Side.Client, "auth_request", m => m is AuthRequestMessage);

    /// <summary>S→C answer to a register/login request (§4.3).</summary>
    public static readonly HandshakeStep AuthResponse = new(Side.Server, "auth_response", m => m is AuthResponseMessage);

    /// <summary>C→S signed DH share for k_chat (§4.4).</summary>
    public static readonly HandshakeStep DhClientChat = DhClient(DhPhase.Chat);

    /// <summary>S→C signed DH share for k_chat (§4.4); the last handshake frame.</summary>
    public static readonly HandshakeStep DhServerChat = DhServer(DhPhase.Chat);

    /// <summary>Frames in the shortest complete handshake (one register/login round).</summary>
    public const int MinimumFrames = 8;

    /// <summary>The step at <paramref name="index"/> of a complete handshake of <paramref name="count"/> frames: the
    /// register/login round repeats between the first DH and the second.</summary>
    public static HandshakeStep StepAt(int index, int count) => index switch
    {
        0 => Hello,
        1 => ServerHello,
        2 => DhClientAuth,
        3 => DhServerAuth,
        _ when index == count - 2 => DhClientChat,
        _ when index == count - 1 => DhServerChat,
        _ when index % 2 == 0 => AuthRequest,
        _ => AuthResponse,
    };

    private static HandshakeStep DhClient(DhPhase phase) =>
        new(Side.Client, $"dh_client ({phase.ToWire()})", m => m is DhClientMessage dh && DhPhases.Is(dh.Phase, phase));

    private static HandshakeStep DhServer(DhPhase phase) =>
        new(Side.Server, $"dh_server ({phase.ToWire()})", m => m is DhServerMessage dh && DhPhases.Is(dh.Phase, phase));
}
