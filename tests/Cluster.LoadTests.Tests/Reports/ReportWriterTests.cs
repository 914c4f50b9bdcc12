using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Cluster.LoadTests.Reports;

namespace Cluster.LoadTests.Tests.Reports;

/// <summary>The three report files: JSON that reads back, Markdown tables, and self-contained HTML with SVG charts.</summary>
public sealed partial class ReportWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loadtests-reports-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void WritesTheThreeFilesIntoADirectoryNamedAfterTheRun()
    {
        var directory = ReportWriter.Write(SampleReport.Create(), _root);

        Assert.Equal(Path.Combine(_root, "20261129-221503-send"), directory);
        Assert.Equal(["report.html", "report.json", "report.md"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void TheJsonParsesAndReadsBackTheSameSteps()
    {
        var report = SampleReport.Create();
        var directory = ReportWriter.Write(report, _root);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "report.json")));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(30, root.GetProperty("measured").GetDouble());
        Assert.Equal(6_000, root.GetProperty("steps")[0].GetProperty("requests").GetInt64());
        Assert.Equal(15, root.GetProperty("steps")[0].GetProperty("failuresByCode").GetProperty("http.503").GetInt64());
        Assert.Equal(2.6, root.GetProperty("ratios")[0].GetProperty("factor").GetDouble(), 9);
        Assert.True(root.GetProperty("ratios")[0].GetProperty("met").GetBoolean());

        var read = ReportReader.Read(directory);
        Assert.Equal(
            report.Steps.Select(step => (step.Name, step.Requests, step.Ok, step.Failed, step.Bytes, step.Latency)),
            read.Steps.Select(step => (step.Name, step.Requests, step.Ok, step.Failed, step.Bytes, step.Latency)));
        Assert.Equal(report.Steps[0].FailuresByCode, read.Steps[0].FailuresByCode);
        Assert.Equal(report.TimeSeries["send"], read.TimeSeries["send"]);
        Assert.Equal(report.ResourceSamples, read.ResourceSamples);
        Assert.Equal(report.Ratios, read.Ratios);
        Assert.Equal((report.StartedAt, report.WarmUp, report.Machine), (read.StartedAt, read.WarmUp, read.Machine));
    }

    [Fact]
    public void TheHtmlHasThreeChartsEachWithData()
    {
        var html = File.ReadAllText(Path.Combine(ReportWriter.Write(SampleReport.Create(), _root), "report.html"));

        var charts = SvgElement().Matches(html);
        Assert.Equal(3, charts.Count);
        Assert.Equal(3, Regex.Count(html, "<svg[ >]"));
        foreach (Match chart in charts)
        {
            var points = PolylinePoints().Matches(chart.Value);
            Assert.NotEmpty(points);
            Assert.All(points, line => Assert.True(line.Groups[1].Value.Split(' ').Length >= 2, line.Value));
        }
    }

    [Fact]
    public void TheHtmlIsWellFormedSelfContainedAndEscapesEveryString()
    {
        var html = File.ReadAllText(Path.Combine(ReportWriter.Write(SampleReport.Create("<script>alert('x')</script> & more"), _root), "report.html"));

        using (var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }))
        {
            while (reader.Read())
            {
            }
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("receive &lt;push&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheMarkdownHasTheStepsTableFailuresRatiosAndResources()
    {
        var markdown = File.ReadAllText(Path.Combine(ReportWriter.Write(SampleReport.Create(), _root), "report.md"));

        Assert.Contains("| step | requests | ok | failed | ok/s | min ms | p50 ms | p75 ms | p95 ms | p99 ms | max ms | bytes |", markdown, StringComparison.Ordinal);
        Assert.Contains("| send | 6,000 | 5,980 | 20 | 199.3 | 0.80 | 3.90 | 5.10 | 8.70 | 14.2 | 61.3 | 1.2 MiB |", markdown, StringComparison.Ordinal);
        Assert.Contains("| send | http.503 | 15 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| cluster vs node throughput | 520 | 200 | msg/s | ×2.6 | ≥ ×2.5 | met |", markdown, StringComparison.Ordinal);
        Assert.Contains("| cluster vs node p99 | 30 | 14.2 | ms | ×2.11 | ≤ ×1.5 | not met |", markdown, StringComparison.Ordinal);
        Assert.Contains("| servers | 180.4% | 240.9% | 512.0 MiB |", markdown, StringComparison.Ordinal);
        Assert.Contains("receive &lt;push>", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunIdThatIsNotADirectoryNameIsRefused() =>
        Assert.Throws<ArgumentException>(() => ReportWriter.Write(SampleReport.Create() with { RunId = "../elsewhere" }, _root));

    [Fact]
    public void RunIdsSortByTimeAndAreSafeDirectoryNames() =>
        Assert.Equal("20261129-221503-send-burst", RunReport.NewRunId(" Send burst!", new DateTimeOffset(2026, 11, 29, 23, 15, 3, TimeSpan.FromHours(1))));

    [Fact]
    public void ARatioWithoutABaselineHasNoVerdictAndStillWritesJson()
    {
        var report = SampleReport.Create() with { Ratios = [new Ratio("against nothing", 5, 0, "msg/s", 2, Higher: true)] };

        var read = ReportReader.Read(ReportWriter.Write(report, _root));

        Assert.Null(read.Ratios[0].Met);
        Assert.True(double.IsNaN(read.Ratios[0].Factor));
    }

    [GeneratedRegex("<svg[ >].*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    [GeneratedRegex("<polyline [^>]*points=\"([^\"]+)\"")]
    private static partial Regex PolylinePoints();
}
