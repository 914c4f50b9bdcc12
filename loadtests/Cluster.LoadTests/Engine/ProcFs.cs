using System.Globalization;

namespace Cluster.LoadTests.Engine;

/// <summary>Reads Linux's /proc. Every read answers false or null when the file is missing or unreadable (another OS, a process gone).</summary>
internal static class ProcFs
{
    /// <summary>USER_HZ, the unit of the CPU times in /proc/&lt;pid&gt;/stat: 100 on every Linux architecture .NET runs on.</summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>The CPU time (user + system) of process <paramref name="pid"/>, in clock ticks.</summary>
    public static bool TryReadCpuTicks(int pid, out long ticks)
    {
        ticks = 0;
        var stat = TryReadText($"/proc/{pid}/stat");
        if (stat is null)
            return false;

        // The command name (field 2) is in parentheses and may itself hold spaces or parentheses: fields count from
        // the last ')'. utime and stime are fields 14 and 15, thus the 12th and 13th after it.
        var end = stat.LastIndexOf(')');
        if (end < 0)
            return false;
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.Integer, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.Integer, CultureInfo.InvariantCulture, out var system))
            return false;

        ticks = user + system;
        return true;
    }

    /// <summary>The resident set size of process <paramref name="pid"/> (VmRSS), in bytes.</summary>
    public static bool TryReadRssBytes(int pid, out long bytes)
    {
        var kilobytes = TryReadKilobytes($"/proc/{pid}/status", "VmRSS:");
        bytes = (kilobytes ?? 0) * 1024;
        return kilobytes is not null;
    }

    /// <summary>The machine's total memory (MemTotal), in bytes.</summary>
    public static long? TotalMemoryBytes() => TryReadKilobytes("/proc/meminfo", "MemTotal:") * 1024;

    /// <summary>The processor's model name from /proc/cpuinfo, when it has one (not every architecture does).</summary>
    public static string? ProcessorName()
    {
        var text = TryReadText("/proc/cpuinfo");
        var line = text?.Split('\n').FirstOrDefault(candidate => candidate.StartsWith("model name", StringComparison.Ordinal));
        var colon = line?.IndexOf(':') ?? -1;
        return colon < 0 ? null : line![(colon + 1)..].Trim();
    }

    private static long? TryReadKilobytes(string path, string key)
    {
        var text = TryReadText(path);
        var line = text?.Split('\n').FirstOrDefault(candidate => candidate.StartsWith(key, StringComparison.Ordinal));
        var value = line?[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes : null;
    }

    private static string? TryReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
