using System.Runtime.Intrinsics;
using Pbgd.Distributed;

namespace Pbgd.Kernels;

/// <summary>
/// One pass over the rows of X (rows×m, row-major) that does, block by block while the block is in cache:
/// Z = X·B, then a per-row operation turning z_i into coefficients r_i, then Gᵀ += Rᵀ·X (docs/algorithms.md §4:
/// stream X as few times as possible). Any half can be left out. Rows are split into the fixed parts of
/// <see cref="KernelPool"/>; each part accumulates its own partial Gᵀ, summed in part order, so the result does
/// not depend on the thread count.
/// </summary>
internal static unsafe class FusedRowPass
{
    /// <summary>Rows per block: 32 rows of MNIST (200 KB) stay in L2 between the forward and backward halves.</summary>
    internal const int BlockRows = 32;

    /// <summary>Length of the partials workspace a pass with a backward half needs.</summary>
    internal static int PartialsLength(int rows, int m, int kOut) => KernelPool.Parts(rows) * kOut * m;

    /// <summary>Length of the partials workspace a pass over a shard's rows with a backward half needs.</summary>
    internal static int PartialsLength(RowShard shard, int m, int kOut) => shard.LocalParts * kOut * m;

    /// <summary>
    /// The pass over the rows a process holds of a data set spread over processes (or all of them, for
    /// <see cref="RowShard.Local"/>): the parts are the shard's fixed parts, and Gᵀ is the sum over every part of the
    /// data set, combined by the shard's fixed tree (<see cref="RowShard.SumParts"/>), so it is the same for any number
    /// of processes. A collective call when the shard is distributed and there is a backward half.
    /// </summary>
    internal static void Run(RowShard shard, ReadOnlySpan<double> x, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials)
    {
        ArgumentNullException.ThrowIfNull(shard);
        int rows = shard.Rows;
        Validate(x.Length, rows, m, bT, k, z, op, coef, kOut, gT, partials, shard.LocalParts);
        fixed (double* px = x)
            Run(px, null, rows, m, bT, k, z, op, coef, kOut, gT, partials, shard);
    }

    /// <summary>
    /// The shard pass in double arithmetic over X stored in single precision only (the float-only storage mode): each
    /// block of rows is widened to double (exactly) in a per-part scratch, then the double kernels run on it — the results
    /// are those of the double pass over the float-rounded X, to the bit, while only 4 bytes per value are kept and read.
    /// </summary>
    internal static void RunWidened(RowShard shard, ReadOnlySpan<float> x, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials)
    {
        ArgumentNullException.ThrowIfNull(shard);
        int rows = shard.Rows;
        Validate(x.Length, rows, m, bT, k, z, op, coef, kOut, gT, partials, shard.LocalParts);
        fixed (float* px = x)
            Run(null, px, rows, m, bT, k, z, op, coef, kOut, gT, partials, shard, widen: true);
    }

    /// <summary>The shard pass over X stored in single precision (see the float overload without a shard).</summary>
    internal static void Run(RowShard shard, ReadOnlySpan<float> x, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials)
    {
        ArgumentNullException.ThrowIfNull(shard);
        int rows = shard.Rows;
        Validate(x.Length, rows, m, bT, k, z, op, coef, kOut, gT, partials, shard.LocalParts);
        fixed (float* px = x)
            Run(null, px, rows, m, bT, k, z, op, coef, kOut, gT, partials, shard);
    }

    [ThreadStatic] private static Job? _job;

    /// <summary>Runs the pass.</summary>
    /// <param name="x">X, rows×m row-major.</param>
    /// <param name="rows">Rows of X (≥ 0).</param>
    /// <param name="m">Columns of X (≥ 0).</param>
    /// <param name="bT">Bᵀ, k×m row-major; empty for no forward half.</param>
    /// <param name="k">Columns of B.</param>
    /// <param name="z">Output Z = X·B, rows×k (written when there is a forward half).</param>
    /// <param name="op">The per-row operation, writing coef; null to take coef as given.</param>
    /// <param name="coef">R, rows×kOut: written by <paramref name="op"/> or read as input.</param>
    /// <param name="kOut">Columns of R.</param>
    /// <param name="gT">Output Gᵀ = Rᵀ·X, kOut×m; empty for no backward half.</param>
    /// <param name="partials">Workspace of <see cref="PartialsLength(int, int, int)"/> elements when there is a backward half.</param>
    internal static void Run(ReadOnlySpan<double> x, int rows, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials)
    {
        Validate(x.Length, rows, m, bT, k, z, op, coef, kOut, gT, partials);
        fixed (double* px = x)
            Run(px, null, rows, m, bT, k, z, op, coef, kOut, gT, partials);
    }

