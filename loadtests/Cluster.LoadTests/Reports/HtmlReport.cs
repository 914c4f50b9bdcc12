using System.Text;
using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Reports;

/// <summary>
/// Renders a report as one self-contained, well-formed XHTML page: the same tables as the Markdown report, and
/// inline SVG charts of throughput, latency and CPU over time. No script, no external stylesheet, font or image.
/// </summary>
internal static class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
        th { background: #f3f3f3; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        .met { color: #1a7f37; }
        .unmet { color: #c62828; font-weight: 600; }
        svg { display: block; margin: 0.5em 0 1.5em; }
        svg text { font-size: 11px; fill: #444; }
        """;

    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        var title = $"Load test: {report.Scenario} ({report.RunId})";
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        html.Append($"<title>{Html.Escape(title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        html.Append($"<h1>Load test: {Html.Escape(report.Scenario)}</h1>\n");
        WriteRun(html, report);

        html.Append("<h2>Steps</h2>\n");
        if (report.Steps.Count == 0)
            html.Append("<p>No step was recorded.</p>\n");
        else
            Table(html, StepTable.Headers, report.Steps.Select(StepTable.Row), StepTable.IsNumeric);

        var failures = StepTable.FailureRows(report.Steps).ToList();
        if (failures.Count > 0)
        {
            html.Append("<h3>Failures by code</h3>\n");
            Table(html, StepTable.FailureHeaders, failures, column => column == 2);
        }

        WriteCharts(html, report);
        WriteFigures(html, report);
        WriteResources(html, report);
        if (report.Notes.Count > 0)
        {
            html.Append("<h2>Notes</h2>\n<ul>\n");
            foreach (var note in report.Notes)
                html.Append($"<li>{Html.Escape(note)}</li>\n");
            html.Append("</ul>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteRun(StringBuilder html, RunReport report)
    {
        html.Append("<dl>\n");
        Item(html, "Run", report.RunId);
        Item(html, "Started", Formats.Timestamp(report.StartedAt));
        Item(html, "Target", report.Target);
        Item(html, "Warm-up", Formats.Seconds(report.WarmUp));
        Item(html, "Measured", Formats.Seconds(report.Measured));
        Item(html, "Machine", report.Machine.Describe());
        Item(html, "Simulations", string.Join("; ", report.Simulations));
        if (report.Parameters.Count > 0)
            Item(html, "Parameters", string.Join(" ", report.Parameters.Select(pair => $"{pair.Key}={pair.Value}")));
        html.Append("</dl>\n");
    }

    private static void WriteCharts(StringBuilder html, RunReport report)
    {
        var steps = report.Steps.Select(step => step.Name)
            .Concat(report.TimeSeries.Keys)
            .Distinct(StringComparer.Ordinal)
            .Where(name => report.TimeSeries.TryGetValue(name, out var points) && points.Any(point => point.Ok > 0))
            .Select(name => (Name: name, Points: report.TimeSeries[name]))
            .ToList();

        html.Append("<h2>Throughput over time</h2>\n");
        SvgChart.Write(html, "Successful requests per second, by step", "second", "ok/s",
            [.. steps.Select(step => new ChartSeries(step.Name, [.. step.Points.Select(point => new ChartPoint(point.Second, point.Ok))]))]);

        html.Append("<h2>Latency over time</h2>\n");
        SvgChart.Write(html, "Latency of successful requests, p50 (dashed) and p99, by step", "second", "ms",
        [
            .. steps.SelectMany((step, index) => new[]
            {
                new ChartSeries($"{step.Name} p50", Latencies(step.Points, point => point.P50Ms), Dashed: true, Color: index),
                new ChartSeries($"{step.Name} p99", Latencies(step.Points, point => point.P99Ms), Color: index),
            }),
        ]);

        html.Append("<h2>CPU over time</h2>\n");
        var samples = report.ResourceSamples;
        SvgChart.Write(html, "CPU of the generator and of the servers (100% = one core)", "second", "CPU %",
        [
            new ChartSeries("generator", [.. samples.Select(sample => new ChartPoint(sample.Second, sample.GeneratorCpuPercent))]),
            new ChartSeries("servers", [.. samples.Select(sample => new ChartPoint(sample.Second, sample.ServerCpuPercent))]),
        ]);
    }

    // Seconds without a successful request have no latency; they are left out rather than drawn as zero.
    private static List<ChartPoint> Latencies(IReadOnlyList<TimeSeriesPoint> points, Func<TimeSeriesPoint, double> value) =>
        [.. points.Where(point => point.Ok > 0).Select(point => new ChartPoint(point.Second, value(point)))];

    private static void WriteFigures(StringBuilder html, RunReport report)
    {
        if (report.Figures.Count > 0)
        {
            html.Append("<h2>Figures</h2>\n");
            Table(html, ["figure", "value", "unit", "note"],
                report.Figures.Select(figure => (IReadOnlyList<string>)[figure.Name, Formats.Number(figure.Value), figure.Unit, figure.Note ?? ""]),
                column => column == 1);
        }

        if (report.Ratios.Count > 0)
        {
            html.Append("<h2>Ratios</h2>\n<table>\n<tr><th>ratio</th><th class=\"num\">value</th><th class=\"num\">baseline</th><th>unit</th>")
                .Append("<th class=\"num\">quotient</th><th>target</th><th>result</th></tr>\n");
            foreach (var ratio in report.Ratios)
            {
                var result = ratio.Met switch { true => " class=\"met\"", false => " class=\"unmet\"", null => "" };
                html.Append($"<tr><td>{Html.Escape(ratio.Name)}</td><td class=\"num\">{Formats.Number(ratio.Value)}</td>")
                    .Append($"<td class=\"num\">{Formats.Number(ratio.Baseline)}</td><td>{Html.Escape(ratio.Unit)}</td>")
                    .Append($"<td class=\"num\">{Html.Escape(Formats.Factor(ratio.Factor))}</td><td>{Html.Escape(Formats.Target(ratio))}</td>")
                    .Append($"<td{result}>{Formats.Met(ratio)}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    private static void WriteResources(StringBuilder html, RunReport report)
    {
        if (report.Resources is not { } resources)
            return;

        html.Append("<h2>Resources</h2>\n");
        Table(html, ["process", "mean CPU", "max CPU", "max RSS"],
        [
            ["generator", Formats.Percent(resources.GeneratorCpuMean), Formats.Percent(resources.GeneratorCpuMax), Formats.Bytes(resources.GeneratorRssMaxBytes)],
            ["servers", Formats.Percent(resources.ServerCpuMean), Formats.Percent(resources.ServerCpuMax), Formats.Bytes(resources.ServerRssMaxBytes)],
        ],
            column => column > 0);
        html.Append($"<p>CPU: 100% is one core busy; the machine has {resources.Cores} cores ({resources.Cores * 100}%).</p>\n");
    }

    private static void Item(StringBuilder html, string term, string description) =>
        html.Append($"<dt>{Html.Escape(term)}</dt><dd>{Html.Escape(description)}</dd>\n");

    private static void Table(StringBuilder html, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<int, bool> numeric)
    {
        string Class(int column) => numeric(column) ? " class=\"num\"" : "";

        html.Append("<table>\n<tr>");
        for (var column = 0; column < headers.Count; column++)
            html.Append($"<th{Class(column)}>{Html.Escape(headers[column])}</th>");
        html.Append("</tr>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var column = 0; column < row.Count; column++)
                html.Append($"<td{Class(column)}>{Html.Escape(row[column])}</td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }
}
