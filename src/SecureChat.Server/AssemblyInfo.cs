using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Server.Tests")]
