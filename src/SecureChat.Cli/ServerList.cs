using System.Net.Sockets;
using SecureChat.Client;

namespace SecureChat.Cli;

/// <summary>The servers a client may use (<c>--connect A,B,C</c>): it connects to the first that answers, starting
/// with the one that answered last, so that a client whose node died goes on with another node of the same chat.</summary>
/// <remarks>Only a connection that cannot be made moves on to the next address; a server that answers and refuses
/// (its certificate, the handshake) is an answer, reported as it is.</remarks>
internal sealed class ServerList
{
    private readonly IReadOnlyList<(string Host, int Port)> _servers;
    private int _current;

    private ServerList(IReadOnlyList<(string Host, int Port)> servers) => _servers = servers;

    /// <summary>How many addresses.</summary>
    public int Count => _servers.Count;

    /// <summary>The address in use (the last one that answered, or the first).</summary>
    public string Current => Describe(_servers[Volatile.Read(ref _current)]);

    /// <summary>Parses one <c>HOST:PORT</c> or several separated by commas.</summary>
    /// <exception cref="ArgumentException">An empty list or an address that is not HOST:PORT.</exception>
    public static ServerList Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var servers = text.Split(',', StringSplitOptions.TrimEntries).Select(ClientSetup.ParseTarget).ToList();
        return new ServerList(servers);
    }

    /// <summary>Connects to the first address that accepts a connection, beginning with <see cref="Current"/>.</summary>
    /// <exception cref="SocketException">No address could be reached (the last address's failure).</exception>
    public async Task<ChatClient> ConnectAsync(ChatClientOptions options, CancellationToken cancellationToken)
    {
        var start = Volatile.Read(ref _current);
        for (var i = 0; ; i++)
        {
            var index = (start + i) % _servers.Count;
            var (host, port) = _servers[index];
            try
            {
                var client = await ChatClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return client;
            }
            catch (SocketException) when (i + 1 < _servers.Count)
            {
                // Not reachable: try the next node.
            }
        }
    }

    private static string Describe((string Host, int Port) server) =>
        server.Host.Contains(':', StringComparison.Ordinal) ? $"[{server.Host}]:{server.Port}" : $"{server.Host}:{server.Port}";
}
