using Cluster.Grains.Abstractions;

namespace Cluster.Runtime.Tests.Grains;

public interface IAlarmGrain : IGrainWithStringKey
{
    Task SetAsync(DateTimeOffset dueAt);

    Task<int> GetFiredAsync();
}

public sealed class AlarmState
{
    public int Fired { get; set; }
}

public sealed class AlarmGrain : Grain<AlarmState>, IAlarmGrain, IRemindable
{
    public const string Reminder = "alarm";

    public Task SetAsync(DateTimeOffset dueAt)
    {
        Turn.SetReminder(Reminder, dueAt);
        return Task.CompletedTask;
    }

    public Task<int> GetFiredAsync() => Task.FromResult(State.Fired);

    public Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        State.Fired++;
        return Task.CompletedTask;
    }
}
