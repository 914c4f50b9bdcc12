using Cluster.LoadTests.Engine;

namespace Cluster.LoadTests.Tests.Engine;

/// <summary>The HDR-style histogram: accuracy against exact percentiles, merging, fixed memory.</summary>
public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

    [Fact]
    public void PercentilesOfAUniformDistributionAreWithinOnePercentOfExact()
    {
        var values = Enumerable.Range(1, 10_000).Select(micros => TimeSpan.FromMicroseconds(micros)).ToList();

        AssertWithinOnePercent(values, Record(values));
    }

    [Fact]
    public void PercentilesOfABimodalDistributionAreWithinOnePercentOfExact()
    {
        var random = new Random(42);
        var fast = Enumerable.Range(0, 9_000).Select(_ => TimeSpan.FromMicroseconds(800 + random.Next(0, 1_200)));
        var slow = Enumerable.Range(0, 1_000).Select(_ => TimeSpan.FromMilliseconds(150 + random.NextDouble() * 250));
        var values = fast.Concat(slow).OrderBy(_ => random.Next()).ToList();

        AssertWithinOnePercent(values, Record(values));
    }

    [Fact]
    public void ValuesFromMicrosecondsToAMinuteKeepTheirPrecision()
    {
        foreach (var value in new[] { TimeSpan.FromMicroseconds(1), TimeSpan.FromMicroseconds(37), TimeSpan.FromMilliseconds(3.3), TimeSpan.FromSeconds(59.7) })
        {
            // The neighbours keep the median's bucket away from the exact min and max it would be clamped to.
            var histogram = Record([value / 2, value, value * 2]);

            Assert.InRange(histogram.Percentile(50), value.TotalMilliseconds * 0.99, value.TotalMilliseconds * 1.01);
        }
    }

    [Fact]
    public void MinMaxMeanAndCountAreExact()
    {
        var histogram = Record([TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(9)]);

        Assert.Equal(3, histogram.Count);
        Assert.Equal(2, histogram.MinMs, 6);
        Assert.Equal(9, histogram.MaxMs, 6);
        Assert.Equal(5, histogram.MeanMs, 6);
        Assert.Equal(9, histogram.Percentile(100), 6);
    }

    [Fact]
    public void MergingEqualsRecordingTogether()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 20_000).Select(_ => TimeSpan.FromMicroseconds(random.Next(1, 5_000_000))).ToList();
        var together = Record(values);
        var first = Record(values.Take(7_000));
        var second = Record(values.Skip(7_000));

        first.Merge(second);

        Assert.Equal(together.Count, first.Count);
        Assert.Equal(together.MinMs, first.MinMs);
        Assert.Equal(together.MaxMs, first.MaxMs);
        Assert.Equal(together.MeanMs, first.MeanMs, 9);
        foreach (var p in Percentiles)
            Assert.Equal(together.Percentile(p), first.Percentile(p));
    }

    [Fact]
    public void MemoryIsFixedWhateverTheNumberOfSamples()
    {
        var few = Record([TimeSpan.FromMilliseconds(1)]);
        var many = new LatencyHistogram();
        many.Record(TimeSpan.FromMilliseconds(1));

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200_000; i++)
            many.Record(TimeSpan.FromTicks(i * 37L));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(few.BucketCount, many.BucketCount);
        Assert.True(allocated < 1_024, $"Recording 200,000 values allocated {allocated} bytes.");
    }

    [Fact]
    public void ValuesRecordedFromManyThreadsAreAllCounted()
    {
        var histogram = new LatencyHistogram();

        Parallel.For(0, 8, thread =>
        {
            for (var i = 0; i < 50_000; i++)
                histogram.Record(TimeSpan.FromMicroseconds(1 + i % 1_000));
        });

        Assert.Equal(400_000, histogram.Count);
        Assert.Equal(1_000 / 1_000.0, histogram.MaxMs, 6);
    }

    [Fact]
    public void AnEmptyHistogramAnswersZeros()
    {
        var histogram = Record([TimeSpan.FromSeconds(1)]);
        histogram.Reset();

        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.MinMs);
        Assert.Equal(0, histogram.MaxMs);
        Assert.Equal(0, histogram.MeanMs);
        Assert.Equal(0, histogram.Percentile(99));
        Assert.Equal(LatencyStats.Empty, histogram.Summarize());
    }

    [Fact]
    public void APercentileOutsideZeroToHundredIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().Percentile(101));

    private static LatencyHistogram Record(IEnumerable<TimeSpan> values)
    {
        var histogram = new LatencyHistogram();
        foreach (var value in values)
            histogram.Record(value);
        return histogram;
    }

    private static void AssertWithinOnePercent(IReadOnlyList<TimeSpan> values, LatencyHistogram histogram)
    {
        var sorted = values.Select(value => value.TotalMilliseconds).Order().ToArray();
        foreach (var p in Percentiles)
        {
            var exact = sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
            var estimate = histogram.Percentile(p);
            Assert.True(Math.Abs(estimate - exact) <= exact * 0.01, $"p{p}: {estimate} ms against exactly {exact} ms");
        }
    }
}
