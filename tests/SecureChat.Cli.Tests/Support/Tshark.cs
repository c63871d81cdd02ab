using System.Globalization;

namespace SecureChat.Cli.Tests.Support;

/// <summary>The real <c>tshark</c> running the repository's dissector (<c>tools/wireshark/securechat.lua</c>) on a
/// capture file, and what it printed for each SecureChat packet.</summary>
public static class Tshark
{
    /// <summary>Every capture file the tests write is dissected with these field columns, tab-separated; several values
    /// of one field in a packet (several frames in one segment) are joined with <c>|</c>.</summary>
    private static readonly string[] Fields = ["frame.number", "tcp.stream", "securechat.type", "securechat.seqno", "securechat.direction", "_ws.expert.message"];

    /// <summary>The repository's root: the first folder above the test binaries that holds <c>SecureChat.slnx</c>.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The dissector under test.</summary>
    public static string Dissector => Path.Combine(RepositoryRoot, "tools", "wireshark", "securechat.lua");

    /// <summary>Runs <c>tshark -X lua_script:DISSECTOR -r FILE -Y securechat -T fields …</c> and returns one row per packet
    /// that carries SecureChat frames; asserts that tshark succeeded and that no Lua error was reported, there or in a
    /// full verbose dissection of every packet.</summary>
    /// <param name="capture">The pcap or pcapng file.</param>
    /// <param name="options">More tshark arguments, for example <c>-o tcp.try_heuristic_first:TRUE</c>.</param>
    public static async Task<IReadOnlyList<DissectedPacket>> DissectAsync(string capture, params string[] options)
    {
        string[] common = ["-n", "-X", "lua_script:" + Dissector, "-r", capture, .. options];
        var verbose = await RunAsync([.. common, "-V"]);
        AssertNoLuaError(verbose);

        var result = await RunAsync([.. common, "-Y", "securechat", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|",
            .. Fields.SelectMany(f => new[] { "-e", f })]);
        AssertNoLuaError(result);
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(DissectedPacket.Parse)];
    }

    /// <summary>Runs tshark with <paramref name="arguments"/> and asserts exit code 0.</summary>
    public static async Task<ChildProcessResult> RunAsync(string[] arguments)
    {
        var result = await ChildProcess.RunAsync("tshark", arguments, new ChildProcessOptions { Timeout = TimeSpan.FromSeconds(60) });
        Assert.True(result.ExitCode == 0, $"tshark {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    private static void AssertNoLuaError(ChildProcessResult result)
    {
        Assert.DoesNotContain("Lua Error", result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Lua Error", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureChat.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no SecureChat.slnx above {AppContext.BaseDirectory}");
    }
}

/// <summary>One packet as tshark showed it: its SecureChat frames (several when they share a segment) and the
/// SecureChat expert messages raised on it.</summary>
/// <param name="Frame">The packet number.</param>
/// <param name="Stream">The TCP stream index.</param>
/// <param name="Types">The <c>securechat.type</c> of each frame in the packet, in order.</param>
/// <param name="Seqnos">The <c>securechat.seqno</c> values.</param>
/// <param name="Directions">The <c>securechat.direction</c> values.</param>
/// <param name="Warnings">The expert messages that come from the dissector (they start with "SecureChat:").</param>
public sealed record DissectedPacket(int Frame, int Stream, IReadOnlyList<string> Types, IReadOnlyList<string> Seqnos,
    IReadOnlyList<string> Directions, IReadOnlyList<string> Warnings)
{
    /// <summary>Parses one tab-separated line of the field output.</summary>
    public static DissectedPacket Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var cells = line.TrimEnd('\r').Split('\t');
        return new DissectedPacket(int.Parse(cells[0], CultureInfo.InvariantCulture), int.Parse(cells[1], CultureInfo.InvariantCulture),
            Values(cells[2]), Values(cells[3]), Values(cells[4]),
            [.. Values(cells[5]).Where(m => m.StartsWith("SecureChat:", StringComparison.Ordinal))]);
    }

    private static string[] Values(string cell) => cell.Length == 0 ? [] : cell.Split('|');
}
