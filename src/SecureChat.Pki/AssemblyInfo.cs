using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureChat.Pki.Tests")]
