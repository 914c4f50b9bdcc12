namespace Cluster.Grains.Abstractions;

/// <summary>A grain that sets reminders receives them through this interface, as an ordinary turn.</summary>
public interface IRemindable
{
    /// <summary>
    /// Called once the reminder is due. The reminder is removed in the same transaction as the turn,
    /// unless the turn sets it again.
    /// </summary>
    Task ReceiveReminderAsync(string name, DateTimeOffset dueAt);
}
