using System.Runtime.Versioning;

// The end-to-end tests check POSIX file modes, send POSIX signals and drive sh and openssl: they run on Linux and
// macOS, which is where SecureChat is deployed.
[assembly: UnsupportedOSPlatform("windows")]
