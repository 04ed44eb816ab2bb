namespace Pbgd.Distributed;

// The fixed tree over part indices that combines the parts' partials, evaluated within this process, by all-gathering
// every process's maximal subtrees, or by sending subtrees up to their parents' owners (RowShard's remarks say when).
public sealed partial class RowShard
{
    private static int Mid(int lo, int hi) => lo + (hi - lo) / 2;

    private int Owner(int part)
    {
        // The last rank whose first part is ≤ part (ranks may hold no part only when there are more ranks than parts,
        // which RowPartition.ForRank refuses).
        int lo = 0, hi = Communicator.Size - 1;
        while (lo < hi)
        {
            int r = (lo + hi + 1) / 2;
            if (_firstParts[r] <= part) lo = r; else hi = r - 1;
        }
        return lo;
    }

    private bool Inside(int lo, int hi, int rank) => lo >= _firstParts[rank] && hi <= _firstParts[rank + 1];

    private void EnsureStack(int width)
    {
        int depth = 2;
        for (int n = Partition.Parts; n > 1; n = (n + 1) / 2) depth++;
        if (_stack.Length < depth * width) _stack = new double[depth * width];
    }

    private Span<double> Temp(int depth, int width) => _stack.AsSpan(depth * width, width);

    // The value of node [lo, hi) ⊆ [a, b) from this process's partials.
    private void LocalNode<T>(ref T leaves, int width, int lo, int hi, Span<double> destination, int depth) where T : ILeaves, allows ref struct
    {
        if (hi - lo == 1)
        {
            leaves.Leaf(lo - _a, destination);
            return;
        }
        int mid = Mid(lo, hi);
        LocalNode(ref leaves, width, lo, mid, destination, depth + 1);
        var right = Temp(depth, width);
        LocalNode(ref leaves, width, mid, hi, right, depth + 1);
        for (int j = 0; j < width; j++) destination[j] += right[j];
    }

    // Every rank's pieces: the maximal tree nodes inside its parts, in tree (left-to-right) order.
    private void EnsurePieces()
    {
        if (_pieceIndex is not null) return;
        int size = Communicator.Size;
        _pieceIndex = new Dictionary<long, int>();
        _piecesPerRank = new int[size];
        var all = new List<(int Lo, int Hi)>[size];
        for (int r = 0; r < size; r++)
        {
            all[r] = new List<(int, int)>();
            Decompose(0, Partition.Parts, r, all[r]);
            _piecesPerRank[r] = all[r].Count;
        }
        int index = 0;
        for (int r = 0; r < size; r++)
            foreach (var (lo, hi) in all[r]) _pieceIndex[Key(lo, hi)] = index++;
        _myPieces = all[Communicator.Rank];
    }

    private void Decompose(int lo, int hi, int rank, List<(int, int)> pieces)
    {
        if (hi <= _firstParts[rank] || lo >= _firstParts[rank + 1]) return;
        if (Inside(lo, hi, rank))
        {
            pieces.Add((lo, hi));
            return;
        }
        int mid = Mid(lo, hi);
        Decompose(lo, mid, rank, pieces);
        Decompose(mid, hi, rank, pieces);
    }

    private long Key(int lo, int hi) => (long)lo * (Partition.Parts + 1) + hi;

    // One collective: every rank's pieces to every rank, then the straddling nodes combined locally.
    private void SumByGather<T>(ref T leaves, int width, Span<double> total) where T : ILeaves, allows ref struct
    {
        int size = Communicator.Size, pieces = _pieceIndex!.Count;
        if (_width != width || _counts is null)
        {
            _counts = new int[size];
            _displacements = new int[size];
            for (int r = 0, offset = 0; r < size; r++)
            {
                (_counts[r], _displacements[r]) = (_piecesPerRank![r] * width, offset);
                offset += _counts[r];
            }
            _width = width;
        }
        if (_gathered.Length < pieces * width) _gathered = new double[pieces * width];
        if (_mine.Length < _myPieces!.Count * width) _mine = new double[_myPieces.Count * width];
        var mine = _mine.AsSpan(0, _myPieces.Count * width);
        for (int k = 0; k < _myPieces.Count; k++) LocalNode(ref leaves, width, _myPieces[k].Lo, _myPieces[k].Hi, mine.Slice(k * width, width), 1);
        Communicator.Allgatherv(mine, _gathered.AsSpan(0, pieces * width), _counts, _displacements!);
        FromPieces(width, 0, Partition.Parts, total, 1);
    }

