using System.Globalization;

namespace Cluster.LoadTests.Reports;

/// <summary>The machine a run ran on: results only compare between runs on like machines.</summary>
public sealed record MachineInfo(int Cores, string OperatingSystem, string Architecture, string Runtime, string? Processor, long TotalMemoryBytes)
{
    /// <summary>One line, such as <c>8 cores, AMD EPYC 7763, 31.3 GiB, Ubuntu 24.04.1 LTS, X64, .NET 10.0.0</c>.</summary>
    public string Describe()
    {
        var parts = new List<string> { Cores.ToString(CultureInfo.InvariantCulture) + (Cores == 1 ? " core" : " cores") };
        if (!string.IsNullOrWhiteSpace(Processor))
            parts.Add(Processor);
        if (TotalMemoryBytes > 0)
            parts.Add(Formats.Bytes(TotalMemoryBytes) + " memory");
        parts.Add(OperatingSystem);
        parts.Add(Architecture);
        parts.Add(Runtime);
        return string.Join(", ", parts);
    }
}
