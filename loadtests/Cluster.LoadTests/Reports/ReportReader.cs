using System.Text.Json;

namespace Cluster.LoadTests.Reports;

/// <summary>Reads back the JSON report <see cref="ReportWriter"/> wrote, to compare runs.</summary>
public static class ReportReader
{
    /// <summary>Reads <paramref name="path"/>: a <c>report.json</c>, or the run directory that holds one.</summary>
    public static RunReport Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = Directory.Exists(path) ? Path.Combine(path, ReportWriter.JsonFile) : path;
        var report = JsonSerializer.Deserialize<RunReport>(File.ReadAllText(file), ReportJson.Options)
            ?? throw new InvalidDataException($"{file} holds no report.");
        if (report.SchemaVersion > RunReport.CurrentSchemaVersion)
            throw new InvalidDataException($"{file} has schema version {report.SchemaVersion}; this reader knows up to {RunReport.CurrentSchemaVersion}.");
        return report;
    }
}