    /// <summary>
    /// The same pass over X stored in single precision (the float32 data option): Bᵀ and the coefficients are rounded
    /// to float and the products run in float (<see cref="MicroKernels"/>); Z, R and Gᵀ stay double. Each part
    /// sums its backward products in float over at most <see cref="SingleFlushRows"/> rows and adds them into its
    /// double partial, so the rounding of the sums does not grow with the number of rows.
    /// </summary>
    internal static void Run(ReadOnlySpan<float> x, int rows, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials)
    {
        Validate(x.Length, rows, m, bT, k, z, op, coef, kOut, gT, partials);
        fixed (float* px = x)
            Run(null, px, rows, m, bT, k, z, op, coef, kOut, gT, partials);
    }

    /// <summary>Rows whose backward products a part sums in float before adding them into its double partial.</summary>
    internal const int SingleFlushRows = 4 * BlockRows;

    private static void Validate(int xLength, int rows, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials, int parts = -1)
    {
        if (parts < 0) parts = KernelPool.Parts(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(kOut);
        if (xLength < (long)rows * m) throw new ArgumentException($"x has {xLength} elements; {rows}×{m} needs {(long)rows * m}.", "x");
        bool forward = !bT.IsEmpty, backward = !gT.IsEmpty;
        if (forward && bT.Length != (long)k * m) throw new ArgumentException($"bT has {bT.Length} elements; {k}×{m} needs {(long)k * m}.", nameof(bT));
        if (forward && z.Length < (long)rows * k) throw new ArgumentException($"z has {z.Length} elements; {rows}×{k} needs {(long)rows * k}.", nameof(z));
        if ((op is not null || backward) && coef.Length < (long)rows * kOut)
            throw new ArgumentException($"coef has {coef.Length} elements; {rows}×{kOut} needs {(long)rows * kOut}.", nameof(coef));
        if (backward && gT.Length != (long)kOut * m) throw new ArgumentException($"gT has {gT.Length} elements; {kOut}×{m} needs {(long)kOut * m}.", nameof(gT));
        if (backward && partials.Length < (long)parts * kOut * m)
            throw new ArgumentException($"partials has {partials.Length} elements; needs {(long)parts * kOut * m}.", nameof(partials));
    }

    private static void Run(double* x, float* xSingle, int rows, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials, RowShard? shard = null, bool widen = false)
    {
        bool forward = !bT.IsEmpty, backward = !gT.IsEmpty;
        // A distributed shard's pass is collective only through its backward sum; every process makes the call.
        if (!forward && op is null && !backward) return;
        int parts = shard?.LocalParts ?? KernelPool.Parts(rows);
        var job = _job ??= new Job();
        if (widen) job.PrepareWiden(parts, m);
        else if (xSingle is not null) job.PrepareSingle(bT, parts, m, kOut);
        fixed (double* pb = bT, pz = z, pc = coef, pp = partials)
        {
            job.X = x; job.XSingle = xSingle; job.BT = pb; job.Z = pz; job.Coef = pc; job.Partials = pp; job.Shard = shard; job.Widen = widen;
            (job.Rows, job.M, job.K, job.KOut, job.Parts, job.Forward, job.Backward, job.Op) = (rows, m, k, kOut, parts, forward, backward, op);
            try
            {
                KernelPool.Run(job, parts);
            }
            finally
            {
                job.Op = null;
                job.Shard = null;
            }
        }
        if (!backward) return;
        if (shard is not null)
        {
            shard.SumParts(partials[..(parts * kOut * m)], kOut * m, gT);
            return;
        }
        int size = kOut * m;
        partials[..size].CopyTo(gT);
        for (int p = 1; p < parts; p++)
        {
            var part = partials.Slice(p * size, size);
            for (int j = 0; j < size; j++) gT[j] += part[j];
        }
    }

    private sealed class Job : PoolJob
    {
        internal double* X, BT, Z, Coef, Partials;
        internal float* XSingle;
        internal int Rows, M, K, KOut, Parts;
        internal bool Forward, Backward;
        internal IRowOperation? Op;
        internal RowShard? Shard;
        internal bool Widen;
        // Float-only storage: per part, a block of rows widened to double.
        private AlignedBuffer<double>? _widened;
        private double* _pWidened;

        internal void PrepareWiden(int parts, int m)
        {
            if (_widened is not null && _widened.Length >= parts * BlockRows * m) return;
            _widened = new AlignedBuffer<double>(parts * BlockRows * m);
            fixed (double* p = _widened.Span) _pWidened = p;
        }
        // Single-precision workspaces (pinned, grown on demand, so a steady run allocates nothing): Bᵀ in float, and per
        // part a block of coefficients and the float sums of the backward products.
        private AlignedBuffer<float>? _bTSingle, _coefSingle, _gSingle;
        private float* _pbTSingle, _pCoefSingle, _pGSingle;

        internal void PrepareSingle(ReadOnlySpan<double> bT, int parts, int m, int kOut)
        {
            Grow(ref _bTSingle, ref _pbTSingle, bT.Length);
            Grow(ref _coefSingle, ref _pCoefSingle, parts * BlockRows * kOut);
            Grow(ref _gSingle, ref _pGSingle, parts * kOut * m);
            for (int i = 0; i < bT.Length; i++) _pbTSingle[i] = (float)bT[i];
        }

        // 64-byte aligned and pinned (AlignedBuffer), so the pointer stays valid: on plain arrays the float sums'
        // 64-byte loads and stores split cache lines, which made the backward half vary by 2× between runs.
        private static void Grow(ref AlignedBuffer<float>? buffer, ref float* pointer, int length)
        {
            if (buffer is not null && buffer.Length >= length) return;
            buffer = new AlignedBuffer<float>(length);
            fixed (float* p = buffer.Span) pointer = p;
        }

        internal override void RunPart(int part)
        {
            int r0 = Shard?.LocalPartStart(part) ?? KernelPool.PartStart(Rows, Parts, part);
            int r1 = Shard?.LocalPartStart(part + 1) ?? KernelPool.PartStart(Rows, Parts, part + 1);
            double* g = Partials + (long)part * KOut * M;
            if (Backward) new Span<double>(g, KOut * M).Clear();
            if (Widen)
            {
                RunPartWidened(part, r0, r1, g);
                return;
            }
            if (XSingle is not null)
            {
                RunPartSingle(part, r0, r1, g);
                return;
            }
            for (int start = r0; start < r1; start += BlockRows)
            {
                int count = Math.Min(BlockRows, r1 - start);
                double* xb = X + (long)start * M;
                if (Forward) MicroKernels.Dot(xb, M, count, M, BT, K, Z + (long)start * K, K);
                ApplyOp(part, start, count);
                if (Backward) MicroKernels.Axpy(xb, M, count, M, Coef + (long)start * KOut, KOut, KOut, g);
            }
        }

        // The double path's blocks, each first widened from float into the part's scratch (exact: every float is a double).
        private void RunPartWidened(int part, int r0, int r1, double* g)
        {
            double* scratch = _pWidened + (long)part * BlockRows * M;
            for (int start = r0; start < r1; start += BlockRows)
            {
                int count = Math.Min(BlockRows, r1 - start);
                float* xs = XSingle + (long)start * M;
                Widened.Run(new ReadOnlySpan<float>(xs, count * M), new Span<double>(scratch, count * M));
                if (Forward) MicroKernels.Dot(scratch, M, count, M, BT, K, Z + (long)start * K, K);
                ApplyOp(part, start, count);
                if (Backward) MicroKernels.Axpy(scratch, M, count, M, Coef + (long)start * KOut, KOut, KOut, g);
            }
        }

        private void RunPartSingle(int part, int r0, int r1, double* g)
        {
            int size = KOut * M;
            float* coef = _pCoefSingle + (long)part * BlockRows * KOut;
            float* sums = _pGSingle + (long)part * size;
            if (Backward) new Span<float>(sums, size).Clear();
            for (int start = r0; start < r1; start += BlockRows)
            {
                int count = Math.Min(BlockRows, r1 - start);
                float* xb = XSingle + (long)start * M;
                if (Forward) MicroKernels.Dot(xb, M, count, M, _pbTSingle, K, Z + (long)start * K, K);
                ApplyOp(part, start, count);
                if (!Backward) continue;
                ScaledToSingle.Run(new ReadOnlySpan<double>(Coef + (long)start * KOut, count * KOut), 1.0, new Span<float>(coef, count * KOut));
                MicroKernels.Axpy(xb, M, count, M, coef, KOut, KOut, sums);
                int done = start + count - r0;
                if (done % SingleFlushRows == 0 || start + count >= r1) Flush(sums, g, size);
            }
        }

        // g += sums (widened to double), sums = 0.
        private static void Flush(float* sums, double* g, int size)
        {
            int j = 0;
            if (MicroKernels.UseVector512)
                for (; j + 16 <= size; j += 16)
                {
                    var (lower, upper) = Vector512.Widen(Vector512.Load(sums + j));
                    Vector512.Store(Vector512.Load(g + j) + lower, g + j);
                    Vector512.Store(Vector512.Load(g + j + 8) + upper, g + j + 8);
                    Vector512.Store(Vector512<float>.Zero, sums + j);
                }
            for (; j < size; j++)
            {
                g[j] += sums[j];
                sums[j] = 0;
            }
        }

        private void ApplyOp(int part, int start, int count)
        {
            if (Op is not { } op) return;
            for (int i = start; i < start + count; i++)
                op.Apply(part, i, new ReadOnlySpan<double>(Z + (long)i * K, K), new Span<double>(Coef + (long)i * KOut, KOut));
        }
    }
}
