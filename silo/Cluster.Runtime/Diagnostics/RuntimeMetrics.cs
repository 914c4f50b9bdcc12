using System.Diagnostics.Metrics;

namespace Cluster.Runtime.Diagnostics;

/// <summary>The runtime's counters (meter "Cluster.Runtime"), readable with dotnet-counters.</summary>
public static class RuntimeMetrics
{
    public const string MeterName = "Cluster.Runtime";

    private static readonly Meter Meter = new(MeterName);

    public static Counter<long> TurnsCommitted { get; } = Meter.CreateCounter<long>("cluster.turns.committed");

    public static Counter<long> TurnConflicts { get; } = Meter.CreateCounter<long>("cluster.turns.conflicts", description: "ETag conflicts that made a turn run again");

    public static Counter<long> TurnsFailed { get; } = Meter.CreateCounter<long>("cluster.turns.failed");

    public static Counter<long> Activations { get; } = Meter.CreateCounter<long>("cluster.activations.created");

    public static Counter<long> Deactivations { get; } = Meter.CreateCounter<long>("cluster.activations.collected");

    public static Counter<long> EventsPublished { get; } = Meter.CreateCounter<long>("cluster.outbox.published");

    public static Counter<long> EventsRelayed { get; } = Meter.CreateCounter<long>("cluster.outbox.relayed", description: "Events published by the relay because their node did not");

    public static Counter<long> PublishFailures { get; } = Meter.CreateCounter<long>("cluster.outbox.publish_failures");

    public static Counter<long> RemindersFired { get; } = Meter.CreateCounter<long>("cluster.reminders.fired");

    public static Counter<long> BackgroundFailures { get; } = Meter.CreateCounter<long>("cluster.background.failures", description: "Failures in fan-out, relay, reminder and invalidation loops");
}
