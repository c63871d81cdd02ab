using System.Net.Sockets;
using System.Security.Cryptography;
using SecureChat.Accounts;
using SecureChat.Pki;
using SecureChat.Protocol;

namespace SecureChat.Cli;

/// <summary>Runs a verb and turns every expected failure into one clear sentence and a non-zero exit code.</summary>
internal static class CliRunner
{
    /// <summary>Exit code for a usage or input error (bad file, bad flag), and nothing else.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a failure of the thing attempted (refused, unreachable, verification failed).</summary>
    public const int Failure = 1;

    /// <summary>Wraps an action so no stack trace ever reaches the user.</summary>
    public static Func<System.CommandLine.ParseResult, CancellationToken, Task<int>> Guard(
        Func<System.CommandLine.ParseResult, CancellationToken, Task<int>> action) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
            catch (Exception e) when (Describe(e) is { } sentence)
            {
                Console.Error.WriteLine($"securechat: {Interactive.Display.Safe(sentence)}");
                return IsUsageError(e) ? UsageError : Failure;
            }
        };

    /// <summary>Whether the input was wrong (a flag, a file) rather than the attempt failing: a refusal, a lost
    /// connection or a protocol error is never a usage error.</summary>
    public static bool IsUsageError(Exception e) =>
        e is PkiException or ArgumentException or FileNotFoundException or DirectoryNotFoundException;

    /// <summary>One sentence for an expected failure; null lets a real bug surface.</summary>
    public static string? Describe(Exception e) => e switch
    {
        PkiException p => p.Message,
        InputAbortedException a => a.Message,
        ProtocolException { IsRemote: true } p => $"the server refused: {p.Message} ({p.Code.ToWire()})",
        ProtocolException { Code: ProtocolErrorCode.FrameTooLarge or ProtocolErrorCode.ProtocolError } p =>
            $"the peer does not speak SecureChat protocol v1: {p.Message} ({p.Code.ToWire()})",
        ProtocolException p => $"{p.Message} ({p.Code.ToWire()})",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } s =>
            $"cannot reach the server: no such host ({s.Message})",
        SocketException s => $"cannot reach the server: {s.Message}",
        UserStoreUnavailableException u => u.Message,
        FileNotFoundException f => $"file not found: {f.FileName ?? f.Message}",
        DirectoryNotFoundException d => d.Message,
        UnauthorizedAccessException u => u.Message,
        IOException { InnerException: SocketException s } => $"the connection was lost: {s.Message}",
        IOException io => io.Message,
        CryptographicException c => $"cryptographic failure: {c.Message}",
        ArgumentException a => a.ParamName is null ? a.Message : a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal),
        NotSupportedException n => n.Message,
        InvalidOperationException i => i.Message,
        TimeoutException => "the operation timed out",
        _ => null,
    };
}
