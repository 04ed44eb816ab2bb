namespace Pbgd.Solvers;

/// <summary>
/// The logged iterations of a run, stored column-wise in arrays sized before the run so that logging
/// allocates nothing in the loop.
/// </summary>
public sealed class SolverHistory
{
    private readonly IterationRecord[] _records;

    internal SolverHistory(int capacity) => _records = new IterationRecord[Math.Max(2, capacity)];

    /// <summary>How many iterations are recorded.</summary>
    public int Count { get; private set; }

    /// <summary>Whether records were dropped because the preallocated capacity was reached.</summary>
    public bool Truncated { get; private set; }

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
            // Keep the final state visible: overwrite the last slot rather than lose the end of the run.
            Truncated = true;
            _records[Count - 1] = record;
            return;
        }
        _records[Count++] = record;
    }

    /// <summary>Replaces the last record (the final iteration, when it was already logged).</summary>
    internal void ReplaceLast(in IterationRecord record) => _records[Count - 1] = record;
}
