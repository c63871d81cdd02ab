using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Storage.Tests")]
