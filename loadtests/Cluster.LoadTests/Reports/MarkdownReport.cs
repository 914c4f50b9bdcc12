using System.Text;

namespace Cluster.LoadTests.Reports;

/// <summary>Renders a report as Markdown: the run, the steps table, failures, figures, ratios, resources and notes.</summary>
internal static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Load test: {Text(report.Scenario)}").AppendLine();
        md.AppendLine($"- Run: `{report.RunId}`");
        md.AppendLine($"- Started: {Formats.Timestamp(report.StartedAt)}");
        md.AppendLine($"- Target: {Text(report.Target)}");
        md.AppendLine($"- Warm-up: {Formats.Seconds(report.WarmUp)}, measured: {Formats.Seconds(report.Measured)}");
        md.AppendLine($"- Machine: {Text(report.Machine.Describe())}");
        md.AppendLine($"- Simulations: {Text(string.Join("; ", report.Simulations))}");
        if (report.Parameters.Count > 0)
            md.AppendLine($"- Parameters: {string.Join(" ", report.Parameters.Select(pair => Code($"{pair.Key}={pair.Value}")))}");
        md.AppendLine();

        md.AppendLine("## Steps").AppendLine();
        if (report.Steps.Count == 0)
            md.AppendLine("No step was recorded.").AppendLine();
        else
            Table(md, StepTable.Headers, report.Steps.Select(StepTable.Row), StepTable.IsNumeric);

        var failures = StepTable.FailureRows(report.Steps).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine("### Failures by code").AppendLine();
            Table(md, StepTable.FailureHeaders, failures, column => column == 2);
        }

        if (report.Figures.Count > 0)
        {
            md.AppendLine("## Figures").AppendLine();
            Table(md, ["figure", "value", "unit", "note"],
                report.Figures.Select(figure => (IReadOnlyList<string>)[figure.Name, Formats.Number(figure.Value), figure.Unit, figure.Note ?? ""]),
                column => column == 1);
        }

        if (report.Ratios.Count > 0)
        {
            md.AppendLine("## Ratios").AppendLine();
            Table(md, ["ratio", "value", "baseline", "unit", "quotient", "target", "result"],
                report.Ratios.Select(ratio => (IReadOnlyList<string>)
                [
                    ratio.Name, Formats.Number(ratio.Value), Formats.Number(ratio.Baseline), ratio.Unit,
                    Formats.Factor(ratio.Factor), Formats.Target(ratio), Formats.Met(ratio),
                ]),
                column => column is 1 or 2 or 4);
        }

        if (report.Resources is { } resources)
        {
            md.AppendLine("## Resources").AppendLine();
            Table(md, ["process", "mean CPU", "max CPU", "max RSS"],
            [
                ["generator", Formats.Percent(resources.GeneratorCpuMean), Formats.Percent(resources.GeneratorCpuMax), Formats.Bytes(resources.GeneratorRssMaxBytes)],
                ["servers", Formats.Percent(resources.ServerCpuMean), Formats.Percent(resources.ServerCpuMax), Formats.Bytes(resources.ServerRssMaxBytes)],
            ],
                column => column > 0);
            md.AppendLine($"CPU: 100% is one core busy; the machine has {resources.Cores} cores ({resources.Cores * 100}%).").AppendLine();
        }

        if (report.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var note in report.Notes)
                md.AppendLine($"- {Text(note)}");
            md.AppendLine();
        }

        return md.ToString();
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<int, bool> numeric)
    {
        md.AppendLine("| " + string.Join(" | ", headers.Select(Cell)) + " |");
        md.AppendLine("|" + string.Join("|", headers.Select((_, column) => numeric(column) ? "---:" : "---")) + "|");
        foreach (var row in rows)
            md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        md.AppendLine();
    }

    // Markdown passes HTML through: an opening bracket is escaped so that no text can become a tag.
    private static string Text(string value) => value.Replace("<", "&lt;", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Cell(string value) => Text(value).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Code(string value) => "`" + value.Replace("`", "'", StringComparison.Ordinal) + "`";
}
