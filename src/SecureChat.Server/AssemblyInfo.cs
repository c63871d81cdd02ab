using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Integration.Tests")]
