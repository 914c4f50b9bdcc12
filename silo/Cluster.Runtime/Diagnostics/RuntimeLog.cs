using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Diagnostics;

/// <summary>The runtime's log messages; ids are stable so operators can alert on them. Only ids, never content.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1000, LogLevel.Information, "Node {NodeId} started: storage {Storage}, backplane {Backplane}")]
    public static partial void NodeStarted(ILogger logger, string nodeId, string storage, string backplane);

    [LoggerMessage(1001, LogLevel.Information, "Node {NodeId} stopping")]
    public static partial void NodeStopping(ILogger logger, string nodeId);

    [LoggerMessage(1002, LogLevel.Warning, "Shutdown timed out with {Count} activations still running turns")]
    public static partial void StoppedWithBusyActivations(ILogger logger, int count);

    [LoggerMessage(1010, LogLevel.Debug, "Activated {Grain}")]
    public static partial void Activated(ILogger logger, string grain);

    [LoggerMessage(1011, LogLevel.Debug, "Deactivated {Count} idle activations")]
    public static partial void Collected(ILogger logger, int count);

    [LoggerMessage(1020, LogLevel.Debug, "Turn {Method} on {Grain} met an ETag conflict (attempt {Attempt}); reloading")]
    public static partial void TurnConflict(ILogger logger, string grain, string method, int attempt);

    [LoggerMessage(1021, LogLevel.Warning, "Turn {Method} on {Grain} gave up after {Attempts} ETag conflicts")]
    public static partial void TurnGaveUp(ILogger logger, string grain, string method, int attempts);

    [LoggerMessage(1022, LogLevel.Warning, "Turn {Method} on {Grain} could not commit")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string grain, string method);

    [LoggerMessage(1023, LogLevel.Warning, "Activation of {Grain} failed")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(1030, LogLevel.Warning, "Publishing {Count} feed entries failed; the relay will publish them")]
    public static partial void PublishFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(1031, LogLevel.Information, "Relay published {Count} events left unpublished")]
    public static partial void Relayed(ILogger logger, int count);

    [LoggerMessage(1032, LogLevel.Warning, "Outbox relay cycle failed")]
    public static partial void RelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(1033, LogLevel.Warning, "A feed subscriber of user {UserId} failed")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string userId);

    [LoggerMessage(1040, LogLevel.Warning, "Reminder {Name} of {Grain} failed; it fires again when its lease ends")]
    public static partial void ReminderFailed(ILogger logger, Exception exception, string grain, string name);

    [LoggerMessage(1041, LogLevel.Warning, "Reminder poll failed")]
    public static partial void ReminderPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(1050, LogLevel.Warning, "Invalidation of {Grain} could not be broadcast")]
    public static partial void InvalidationFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(1051, LogLevel.Warning, "An invalidation message could not be read")]
    public static partial void InvalidationUnreadable(ILogger logger, Exception exception);
}
