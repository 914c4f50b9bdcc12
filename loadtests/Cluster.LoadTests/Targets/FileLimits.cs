using System.Runtime.InteropServices;

namespace Cluster.LoadTests.Targets;

/// <summary>
/// The open-files limit of this process, which the nodes it starts inherit. Holding N connections takes N descriptors in
/// the generator and N in the node, more than the usual default; a run raises the soft limit to the hard one, and the hard
/// one too when it may (root).
/// </summary>
public static partial class FileLimits
{
    private const int ResourceOpenFiles = 7; // RLIMIT_NOFILE on Linux
    private const ulong Wanted = 1_048_576;

    /// <summary>Raises the limit as far as allowed; answers a sentence for the report, or null when nothing changed.</summary>
    public static string? Raise()
    {
        if (!OperatingSystem.IsLinux() || GetLimit(ResourceOpenFiles, out var current) != 0)
        {
            return null;
        }

        var ceiling = Math.Max(current.Max, Math.Min(Wanted, NrOpen()));
        var raised = new Limit { Current = ceiling, Max = ceiling };
        if (SetLimit(ResourceOpenFiles, ref raised) != 0)
        {
            // Not allowed to raise the hard limit: the soft one can still go up to it.
            raised = new Limit { Current = current.Max, Max = current.Max };
            if (SetLimit(ResourceOpenFiles, ref raised) != 0)
            {
                return $"The open-files limit is {current.Current}; connections beyond it will fail.";
            }
        }

        return raised.Current == current.Current ? null : $"Open-files limit raised from {current.Current} to {raised.Current} (nodes started by the run inherit it).";
    }

    private static ulong NrOpen()
    {
        try
        {
            return ulong.Parse(File.ReadAllText("/proc/sys/fs/nr_open").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return Wanted;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetLimit(int resource, out Limit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, ref Limit limit);
}
