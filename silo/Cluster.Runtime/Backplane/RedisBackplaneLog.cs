using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Backplane;

/// <summary>
/// The Redis backplane's log messages; ids (3000-3099) are stable so operators can alert on them.
/// Channels are logged through <see cref="RedisBackplane.LogName"/>, never with the user id they carry, and payloads never.
/// </summary>
internal static partial class RedisBackplaneLog
{
    [LoggerMessage(3000, LogLevel.Information, "Redis backplane connected to {Endpoints}")]
    public static partial void Connected(ILogger logger, string endpoints);

    [LoggerMessage(3001, LogLevel.Warning, "Redis backplane could not reach {Endpoints} at start; it keeps retrying, and publishing fails until it connects")]
    public static partial void StartedDisconnected(ILogger logger, string endpoints);

    [LoggerMessage(3002, LogLevel.Warning, "Redis backplane lost its {ConnectionType} connection to {Endpoint}: {FailureType}")]
    public static partial void ConnectionFailed(ILogger logger, Exception? exception, string connectionType, string endpoint, string failureType);

    [LoggerMessage(3003, LogLevel.Information, "Redis backplane restored its {ConnectionType} connection to {Endpoint}")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, string endpoint);

    [LoggerMessage(3004, LogLevel.Error, "Redis client internal error in {Origin}")]
    public static partial void InternalError(ILogger logger, Exception exception, string origin);

    [LoggerMessage(3005, LogLevel.Error, "A subscriber of backplane channel {Channel} threw; the other subscribers still received the message")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(3006, LogLevel.Warning, "Redis did not confirm the subscription to {Channel}; the client subscribes again when Redis answers")]
    public static partial void SubscribeUnconfirmed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(3007, LogLevel.Warning, "Redis did not confirm leaving {Channel}; this node delivers nothing more from it either way")]
    public static partial void UnsubscribeUnconfirmed(ILogger logger, Exception exception, string channel);
}
