using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.Protocol;

namespace SecureChat.Evidence.Audit;

/// <summary>The facts a verified header establishes: the session id and both accepted certificates.</summary>
internal sealed class AuditedSession : IDisposable
{
    private readonly Lock _gate = new();

    public AuditedSession(byte[] sessionId, X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        SessionId = sessionId;
        ClientCertificate = clientCertificate;
        ServerCertificate = serverCertificate;
    }

    public byte[] SessionId { get; }

    public X509Certificate2 ClientCertificate { get; }

    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Fresh verification keys for one worker.</summary>
    /// <remarks>Creation is serialised because it reads lazily cached state of the shared certificates.</remarks>
    public PeerKeys CreateKeys()
    {
        lock (_gate)
        {
            return PeerKeys.From(ClientCertificate, ServerCertificate)
                ?? throw new InvalidOperationException("The certificates were accepted, so their keys must load.");
        }
    }

    /// <summary>Fresh digest verification keys of both certificates for one signature worker.</summary>
    /// <remarks>Serialised for the same reason as <see cref="CreateKeys"/>.</remarks>
    public MessageKeys CreateMessageKeys()
    {
        lock (_gate)
        {
            return MessageKeys.From(ClientCertificate, ServerCertificate)
                ?? throw new InvalidOperationException("The certificates were accepted, so their keys must load.");
        }
    }

    public void Dispose()
    {
        ClientCertificate.Dispose();
        ServerCertificate.Dispose();
    }
}

/// <summary>The verification keys of both certificates, owned by one thread at a time.</summary>
internal sealed class PeerKeys : IDisposable
{
    private PeerKeys(VerificationKey client, VerificationKey server)
    {
        Client = client;
        Server = server;
    }

    public VerificationKey Client { get; }

    public VerificationKey Server { get; }

    /// <summary>Both keys, or <see langword="null"/> if either certificate holds neither an RSA nor an EC key.</summary>
    public static PeerKeys? From(X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        var client = VerificationKey.FromCertificate(clientCertificate);
        var server = VerificationKey.FromCertificate(serverCertificate);
        if (client is null || server is null)
        {
            client?.Dispose();
            server?.Dispose();
            return null;
        }

        return new PeerKeys(client, server);
    }

    /// <summary>The key of whoever sends in <paramref name="direction"/>.</summary>
    public VerificationKey SenderOf(Direction direction) => direction == Direction.ClientToServer ? Client : Server;

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}

/// <summary>The digest verification keys of both certificates, owned by one thread at a time.</summary>
internal sealed class MessageKeys : IDisposable
{
    private readonly DigestVerificationKey _client;
    private readonly DigestVerificationKey _server;

    private MessageKeys(DigestVerificationKey client, DigestVerificationKey server)
    {
        _client = client;
        _server = server;
    }

    /// <summary>Both keys, or <see langword="null"/> if either certificate holds neither an RSA nor an EC key.</summary>
    public static MessageKeys? From(X509Certificate2 clientCertificate, X509Certificate2 serverCertificate)
    {
        var client = DigestVerificationKey.FromCertificate(clientCertificate);
        var server = DigestVerificationKey.FromCertificate(serverCertificate);
        if (client is null || server is null)
        {
            client?.Dispose();
            server?.Dispose();
            return null;
        }

        return new MessageKeys(client, server);
    }

    /// <summary>The key of whoever sends in <paramref name="direction"/>.</summary>
    public DigestVerificationKey SenderOf(Direction direction) => direction == Direction.ClientToServer ? _client : _server;

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }
}
