using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Storage;

namespace Cluster.Runtime.Activation;

/// <summary>Collects the effects of one turn until it commits.</summary>
internal sealed class TurnContext(DateTimeOffset now) : ITurnContext
{
    private readonly List<PendingRow> _rows = [];
    private readonly List<PendingEvent> _events = [];
    private readonly List<ReminderChange> _reminders = [];

    public DateTimeOffset Now { get; } = now;

    public IReadOnlyList<PendingRow> Rows => _rows;

    public IReadOnlyList<PendingEvent> Events => _events;

    public IReadOnlyList<ReminderChange> Reminders => _reminders;

    public bool HasEffects => _rows.Count > 0 || _events.Count > 0 || _reminders.Count > 0;

    public void Append<TRow>(string collection, string partition, long? sequence, TRow row, string? uniqueKey = null)
        where TRow : notnull
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(partition);
        _rows.Add(new PendingRow(collection, partition, sequence, uniqueKey, JsonSerializer.Serialize(row, RuntimeJson.Options)));
    }

    public void Emit<TEvent>(TEvent @event, IEnumerable<string> audience) where TEvent : notnull
    {
        var type = @event.GetType();
        _events.Add(new PendingEvent(
            Guid.CreateVersion7(Now),
            type.Name,
            JsonSerializer.Serialize(@event, type, RuntimeJson.Options),
            audience.Where(u => !string.IsNullOrEmpty(u)).Distinct(StringComparer.Ordinal).ToArray()));
    }

    public void SetReminder(string name, DateTimeOffset dueAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _reminders.Add(new ReminderChange(name, dueAt));
    }

    public void ClearReminder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _reminders.Add(new ReminderChange(name, null));
    }
}
