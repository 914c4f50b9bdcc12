using Cluster.LoadTests.Engine;
using Cluster.LoadTests.Reports;

namespace Cluster.LoadTests.Tests.Reports;

/// <summary>The console table and progress lines.</summary>
public sealed class ConsoleReportTests
{
    [Fact]
    public void TheTableAlignsItsColumnsAndListsFailuresUnderIt()
    {
        using var output = new StringWriter();

        ConsoleReport.WriteTable(output, SampleReport.Create().Steps);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.StartsWith("step", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("bytes", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("p99 ms", StringComparison.Ordinal) + "p99 ms".Length, lines[2].IndexOf("14.2", StringComparison.Ordinal) + "14.2".Length);
        Assert.Contains(lines, line => line.StartsWith("receive <push>", StringComparison.Ordinal));
        Assert.Contains("failures by code:", lines);
        Assert.Contains(lines, line => line.Contains("http.503", StringComparison.Ordinal) && line.TrimEnd().EndsWith("15", StringComparison.Ordinal));
    }

    [Fact]
    public void RedirectedProgressWritesPlainLines()
    {
        using var output = new StringWriter();
        var progress = ConsoleReport.Progress(output, interactive: false);

        progress.Report(Snapshot(ProgressSnapshot.MeasurePhase, seconds: 1, ok: 100));
        progress.Report(Snapshot(ProgressSnapshot.MeasurePhase, seconds: 2, ok: 300));

        var text = output.ToString();
        Assert.DoesNotContain('\r', text.Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("measure  00:02/00:30", lines[1], StringComparison.Ordinal);
        Assert.Contains("send: 200.0 ok/s, 3 failed, p99 14.2 ms", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("in flight 7", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void InteractiveProgressRewritesOneLinePerPhase()
    {
        using var output = new StringWriter();
        var progress = ConsoleReport.Progress(output, interactive: true);

        progress.Report(Snapshot(ProgressSnapshot.MeasurePhase, seconds: 1, ok: 100));
        progress.Report(Snapshot(ProgressSnapshot.MeasurePhase, seconds: 2, ok: 300));
        progress.Report(Snapshot(ProgressSnapshot.DonePhase, seconds: 3, ok: 400));

        var text = output.ToString();
        Assert.Equal(3, text.Count(character => character == '\r'));
        Assert.Equal(2, text.Split(Environment.NewLine).Length - 1);
    }

    private static ProgressSnapshot Snapshot(string phase, int seconds, long ok)
    {
        var latency = new LatencyStats(1, 2, 2, 3, 9, 14.2, 20, ok);
        var step = new StepStats("send", ok + 3, ok, 3, new Dictionary<string, long> { ["timeout"] = 3 }, ok / (double)seconds, latency, 0, TimeSpan.FromSeconds(seconds));
        return new ProgressSnapshot(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(30), phase, [step], 7);
    }
}
