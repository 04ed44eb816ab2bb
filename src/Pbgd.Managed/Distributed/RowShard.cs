namespace Pbgd.Distributed;

/// <summary>
/// The rows of a data set this process holds (a <see cref="RowPartition"/>) and the processes holding the others (an
/// <see cref="ICommunicator"/>): every sum over the rows — kernel partials, scalars, dot products over per-row vectors —
/// goes through it. A sum is formed per fixed part (each part summed in row order, the same wherever it lives) and the
/// parts' partials are combined by one fixed binary tree over the part indices — node [lo, hi) = [lo, mid) + [mid, hi),
/// mid = lo + ⌊(hi − lo)/2⌋ — so the result is the same to the bit for any number of processes, a single process
/// included.
/// </summary>
/// <remarks>
/// Across processes the tree is evaluated in one of two ways that give identical bits: for short vectors every process's
/// maximal subtrees are all-gathered and each process combines them (one collective); for long ones each subtree is sent
/// to the process that owns its parent (the owner of a node's first part), which adds it, and the root is broadcast
/// (about log₂(parts) messages per process, each the vector's length). Not thread-safe: one shard per problem, used from
/// one thread at a time.
/// </remarks>
public sealed partial class RowShard
{
    /// <summary>Gathered subtrees totalling at most this many bytes are all-gathered; longer ones travel up the tree.</summary>
    public const int GatherBytes = 64 * 1024;

    private readonly int _a, _b;                 // this process's parts [a, b)
    private readonly int[] _firstParts;          // first part of each rank, and the end
    private double[] _stack = [];                // depth × width temporaries of the tree evaluation
    private double[] _rowPartials = [];          // Sum<T>'s per-part partials
    private double[] _gathered = [], _mine = [];
    private double[][] _sendBuffers = [];
    private int[]? _counts, _displacements;
    private Dictionary<long, int>? _pieceIndex;  // (lo, hi) → index among all ranks' pieces, in rank then tree order
    private int[]? _piecesPerRank;
    private List<(int Lo, int Hi)>? _myPieces;
    private int _width = -1;

