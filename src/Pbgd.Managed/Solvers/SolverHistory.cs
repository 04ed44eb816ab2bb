namespace Pbgd.Solvers;

/// <summary>
/// The recorded iterations of a run (every <see cref="SolverOptions.LogEvery"/>-th), kept within a bounded memory: every
/// record until <see cref="Capacity"/> is reached; from then on, whenever the capacity fills, the newest quarter of it is
/// kept whole and of the older records only those of every k-th logged iteration, k doubling as often as needed to free a
/// quarter of the capacity. So the history always holds the first record, the last one, the most recent stretch record
/// by record and the whole run at an even stride (<see cref="Stride"/> iterations), and a run of any length keeps at most
/// <see cref="Capacity"/> records. Storage is one array sized before the run: recording allocates nothing in the loop.
/// </summary>
/// <remarks>What is kept depends only on the records added, and the stride can be read back from them, so a run resumed
/// from a checkpoint's history keeps exactly the records the uninterrupted run keeps.</remarks>
public sealed class SolverHistory
{
    /// <summary>The smallest capacity a history accepts.</summary>
    public const int MinimumCapacity = 16;

    private IterationRecord[] _records;
    private readonly int _logEvery, _tail;
    private int _stride = 1;

    internal SolverHistory(int capacity, int logEvery = 1, long expected = long.MaxValue)
    {
        Capacity = Math.Max(MinimumCapacity, capacity);
        _logEvery = Math.Max(1, logEvery);
        _tail = Capacity / 4;
        // Sized once for the run: no more than the run can log (and never beyond the capacity).
        _records = new IterationRecord[(int)Math.Clamp(expected, 2, Capacity)];
    }

    /// <summary>The most records kept (<see cref="SolverOptions.HistoryCapacity"/>).</summary>
    public int Capacity { get; }

    /// <summary>How many iterations are recorded.</summary>
    public int Count { get; private set; }

    /// <summary>Whether older records were thinned out because the capacity was reached (the first and the last are
    /// always kept).</summary>
    public bool Truncated => _stride > 1;

    /// <summary>The iterations between two kept records before the most recent, record-by-record stretch:
    /// <see cref="SolverOptions.LogEvery"/> until the capacity is first reached, then doubling.</summary>
    public int Stride => _stride * _logEvery;

    /// <summary>The recorded iterations, in order.</summary>
    public ReadOnlySpan<IterationRecord> Records => _records.AsSpan(0, Count);

    /// <summary>Record i.</summary>
    /// <param name="i">Index in [0, <see cref="Count"/>).</param>
    public IterationRecord this[int i] => i < Count ? _records[i] : throw new ArgumentOutOfRangeException(nameof(i));

    /// <summary>The last record (default when empty).</summary>
    public IterationRecord Last => Count == 0 ? default : _records[Count - 1];

    internal void Add(in IterationRecord record)
    {
        if (Count == _records.Length)
        {
            // A run that logs more than it was sized for (only a resume with other limits can): grow up to the capacity.
            if (_records.Length < Capacity) Array.Resize(ref _records, Math.Min(Capacity, 2 * _records.Length));
            else Thin();
        }
        _records[Count++] = record;
    }

    /// <summary>Replaces the last record (the final iteration, when it was already logged).</summary>
    internal void ReplaceLast(in IterationRecord record) => _records[Count - 1] = record;

    /// <summary>Takes over a checkpoint's history: the stride is the gap between its first two records (the thinned part
    /// starts at iteration 0 and keeps every multiple of the stride), then the records are added in order.</summary>
    internal void Restore(IReadOnlyList<IterationRecord> records)
    {
        if (records.Count >= 2 && records[0].Iteration == 0)
        {
            long gap = Index(records[1]);
            if (gap > 1 && (gap & (gap - 1)) == 0 && gap <= int.MaxValue) _stride = (int)gap;
        }
        foreach (var r in records) Add(r);
    }

    // The record's number among the logged iterations (iteration / LogEvery).
    private long Index(in IterationRecord record) => record.Iteration / _logEvery;

    // Keeps the newest quarter whole and, of the older records, those at a multiple of the stride, doubling the stride
    // until a quarter of the capacity is free.
    private void Thin()
    {
        int old = Count - _tail;
        while (Multiples(old, _stride) + _tail > Capacity - Capacity / 4) _stride *= 2;
        int kept = 0;
        for (int i = 0; i < old; i++)
            if (Index(_records[i]) % _stride == 0) _records[kept++] = _records[i];
        Array.Copy(_records, old, _records, kept, _tail);
        Count = kept + _tail;
    }

    private int Multiples(int count, int stride)
    {
        int n = 0;
        for (int i = 0; i < count; i++)
            if (Index(_records[i]) % stride == 0) n++;
        return n;
    }
}
