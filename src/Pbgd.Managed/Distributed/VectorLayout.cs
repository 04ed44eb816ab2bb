namespace Pbgd.Distributed;

/// <summary>
/// How a vector an optimiser works on is laid out over processes, so its inner products, norms and other reductions are
/// global and independent of the number of processes: either one local vector (<see cref="Sequential"/>: a sum is the
/// plain loop, exactly as written before data-parallel runs existed) or the rows of a <see cref="RowShard"/> (one entry
/// per local training row, summed per fixed part and combined by the shard's tree) followed by a tail every process holds
/// in full (e.g. PBGD-J's v next to the sharded u), summed in order and added last.
/// </summary>
public sealed class VectorLayout
{
    private readonly RowShard? _shard;
    private double[] _tail = [];

    private VectorLayout(RowShard? shard, int length, int tail) => (_shard, Length, Tail) = (shard, length, tail);

    /// <summary>A vector of <paramref name="length"/> entries held by this process alone.</summary>
    /// <param name="length">n.</param>
    public static VectorLayout Sequential(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new VectorLayout(null, length, 0);
    }

    /// <summary>One entry per local row of <paramref name="shard"/>, then <paramref name="tail"/> entries every process
    /// holds.</summary>
    /// <param name="shard">The rows.</param>
    /// <param name="tail">Replicated entries after the rows (≥ 0).</param>
    public static VectorLayout Rows(RowShard shard, int tail = 0)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentOutOfRangeException.ThrowIfNegative(tail);
        return new VectorLayout(shard, shard.Rows + tail, tail);
    }

    /// <summary>Local entries.</summary>
    public int Length { get; }

    /// <summary>Replicated entries at the end.</summary>
    public int Tail { get; }

    /// <summary>The shard of the leading entries (null for a sequential vector).</summary>
    public RowShard? Shard => _shard;

    /// <summary>Whether reductions involve other processes.</summary>
    public bool IsDistributed => _shard?.IsDistributed == true;

    /// <summary>Global sums of several quantities (collective when distributed).</summary>
    /// <typeparam name="T">A (ref) struct holding what the terms read.</typeparam>
    /// <param name="terms">Adds the terms of a range of local entries, in index order.</param>
    /// <param name="totals">Receives one sum per quantity.</param>
    public void Sum<T>(ref T terms, scoped Span<double> totals) where T : IRangeSums, allows ref struct
    {
        totals.Clear();
        if (_shard is null)
        {
            terms.Add(0, Length, totals);
            return;
        }
        _shard.Sum(ref terms, totals);
        if (Tail == 0) return;
        if (_tail.Length < totals.Length) _tail = new double[totals.Length];
        var tail = _tail.AsSpan(0, totals.Length);
        tail.Clear();
        terms.Add(_shard.Rows, Length, tail);
        for (int j = 0; j < totals.Length; j++) totals[j] += tail[j];
    }

    /// <summary>xᵀy over the whole vector.</summary>
    /// <param name="x">x (local entries).</param>
    /// <param name="y">y (local entries).</param>
    public double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var terms = new DotTerms(x, y);
        Span<double> total = stackalloc double[1];
        Sum(ref terms, total);
        return total[0];
    }

    /// <summary>The largest of every process's value.</summary>
    /// <param name="local">This process's value.</param>
    public double Max(double local) => _shard is null ? local : _shard.Max(local);

    /// <summary>The smallest of every process's value.</summary>
    /// <param name="local">This process's value.</param>
    public double Min(double local) => _shard is null ? local : _shard.Min(local);

    /// <summary>Whether the condition holds on every process.</summary>
    /// <param name="local">This process's answer.</param>
    public bool All(bool local) => _shard is null ? local : _shard.All(local);

    /// <summary>Whether the condition holds on some process.</summary>
    /// <param name="local">This process's answer.</param>
    public bool Any(bool local) => _shard is null ? local : _shard.Any(local);

    private readonly ref struct DotTerms(ReadOnlySpan<double> x, ReadOnlySpan<double> y) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _x = x, _y = y;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            double s = 0;
            for (int i = start; i < end; i++) s += _x[i] * _y[i];
            sums[0] = s;
        }
    }
}
