using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Protocol.Tests")]
