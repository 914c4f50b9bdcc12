using System.Numerics;

namespace Cluster.LoadTests.Engine;

/// <summary>
/// A latency histogram with HDR-style log-linear buckets: fixed memory whatever the number of samples,
/// lock-free recording from many threads, and at most 0.4% relative error from 0.1 µs to about 107 s.
/// </summary>
/// <remarks>
/// Values are kept in <see cref="TimeSpan"/> ticks (100 ns). Below 256 ticks (25.6 µs) every tick has its own
/// bucket; above, each power of two is split into 128 buckets, so a bucket is at most 1/128 of its values wide
/// and the midpoint reported for it is within 1/256 of any value in it. Larger values land in the last bucket
/// (the exact maximum is still kept).
/// </remarks>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int LinearLimit = SubBucketCount * 2;
    private const int HighestBit = 30;
    private const int Buckets = LinearLimit + (HighestBit - SubBucketBits - 1) * SubBucketCount;
    private const double TicksPerMillisecond = TimeSpan.TicksPerMillisecond;

    /// <summary>The largest value with a bucket of its own, about 107 s; larger values are counted in the last bucket.</summary>
    public static readonly TimeSpan HighestTrackable = TimeSpan.FromTicks((1L << HighestBit) - 1);

    private readonly long[] _counts = new long[Buckets];
    private long _count;
    private long _sumTicks;
    private long _minTicks = long.MaxValue;
    private long _maxTicks;

    /// <summary>The number of buckets, the same for every histogram: memory does not grow with samples.</summary>
    public int BucketCount => _counts.Length;

    /// <summary>The number of values recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>The smallest value recorded, in milliseconds (0 when empty).</summary>
    public double MinMs => Count == 0 ? 0 : Volatile.Read(ref _minTicks) / TicksPerMillisecond;

    /// <summary>The largest value recorded, in milliseconds (0 when empty).</summary>
    public double MaxMs => Volatile.Read(ref _maxTicks) / TicksPerMillisecond;

    /// <summary>The exact mean of the values recorded, in milliseconds (0 when empty).</summary>
    public double MeanMs
    {
        get
        {
            var count = Count;
            return count == 0 ? 0 : Volatile.Read(ref _sumTicks) / (double)count / TicksPerMillisecond;
        }
    }

    /// <summary>Records one value; safe to call from many threads at once and allocation-free.</summary>
    public void Record(TimeSpan value)
    {
        // Min and max first: a reader that sees the count sees them too.
        var ticks = Math.Max(0, value.Ticks);
        LowerTo(ref _minTicks, ticks);
        RaiseTo(ref _maxTicks, ticks);
        Interlocked.Increment(ref _counts[BucketOf(ticks)]);
        Interlocked.Add(ref _sumTicks, ticks);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The value at percentile <paramref name="p"/> (0 to 100, nearest rank), in milliseconds; 0 when empty.</summary>
    public double Percentile(double p)
    {
        Span<double> result = stackalloc double[1];
        Percentiles([p], result);
        return result[0];
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
            return;

        for (var i = 0; i < Buckets; i++)
        {
            var count = Volatile.Read(ref other._counts[i]);
            if (count != 0)
                Interlocked.Add(ref _counts[i], count);
        }

        Interlocked.Add(ref _sumTicks, Volatile.Read(ref other._sumTicks));
        Interlocked.Add(ref _count, other.Count);
        LowerTo(ref _minTicks, Volatile.Read(ref other._minTicks));
        RaiseTo(ref _maxTicks, Volatile.Read(ref other._maxTicks));
    }

    /// <summary>Empties the histogram. Not atomic: values recorded at the same time may be lost or half-kept.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _sumTicks, 0);
        Volatile.Write(ref _minTicks, long.MaxValue);
        Volatile.Write(ref _maxTicks, 0);
    }

    /// <summary>Min, mean, the usual percentiles and max, computed in one pass over the buckets.</summary>
    public LatencyStats Summarize()
    {
        Span<double> values = stackalloc double[4];
        Percentiles([50, 75, 95, 99], values);
        return new LatencyStats(MinMs, MeanMs, values[0], values[1], values[2], values[3], MaxMs, Count);
    }

    private void Percentiles(ReadOnlySpan<double> ps, Span<double> results)
    {
        foreach (var p in ps)
        {
            if (double.IsNaN(p) || p < 0 || p > 100)
                throw new ArgumentOutOfRangeException(nameof(ps), p, "A percentile is between 0 and 100.");
        }

        results.Clear();
        long total = 0;
        for (var i = 0; i < Buckets; i++)
            total += Volatile.Read(ref _counts[i]);
        if (total == 0)
            return;

        var min = Volatile.Read(ref _minTicks);
        var max = Volatile.Read(ref _maxTicks);
        for (var n = 0; n < ps.Length; n++)
        {
            var rank = Math.Clamp((long)Math.Ceiling(ps[n] / 100 * total), 1, total);
            if (rank == total || rank == 1)
            {
                // The first and last ranks are the exact min and max.
                results[n] = (rank == total ? max : min) / TicksPerMillisecond;
                continue;
            }

            long seen = 0;
            for (var i = 0; i < Buckets; i++)
            {
                seen += Volatile.Read(ref _counts[i]);
                if (seen >= rank)
                {
                    results[n] = Math.Clamp(Midpoint(i), min, max) / TicksPerMillisecond;
                    break;
                }
            }
        }
    }

    private static int BucketOf(long ticks)
    {
        if (ticks < LinearLimit)
            return (int)ticks;

        ticks = Math.Min(ticks, (1L << HighestBit) - 1);
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)ticks) - SubBucketBits;
        return LinearLimit + (shift - 1) * SubBucketCount + (int)(ticks >> shift) - SubBucketCount;
    }

    private static double Midpoint(int bucket)
    {
        if (bucket < LinearLimit)
            return bucket;

        var offset = bucket - LinearLimit;
        var shift = offset / SubBucketCount + 1;
        var lower = (long)(offset % SubBucketCount + SubBucketCount) << shift;
        return lower + ((1L << shift) - 1) / 2.0;
    }

    private static void LowerTo(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    private static void RaiseTo(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