    private void FromPieces(int width, int lo, int hi, Span<double> destination, int depth)
    {
        if (_pieceIndex!.TryGetValue(Key(lo, hi), out int index))
        {
            _gathered.AsSpan(index * width, width).CopyTo(destination);
            return;
        }
        int mid = Mid(lo, hi);
        FromPieces(width, lo, mid, destination, depth + 1);
        var right = Temp(depth, width);
        FromPieces(width, mid, hi, right, depth + 1);
        for (int j = 0; j < width; j++) destination[j] += right[j];
    }

    // Point to point: a node is computed by the owner of its first part; a right child owned by another rank is received
    // from it (tag: the parent's split point, unique per node). Dependencies point to higher ranks only, and sends do not
    // block, so this cannot deadlock. Rank 0 ends with the root and broadcasts it.
    private void SumUpTheTree<T>(ref T leaves, int width, Span<double> total) where T : ILeaves, allows ref struct
    {
        int sends = 0;
        Walk(ref leaves, width, 0, Partition.Parts, parentLo: -1, parentMid: -1, total, ref sends);
        Communicator.CompleteSends();
        Communicator.Broadcast(total, 0);
    }

    private void Walk<T>(ref T leaves, int width, int lo, int hi, int parentLo, int parentMid, Span<double> total, ref int sends)
        where T : ILeaves, allows ref struct
    {
        if (hi <= _a || lo >= _b) return;
        if (lo >= _a)
        {
            // This rank's top node: its value, then to its parent's owner (or the result at the root).
            if (parentLo < 0)
            {
                Compute(ref leaves, width, lo, hi, total, 1);
                return;
            }
            if (_sendBuffers.Length <= sends) Array.Resize(ref _sendBuffers, sends + 8);
            if (_sendBuffers[sends] is not { } buffer || buffer.Length != width) _sendBuffers[sends] = buffer = new double[width];
            Compute(ref leaves, width, lo, hi, buffer, 1);
            Communicator.StartSend(buffer, Owner(parentLo), parentMid);
            sends++;
            return;
        }
        int mid = Mid(lo, hi);
        Walk(ref leaves, width, lo, mid, lo, mid, total, ref sends);
        Walk(ref leaves, width, mid, hi, lo, mid, total, ref sends);
    }

    // Node [lo, hi) with lo in this rank's parts.
    private void Compute<T>(ref T leaves, int width, int lo, int hi, Span<double> destination, int depth) where T : ILeaves, allows ref struct
    {
        if (hi <= _b)
        {
            LocalNode(ref leaves, width, lo, hi, destination, depth);
            return;
        }
        int mid = Mid(lo, hi);
        Compute(ref leaves, width, lo, mid, destination, depth + 1);
        var right = Temp(depth, width);
        if (mid < _b) Compute(ref leaves, width, mid, hi, right, depth + 1);
        else Communicator.Receive(right, Owner(mid), mid);
        for (int j = 0; j < width; j++) destination[j] += right[j];
    }

    private interface ILeaves
    {
        void Leaf(int localPart, Span<double> destination);
    }

    private readonly ref struct StoredLeaves(ReadOnlySpan<double> partials, int width) : ILeaves
    {
        private readonly ReadOnlySpan<double> _partials = partials;

        public void Leaf(int localPart, Span<double> destination) => _partials.Slice(localPart * width, width).CopyTo(destination);
    }

    private ref struct ComputedLeaves<T>(T source) : ILeaves where T : IPartialSource, allows ref struct
    {
        private T _source = source;

        public void Leaf(int localPart, Span<double> destination)
        {
            destination.Clear();
            _source.Partial(localPart, destination);
        }
    }

    private readonly ref struct RowValues(ReadOnlySpan<double> values) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _values = values;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            double s = 0;
            for (int i = start; i < end; i++) s += _values[i];
            sums[0] = s;
        }
    }
}
