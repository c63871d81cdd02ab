using System.ComponentModel;
using System.Runtime.InteropServices;

namespace SecureChat.Cli.Tests.Support;

/// <summary>Sends POSIX signals, which .NET cannot do yet (dotnet/runtime#59746): <see cref="System.Diagnostics.Process.Kill()"/>
/// always sends SIGKILL, which gives a program no chance to shut down gracefully.</summary>
internal static partial class Posix
{
    /// <summary>SIGTERM, the polite request to stop; the same number on Linux and macOS.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGINT, what Ctrl+C sends.</summary>
    public const int SigInt = 2;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Sends <paramref name="signal"/> to one process; a process that is already gone is not an error.</summary>
    /// <exception cref="PlatformNotSupportedException">On Windows, which has no signals.</exception>
    public static void Signal(int processId, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("POSIX signals do not exist on Windows.");
        }

        if (Kill(processId, signal) != 0 && Marshal.GetLastPInvokeError() is var error and not NoSuchProcess)
        {
            throw new Win32Exception(error, $"kill({processId}, {signal}) failed");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
