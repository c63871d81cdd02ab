using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Cli.Tests")]
