using System.Text;
using System.Text.Json;

namespace Cluster.LoadTests.Reports;

/// <summary>Writes a run's report as <c>report.md</c>, <c>report.json</c> and <c>report.html</c> in a directory of its own.</summary>
public static class ReportWriter
{
    /// <summary>The file names written into a run's directory.</summary>
    public const string MarkdownFile = "report.md";

    /// <inheritdoc cref="MarkdownFile"/>
    public const string JsonFile = "report.json";

    /// <inheritdoc cref="MarkdownFile"/>
    public const string HtmlFile = "report.html";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Creates <c>&lt;reportsRoot&gt;/&lt;RunId&gt;/</c> with the three reports and answers its full path.</summary>
    public static string Write(RunReport report, string reportsRoot)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(reportsRoot);
        if (report.RunId.Length == 0 || report.RunId is "." or ".." || report.RunId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || report.RunId.Contains('\\', StringComparison.Ordinal))
            throw new ArgumentException($"The run id '{report.RunId}' is not a directory name.", nameof(report));

        var directory = Path.GetFullPath(Path.Combine(reportsRoot, report.RunId));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(report, ReportJson.Options), Utf8);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), MarkdownReport.Render(report), Utf8);
        File.WriteAllText(Path.Combine(directory, HtmlFile), HtmlReport.Render(report), Utf8);
        return directory;
    }
}
