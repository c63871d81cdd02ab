using System.Buffers.Binary;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence.Audit;

/// <summary>Replays the handshake frames of a header (protocol §3, §4.1–§4.4): their shape and order, the
/// certificates they carry, and both DH signatures of both phases over the transcript hash.</summary>
/// <remarks>The auditor holds no key, so the auth frames are checked for shape only; their content is bound by
/// the signature on the chat-phase <c>dh_client</c>, which covers TH up to the last <c>auth_response</c>.</remarks>
internal static class HandshakeAuditor
{
    // hello, server_hello, dh_client auth, dh_server auth, one auth pair, dh_client chat, dh_server chat.

    /// <summary>Checks the handshake; returns why it is invalid, or <see langword="null"/> with TH2 in <paramref name="th2"/>.</summary>
    public static string? Check(TranscriptHeader header, AuditedSession session, PeerKeys keys, out byte[] th2)
    {
        th2 = [];
        var frames = new List<byte[]>(header.Handshake.Count);
        var messages = new List<WireMessage>(header.Handshake.Count);
        for (var i = 0; i < header.Handshake.Count; i++)
        {
            if (Decode(header.Handshake[i], i, out var frame, out var message) is { } problem)
            {
                return problem;
            }

            frames.Add(frame);
            messages.Add(message);
        }

        var problemWithShape = CheckShape(messages) ?? CheckHellos(session, messages) ?? CheckSignatures(frames, messages, keys);
        if (problemWithShape is not null)
        {
            return problemWithShape;
        }

        th2 = HandshakeHash.Compute(frames);
        return null;
    }

    private static string? Decode(string? text, int index, out byte[] frame, out WireMessage message)
    {
        message = null!;
        if (text is null || !WireBytes.TryFromCanonicalBase64(text, out frame))
        {
            frame = [];
            return $"handshake frame {index + 1} is not canonical base64";
        }

        if (frame.Length <= FrameReader.PrefixLength
            || BinaryPrimitives.ReadUInt32BigEndian(frame) != (uint)(frame.Length - FrameReader.PrefixLength)
            || frame.Length - FrameReader.PrefixLength > FrameReader.MaxFrameLength)
        {
            return $"handshake frame {index + 1} has a length prefix that does not match its body";
        }

        try
        {
            message = MessageCodec.DecodeFrame(frame);
            return null;
        }
        catch (ProtocolException)
        {
            return $"handshake frame {index + 1} is not a well-formed protocol message";
        }
    }

    private static string? CheckShape(List<WireMessage> messages)
    {
        var count = messages.Count;
        if (count < HandshakeGrammar.MinimumFrames || count % 2 != 0)
        {
            return $"the handshake holds {count} frames; hello through dh_server (chat) takes an even number of at least {HandshakeGrammar.MinimumFrames}";
        }

        for (var i = 0; i < count; i++)
        {
            if (!IsExpected(messages[i], i, count))
            {
                return $"handshake frame {i + 1} is not {ExpectedAt(i, count)}";
            }
        }

        return null;
    }

    private static bool IsExpected(WireMessage message, int index, int count)
    {
        var step = HandshakeGrammar.StepAt(index, count);
        return step.Matches(message) && message switch
        {
            AuthRequestMessage request => IsSealed(request.Ct),
            AuthResponseMessage response => IsSealed(response.Ct),
            _ => true,
        };
    }

    private static string ExpectedAt(int index, int count)
    {
        var step = HandshakeGrammar.StepAt(index, count);
        return step == HandshakeGrammar.AuthRequest || step == HandshakeGrammar.AuthResponse ? $"an {step.Name} with a sealed ct" : step.Name;
    }

    // Shape only: canonical base64 holding at least a GCM tag. The content is unknowable without k_auth.
    private static bool IsSealed(string ct) => WireBytes.TryFromCanonicalBase64(ct, out var bytes) && bytes.Length >= Aead.TagLength;

