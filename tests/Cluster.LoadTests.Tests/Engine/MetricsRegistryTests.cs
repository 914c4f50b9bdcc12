using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Tests.Engine;

/// <summary>Steps and the measured period.</summary>
public sealed class MetricsRegistryTests
{
    [Fact]
    public void RecordsBeforeTheMeasuredPeriodAreDropped()
    {
        var metrics = new MetricsRegistry();
        var step = metrics.Step("send");
        step.RecordOk(TimeSpan.FromMilliseconds(3), 100);
        step.RecordFailure("http.503");

        metrics.StartRecording();
        step.RecordOk(TimeSpan.FromMilliseconds(5), 10);
        metrics.StopRecording();
        step.RecordOk(TimeSpan.FromMilliseconds(7));

        var stats = step.Snapshot();
        Assert.Equal(1, stats.Requests);
        Assert.Equal(1, stats.Ok);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(10, stats.Bytes);
        Assert.Equal(5, stats.Latency.MaxMs, 3);
    }

    [Fact]
    public void FailuresAreCountedByCodeWithTheirOwnLatency()
    {
        var metrics = new MetricsRegistry();
        metrics.StartRecording();
        var step = metrics.Step("send");
        step.RecordOk(TimeSpan.FromMilliseconds(2));
        step.RecordFailure("timeout", TimeSpan.FromSeconds(10));
        step.RecordFailure("http.503");
        step.RecordFailure("timeout", TimeSpan.FromSeconds(10));
        metrics.StopRecording();

        var stats = step.Snapshot();
        Assert.Equal(4, stats.Requests);
        Assert.Equal(3, stats.Failed);
        Assert.Equal(2, stats.FailuresByCode["timeout"]);
        Assert.Equal(1, stats.FailuresByCode["http.503"]);
        Assert.Equal("timeout", stats.FailuresByCode.Keys.First());
        Assert.Equal(2, stats.Latency.MaxMs, 3);
        Assert.Equal(2, stats.FailedLatency!.Count);
    }

    [Fact]
    public void StepsAreCreatedOnceAndKeepTheirOrder()
    {
        var metrics = new MetricsRegistry();
        var send = metrics.Step("send");
        metrics.Step("receive");
        metrics.Step("ack");

        Assert.Same(send, metrics.Step("send"));
        Assert.Equal(["send", "receive", "ack"], metrics.Snapshot().Select(step => step.Name));
    }

    [Fact]
    public void TheTimeSeriesHasAPointForTheMeasuredPeriodOnceStopped()
    {
        var metrics = new MetricsRegistry();
        metrics.StartRecording();
        metrics.Step("send").RecordOk(TimeSpan.FromMilliseconds(4));
        metrics.Step("send").RecordFailure("http.500");
        metrics.StopRecording();

        var point = Assert.Single(metrics.TimeSeries("send"));
        Assert.Equal(new TimeSeriesPoint(1, 1, 1, point.P50Ms, point.P99Ms), point);
        Assert.InRange(point.P99Ms, 3.96, 4.04);
        Assert.Empty(metrics.TimeSeries("unknown"));
    }

    [Fact]
    public void ARegistryMeasuresOnePeriod()
    {
        var metrics = new MetricsRegistry();
        metrics.StartRecording();
        metrics.StartRecording();
        metrics.StopRecording();

        Assert.False(metrics.IsRecording);
        Assert.Throws<InvalidOperationException>(metrics.StartRecording);
    }
}
