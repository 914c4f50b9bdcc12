using System.Text;
using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Reports;

/// <summary>The console side of a run: a progress line once per second and the steps table at the end.</summary>
public static class ConsoleReport
{
    /// <summary>
    /// A progress reporter writing one line per snapshot: the phase, elapsed/total, each step's ok/s (over the last
    /// snapshot), failures and p99, and iterations in flight. <paramref name="interactive"/> (a terminal, not a
    /// redirected output) rewrites the line in place with <c>\r</c>; otherwise each snapshot is a plain line.
    /// </summary>
    public static IProgress<ProgressSnapshot> Progress(TextWriter output, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new ConsoleProgress(output, interactive);
    }

    /// <summary>Writes the steps as aligned columns, then the failures by code under them.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<StepStats> steps)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            output.WriteLine("No step was recorded.");
            return;
        }

        WriteAligned(output, StepTable.Headers, [.. steps.Select(StepTable.Row)], StepTable.IsNumeric);
        var failures = StepTable.FailureRows(steps).ToList();
        if (failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("failures by code:");
            WriteAligned(output, StepTable.FailureHeaders, failures, column => column == 2);
        }
    }

    private static void WriteAligned(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, Func<int, bool> numeric)
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, column) =>
            numeric(column) ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]))).TrimEnd();

        output.WriteLine(Line(headers));
        output.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in rows)
            output.WriteLine(Line(row));
    }

    private sealed class ConsoleProgress(TextWriter output, bool interactive) : IProgress<ProgressSnapshot>
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, long> _lastOk = new(StringComparer.Ordinal);
        private TimeSpan _lastElapsed;
        private string? _lastPhase;
        private int _lastLength;

        public void Report(ProgressSnapshot value)
        {
            lock (_gate)
            {
                var line = Format(value);
                if (!interactive)
                {
                    output.WriteLine(line);
                }
                else
                {
                    // Each phase keeps its last line; within a phase the line is rewritten in place.
                    if (_lastPhase is not null && _lastPhase != value.Phase)
                        output.WriteLine();
                    output.Write("\r" + line.PadRight(_lastLength));
                    if (value.Phase == ProgressSnapshot.DonePhase)
                        output.WriteLine();
                    _lastLength = line.Length;
                }

                _lastPhase = value.Phase;
                output.Flush();
            }
        }

        private string Format(ProgressSnapshot value)
        {
            var line = new StringBuilder($"{value.Phase,-7}  {Formats.Clock(value.Elapsed)}/{Formats.Clock(value.Total)}");
            var seconds = (value.Elapsed - _lastElapsed).TotalSeconds;
            foreach (var step in value.Steps)
            {
                var done = value.Phase == ProgressSnapshot.DonePhase;
                var okPerSecond = done ? step.OkPerSecond
                    : seconds > 0 ? (step.Ok - _lastOk.GetValueOrDefault(step.Name)) / seconds : 0;
                line.Append($"  | {step.Name}: {Formats.Rate(Math.Max(0, okPerSecond))} ok/s, {Formats.Count(step.Failed)} failed, p99 {Formats.Ms(step.Latency.P99Ms)} ms");
                _lastOk[step.Name] = step.Ok;
            }

            line.Append($"  | in flight {Formats.Count(value.InFlight)}");
            _lastElapsed = value.Elapsed;
            return line.ToString();
        }
    }
}
