using System.Data.Common;
using System.Net.Sockets;

namespace SecureChat.Accounts;

/// <summary>How the SQL stores tell "the database is not there right now" from the caller's own mistakes, and say which.</summary>
internal static class DatabaseFailures
{
    /// <summary>Driver and I/O failures mean "the database is not there right now"; a cancellation the caller did not ask
    /// for is a driver timeout. Argument and schema-version errors are the caller's problem and pass through unchanged.</summary>
    public static bool IsUnavailability(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        DbException or IOException or SocketException or TimeoutException or UnauthorizedAccessException => true,
        _ => false,
    };

    /// <summary>What went wrong, in words that point at the fix: a refused password and an unreachable server differ.</summary>
    /// <remarks>The driver's own message never carries the connection string or its password.</remarks>
    public static string Cause(Exception exception) => exception switch
    {
        MySqlConnector.MySqlException { ErrorCode: MySqlConnector.MySqlErrorCode.AccessDenied } =>
            "the database server refused the user name or password (User ID and Password in the connection string)",
        MySqlConnector.MySqlException { ErrorCode: MySqlConnector.MySqlErrorCode.UnknownDatabase } =>
            "the database named in the connection string does not exist on the server (Database=...)",
        MySqlConnector.MySqlException { ErrorCode: MySqlConnector.MySqlErrorCode.UnableToConnectToHost } =>
            "cannot reach the database server (is it running, and are Server and Port right?)",
        OperationCanceledException or TimeoutException => "the database server did not answer in time",
        _ => exception.Message.TrimEnd('.'),
    };
}