    private static string? CheckHellos(AuditedSession session, List<WireMessage> messages)
    {
        var hello = (HelloMessage)messages[0];
        var serverHello = (ServerHelloMessage)messages[1];
        if (hello.Version != 1 || serverHello.Version != 1)
        {
            return "a hello names a protocol version other than 1";
        }

        if (!IsNonce(hello.Nonce) || !IsNonce(serverHello.Nonce))
        {
            return $"a hello nonce is not {ProtocolEndpoint.NonceLength} bytes of canonical base64";
        }

        return CheckCertificate("hello", "client", hello.ClientCert, session.ClientCertificate)
            ?? CheckCertificate("server_hello", "server", serverHello.ServerCert, session.ServerCertificate);
    }

    /// <summary>Whether the PEM a hello carries is the header's certificate. A certificate is its DER encoding: the
    /// PEM text around it (line endings, a final newline) may differ between the frame and the header.</summary>
    private static string? CheckCertificate(string frame, string role, string pem, X509Certificate2 headerCertificate)
    {
        using var carried = PemFiles.TryParseCertificate(pem);
        if (carried is null)
        {
            return $"the {frame} carries a {role} certificate that is not a single well-formed PEM certificate";
        }

        return carried.RawData.AsSpan().SequenceEqual(headerCertificate.RawData)
            ? null
            : $"the {frame} carries another {role} certificate than the header";
    }

    private static bool IsNonce(string nonce) =>
        WireBytes.TryFromCanonicalBase64(nonce, out var bytes) && bytes.Length == ProtocolEndpoint.NonceLength;

    private static string? CheckSignatures(List<byte[]> frames, List<WireMessage> messages, PeerKeys keys)
    {
        var count = frames.Count;
        return CheckPhase(frames, messages, keys, DhPhase.Auth, clientIndex: 2)
            ?? CheckPhase(frames, messages, keys, DhPhase.Chat, clientIndex: count - 2);
    }

    /// <summary>Checks one phase's <c>dh_client</c> (at <paramref name="clientIndex"/>) and the <c>dh_server</c> after it.</summary>
    private static string? CheckPhase(List<byte[]> frames, List<WireMessage> messages, PeerKeys keys, DhPhase phase, int clientIndex)
    {
        var client = (DhClientMessage)messages[clientIndex];
        var server = (DhServerMessage)messages[clientIndex + 1];
        var group = DhGroup.FromName(client.Group);
        if (group is null || !DhSignatures.IsPlainAscii(client.Group))
        {
            return $"dh_client ({phase.ToWire()}) names an unknown DH group";
        }

        if (!string.Equals(server.Group, client.Group, StringComparison.Ordinal))
        {
            return $"dh_server ({phase.ToWire()}) answers with another DH group than dh_client";
        }

        if (!TryPublicValue(client.A, group, out var a) || !TryPublicValue(server.B, group, out var b))
        {
            return $"a DH public value of the {phase.ToWire()} phase is malformed or out of range";
        }

        if (!WireBytes.TryFromCanonicalBase64(client.Sig, out var clientSig)
            || !DhSignatures.VerifyClient(keys.Client, phase, TranscriptHashBefore(frames, clientIndex), client.Group, a, clientSig))
        {
            return $"the dh_client ({phase.ToWire()}) signature does not verify with the client certificate";
        }

        return WireBytes.TryFromCanonicalBase64(server.Sig, out var serverSig)
            && DhSignatures.VerifyServer(keys.Server, phase, TranscriptHashBefore(frames, clientIndex + 1), b, serverSig)
                ? null
                : $"the dh_server ({phase.ToWire()}) signature does not verify with the server certificate";
    }

    /// <summary>TH over every frame before <paramref name="index"/>: what the frame at that index signs.</summary>
    private static byte[] TranscriptHashBefore(List<byte[]> frames, int index) => HandshakeHash.Compute(frames.Take(index));

    private static bool TryPublicValue(string text, DhGroup group, out byte[] value) =>
        WireBytes.TryFromCanonicalBase64(text, out value) && DhKeyPair.IsValidPublicValue(group, value);
}
