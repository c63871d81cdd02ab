using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Client.Tests")]
