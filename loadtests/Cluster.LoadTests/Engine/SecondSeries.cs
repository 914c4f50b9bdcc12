namespace Cluster.LoadTests.Engine;

/// <summary>
/// The per-second time series of one step. Recording writes into a ring of per-second slots without locks; the
/// registry closes a second into a point once it is two seconds old, which frees its slot for reuse.
/// </summary>
internal sealed class SecondSeries
{
    // Eight slots: a second is closed two seconds after it ends, so the closer may lag up to six seconds.
    private const int SlotCount = 8;

    private readonly Slot[] _slots = [.. Enumerable.Range(0, SlotCount).Select(_ => new Slot())];
    private readonly List<TimeSeriesPoint> _points = [];
    private readonly Lock _gate = new();
    private int _closed;
    private bool _completed;

    /// <summary>
    /// Creates the series of a step that appears when <paramref name="firstSecond"/> of the period is under way:
    /// the seconds before it are zero points at once, so their slots are never cleared under the step's records.
    /// </summary>
    public SecondSeries(int firstSecond)
    {
        for (; _closed < firstSecond; _closed++)
            _points.Add(new TimeSeriesPoint(_closed + 1, 0, 0, 0, 0));
    }

    public void RecordOk(int second, TimeSpan latency)
    {
        var slot = _slots[second % SlotCount];
        Interlocked.Increment(ref slot.Ok);
        slot.Latency.Record(latency);
    }

    public void RecordFailure(int second) => Interlocked.Increment(ref _slots[second % SlotCount].Failed);

    /// <summary>Turns every second before <paramref name="second"/> into a point.</summary>
    public void CloseBefore(int second)
    {
        lock (_gate)
            CloseBeforeLocked(second);
    }

    /// <summary>
    /// Closes the series at the end of recording with <paramref name="pointCount"/> points; whatever was recorded in
    /// later seconds (the last instants of a period a little longer than whole seconds) joins the last point.
    /// </summary>
    public void Complete(int pointCount, int lastSecond)
    {
        lock (_gate)
        {
            CloseBeforeLocked(pointCount - 1);
            if (_completed || _closed >= pointCount)
                return;

            var last = new Slot();
            for (var second = _closed; second <= lastSecond && second < _closed + SlotCount; second++)
            {
                var slot = _slots[second % SlotCount];
                last.Ok += slot.Ok;
                last.Failed += slot.Failed;
                last.Latency.Merge(slot.Latency);
                slot.Clear();
            }

            _points.Add(last.ToPoint(pointCount));
            _closed = pointCount;
            _completed = true;
        }
    }

    private void CloseBeforeLocked(int second)
    {
        while (!_completed && _closed < second)
        {
            var slot = _slots[_closed % SlotCount];
            _points.Add(slot.ToPoint(_closed + 1));
            slot.Clear();
            _closed++;
        }
    }

    public IReadOnlyList<TimeSeriesPoint> Points()
    {
        lock (_gate)
            return [.. _points];
    }

    private sealed class Slot
    {
        public long Ok;
        public long Failed;
        public readonly LatencyHistogram Latency = new();

        public TimeSeriesPoint ToPoint(int second) =>
            new(second, Volatile.Read(ref Ok), Volatile.Read(ref Failed), Latency.Percentile(50), Latency.Percentile(99));

        public void Clear()
        {
            Volatile.Write(ref Ok, 0);
            Volatile.Write(ref Failed, 0);
            Latency.Reset();
        }
    }
}
