using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>The answer to one register/login request: an <c>auth_response</c>, or an <c>error</c> frame instead.</summary>
internal sealed record AuthAnswer(AuthResponsePlaintext? Response, ErrorMessage? Error);

/// <summary>A genuine client state machine (<see cref="ClientProtocol"/>) driven over a <see cref="RawClient"/>, so a
/// test decides when to read: it can stop reading, or see the server's error frames exactly as sent.</summary>
internal sealed class RawSession : IAsyncDisposable
{
    private RawSession(RawClient raw, ClientProtocol protocol)
    {
        Raw = raw;
        Protocol = protocol;
    }

    public RawClient Raw { get; }

    public ClientProtocol Protocol { get; }

    /// <summary>Connects, sends hello and completes the signed DH for k_auth (credentials may be sent next).</summary>
    public static async Task<RawSession> ConnectAsync(int port, LocalIdentity? identity = null, int? receiveBufferSize = null, ProtocolSettings? settings = null)
    {
        var raw = await RawClient.ConnectAsync(port, receiveBufferSize);
        var protocol = new ClientProtocol(
            identity ?? new LocalIdentity(TestPki.Client),
            new CertificateValidator(TestPki.ServerPolicy()),
            settings ?? new ProtocolSettings());
        var session = new RawSession(raw, protocol);
        try
        {
            await raw.WriteAsync(protocol.Start().Frames.Single());
            while (!protocol.CanSubmitCredentials)
            {
                await session.ReceiveAsync();
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a register/login request and, on success, completes the chat-phase DH.</summary>
    public async Task<AuthAnswer> SubmitAsync(AuthRequestPlaintext request)
    {
        await Raw.WriteAsync(Concat(Protocol.SubmitCredentials(request).Frames));
        AuthResponsePlaintext? response = null;
        while (response is null || (response.Ok && Protocol.Chat is null))
        {
            var frame = await Raw.ReadFrameAsync() ?? throw new InvalidOperationException("the server closed the connection during the handshake");
            if (MessageCodec.DecodeFrame(frame) is ErrorMessage error)
            {
                return new AuthAnswer(response, error);
            }

            var output = Protocol.Receive(frame);
            response ??= output.Events.OfType<AuthResponseReceived>().SingleOrDefault()?.Response;
            await WriteAsync(output);
        }

        return new AuthAnswer(response, null);
    }

    /// <summary>Registers and requires success.</summary>
    public async Task RegisterAsync(string email, string username, string password)
    {
        var answer = await SubmitAsync(new AuthRequestPlaintext { Op = AuthRequestPlaintext.Register, Email = email, Username = username, Password = password });
        Assert.True(answer.Response is { Ok: true }, $"registration failed: {answer.Response?.Code} {answer.Error?.Code}");
    }

    /// <summary>Sends a login request.</summary>
    public Task<AuthAnswer> LoginAsync(string email, string password) =>
        SubmitAsync(new AuthRequestPlaintext { Op = AuthRequestPlaintext.Login, Email = email, Password = password });

    /// <summary>The session id as the server names its transcript file (lowercase hex).</summary>
    public string SessionId => Convert.ToHexStringLower(Protocol.Chat!.SessionId);

    /// <summary>Seals a chat message without sending it, so a test can send, alter, repeat or withhold its frame.</summary>
    public (ChatMessage Message, byte[] Frame) Seal(string text)
    {
        var output = Protocol.SendText(text);
        return (output.Events.OfType<MessageSent>().Single().Message, output.Frames.Single());
    }

    public ValueTask DisposeAsync()
    {
        Protocol.Dispose();
        return Raw.DisposeAsync();
    }

    private static byte[] Concat(IEnumerable<byte[]> frames) => [.. frames.SelectMany(f => f)];

    private async Task ReceiveAsync()
    {
        var frame = await Raw.ReadFrameAsync() ?? throw new InvalidOperationException("the server closed the connection during the handshake");
        await WriteAsync(Protocol.Receive(frame));
    }

    private async Task WriteAsync(ProtocolOutput output)
    {
        if (output.Frames.Count > 0)
        {
            await Raw.WriteAsync(Concat(output.Frames));
        }
    }
}