    /// <summary>A shard of <paramref name="partition"/>'s rows, the other parts held by the communicator's other processes.</summary>
    /// <param name="partition">This process's parts; for several processes, the parts <see cref="RowPartition.ForRank"/> gives it.</param>
    /// <param name="communicator">The processes.</param>
    public RowShard(RowPartition partition, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1 && !partition.IsWhole)
            throw new ArgumentException($"a single process must hold all {partition.Parts} parts; this partition holds {partition.PartCount}.", nameof(partition));
        if (communicator.Size > 1)
        {
            var expected = RowPartition.ForRank(partition.GlobalRows, communicator.Rank, communicator.Size);
            if (expected != partition)
                throw new ArgumentException($"rank {communicator.Rank} of {communicator.Size} holds parts [{expected.FirstPart}, {expected.FirstPart + expected.PartCount}), not [{partition.FirstPart}, {partition.FirstPart + partition.PartCount}).", nameof(partition));
        }
        (Partition, Communicator) = (partition, communicator);
        (_a, _b) = (partition.FirstPart, partition.FirstPart + partition.PartCount);
        _firstParts = new int[communicator.Size + 1];
        for (int r = 0; r <= communicator.Size; r++) _firstParts[r] = RowPartition.FirstPartOf(r, communicator.Size, partition.Parts);
    }

    /// <summary>All <paramref name="rows"/> rows in this process (an ordinary run).</summary>
    /// <param name="rows">Rows of the data set.</param>
    public static RowShard Local(int rows) => new(RowPartition.Whole(rows), SingleProcess.Instance);

    /// <summary>This process's share of <paramref name="globalRows"/> rows among the communicator's processes.</summary>
    /// <param name="globalRows">Rows of the whole data set.</param>
    /// <param name="communicator">The processes.</param>
    /// <exception cref="ArgumentException">More processes than parts (<see cref="RowPartition.ForRank"/>).</exception>
    public static RowShard ForRank(int globalRows, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        return new RowShard(RowPartition.ForRank(globalRows, communicator.Rank, communicator.Size), communicator);
    }

    /// <summary>This process's parts.</summary>
    public RowPartition Partition { get; }

    /// <summary>The processes.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>Rows held here.</summary>
    public int Rows => Partition.Rows;

    /// <summary>Rows of the whole data set.</summary>
    public int GlobalRows => Partition.GlobalRows;

    /// <summary>Parts held here.</summary>
    public int LocalParts => Partition.PartCount;

    /// <summary>Whether other processes hold rows too.</summary>
    public bool IsDistributed => Communicator.Size > 1;

    /// <summary>The first local row of local part <paramref name="localPart"/> (LocalParts gives the end, <see cref="Rows"/>).</summary>
    /// <param name="localPart">0 … <see cref="LocalParts"/>.</param>
    public int LocalPartStart(int localPart) => Partition.PartStart(Partition.FirstPart + localPart) - Partition.FirstRow;

    /// <summary>
    /// The sum over every part of the data set of per-part partials: <paramref name="partials"/> holds this process's
    /// parts' partials (local part p at p·width), <paramref name="total"/> receives the tree sum over all parts (the same
    /// on every process). A collective call: every process calls it with the same width.
    /// </summary>
    /// <param name="partials"><see cref="LocalParts"/> × width values.</param>
    /// <param name="width">Values per part.</param>
    /// <param name="total">Receives the sums (length <paramref name="width"/>).</param>
    public void SumParts(ReadOnlySpan<double> partials, int width, Span<double> total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (partials.Length < LocalParts * width)
            throw new ArgumentException($"partials has {partials.Length} values; {LocalParts} parts × {width} need {LocalParts * width}.", nameof(partials));
        var leaves = new StoredLeaves(partials, width);
        Combine(ref leaves, width, total);
    }

    /// <summary>
    /// <see cref="SumParts"/> for partials too large to hold for every part at once (a Gram matrix per part): each local
    /// part's partial is computed when the tree needs it, so at most about log₂(parts) of them exist at a time.
    /// </summary>
    /// <typeparam name="T">Computes one part's partial.</typeparam>
    /// <param name="leaves">Writes local part p's partial (zeros on entry) into its destination.</param>
    /// <param name="width">Values per part.</param>
    /// <param name="total">Receives the sums.</param>
    public void SumParts<T>(T leaves, int width, Span<double> total) where T : IPartialSource, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var computed = new ComputedLeaves<T>(leaves);
        Combine(ref computed, width, total);
    }

    private void Combine<T>(ref T leaves, int width, Span<double> total) where T : ILeaves, allows ref struct
    {
        if (total.Length != width) throw new ArgumentException($"total has {total.Length} values; expected {width}.", nameof(total));
        if (width == 0) return;
        EnsureStack(width);
        if (!IsDistributed)
        {
            LocalNode(ref leaves, width, _a, _b, total, 0);
            return;
        }
        EnsurePieces();
        long gatheredBytes = 8L * width * _pieceIndex!.Count;
        if (gatheredBytes <= GatherBytes) SumByGather(ref leaves, width, total);
        else SumUpTheTree(ref leaves, width, total);
    }

    /// <summary>Σ over all rows of <paramref name="perRow"/> (this process's rows), summed per part in row order and
    /// combined by the tree. Collective.</summary>
    /// <param name="perRow">One value per local row.</param>
    public double Sum(ReadOnlySpan<double> perRow)
    {
        var terms = new RowValues(perRow);
        Span<double> total = stackalloc double[1];
        Sum(ref terms, total);
        return total[0];
    }

    /// <summary>Sums of several quantities over all rows: <paramref name="terms"/> adds each part's terms in row order,
    /// then the parts are combined by the tree. Collective.</summary>
    /// <typeparam name="T">A (ref) struct holding what the terms read.</typeparam>
    /// <param name="terms">The terms.</param>
    /// <param name="totals">Receives one sum per quantity.</param>
    public void Sum<T>(ref T terms, scoped Span<double> totals) where T : IRangeSums, allows ref struct
    {
        int width = totals.Length;
        if (_rowPartials.Length < LocalParts * width) _rowPartials = new double[LocalParts * width];
        var partials = _rowPartials.AsSpan(0, LocalParts * width);
        partials.Clear();
        for (int p = 0; p < LocalParts; p++) terms.Add(LocalPartStart(p), LocalPartStart(p + 1), partials.Slice(p * width, width));
        SumParts(partials, width, totals);
    }

    /// <summary>The largest of every process's value (exact). Collective when distributed.</summary>
    /// <param name="local">This process's value.</param>
    public double Max(double local) => Reduce(local, ReductionOperation.Max);

    /// <summary>The smallest of every process's value (exact). Collective when distributed.</summary>
    /// <param name="local">This process's value.</param>
    public double Min(double local) => Reduce(local, ReductionOperation.Min);

    /// <summary>Whether the condition holds on every process. Collective when distributed: a decision that changes what
    /// the processes do next must be taken by all of them together.</summary>
    /// <param name="local">This process's answer.</param>
    public bool All(bool local) => !IsDistributed ? local : Reduce(local ? 1 : 0, ReductionOperation.Min) == 1;

    /// <summary>Whether the condition holds on some process. Collective when distributed.</summary>
    /// <param name="local">This process's answer.</param>
    public bool Any(bool local) => !IsDistributed ? local : Reduce(local ? 1 : 0, ReductionOperation.Max) == 1;

    /// <summary>Per-row values of every process, in global row order, on rank 0 (collective; <paramref name="global"/>
    /// is written on rank 0 only).</summary>
    /// <param name="local">One value per local row.</param>
    /// <param name="global">On rank 0: <see cref="GlobalRows"/> values (elsewhere ignored; may be empty).</param>
    public void GatherRows(ReadOnlySpan<double> local, Span<double> global)
    {
        if (local.Length != Rows) throw new ArgumentException($"local has {local.Length} values; this process holds {Rows} rows.", nameof(local));
        if (Communicator.Rank == 0 && global.Length != GlobalRows)
            throw new ArgumentException($"global has {global.Length} values; the data set has {GlobalRows} rows.", nameof(global));
        if (!IsDistributed)
        {
            local.CopyTo(global);
            return;
        }
        var (counts, displacements) = RowCounts();
        Communicator.Gatherv(local, global, counts, displacements, 0);
    }

    /// <summary>Per-row values of every process, in global row order, on every process (collective).</summary>
    /// <param name="local">One value per local row.</param>
    /// <param name="global"><see cref="GlobalRows"/> values.</param>
    public void AllgatherRows(ReadOnlySpan<double> local, Span<double> global)
    {
        if (local.Length != Rows) throw new ArgumentException($"local has {local.Length} values; this process holds {Rows} rows.", nameof(local));
        if (global.Length != GlobalRows) throw new ArgumentException($"global has {global.Length} values; the data set has {GlobalRows} rows.", nameof(global));
        if (!IsDistributed)
        {
            local.CopyTo(global);
            return;
        }
        var (counts, displacements) = RowCounts();
        Communicator.Allgatherv(local, global, counts, displacements);
    }

    /// <summary>Per-part values of every process, in part order, on every process (collective): e.g. the parts' hashes.</summary>
    /// <param name="local"><see cref="LocalParts"/> × <paramref name="width"/> values.</param>
    /// <param name="width">Values per part.</param>
    /// <param name="global">Parts × <paramref name="width"/> values.</param>
    public void AllgatherParts(ReadOnlySpan<double> local, int width, Span<double> global)
    {
        if (local.Length != LocalParts * width) throw new ArgumentException($"local has {local.Length} values; expected {LocalParts * width}.", nameof(local));
        if (global.Length != Partition.Parts * width) throw new ArgumentException($"global has {global.Length} values; expected {Partition.Parts * width}.", nameof(global));
        if (!IsDistributed)
        {
            local.CopyTo(global);
            return;
        }
        int size = Communicator.Size;
        var counts = new int[size];
        var displacements = new int[size];
        for (int r = 0; r < size; r++) (counts[r], displacements[r]) = ((_firstParts[r + 1] - _firstParts[r]) * width, _firstParts[r] * width);
        Communicator.Allgatherv(local, global, counts, displacements);
    }

    private (int[] Counts, int[] Displacements) RowCounts()
    {
        int size = Communicator.Size;
        var counts = new int[size];
        var displacements = new int[size];
        for (int r = 0; r < size; r++)
        {
            displacements[r] = Partition.PartStart(_firstParts[r]);
            counts[r] = Partition.PartStart(_firstParts[r + 1]) - displacements[r];
        }
        return (counts, displacements);
    }

    private double Reduce(double local, ReductionOperation operation)
    {
        if (!IsDistributed) return local;
        Span<double> value = stackalloc double[1] { local };
        Communicator.Allreduce(value, operation);
        return value[0];
    }
}
