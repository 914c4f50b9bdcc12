using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cluster.Silo.Health;

/// <summary>One readiness check as /readyz reports it.</summary>
public sealed record ReadinessCheck(string Name, string Status, string? Description);

/// <summary>The body of /readyz: the overall status and each check's.</summary>
public sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessCheck> Checks);

[JsonSerializable(typeof(ReadinessReport))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class ReadinessJsonContext : JsonSerializerContext;

/// <summary>Writes /readyz as a small JSON document.</summary>
internal static class ReadinessResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        // Status and description only: exception text can carry hosts, paths or credentials to an anonymous caller.
        var checks = report.Entries
            .Select(entry => new ReadinessCheck(entry.Key, entry.Value.Status.ToString(), entry.Value.Description))
            .ToList();
        return context.Response.WriteAsJsonAsync(
            new ReadinessReport(report.Status.ToString(), checks),
            ReadinessJsonContext.Default.ReadinessReport,
            cancellationToken: context.RequestAborted);
    }
}
