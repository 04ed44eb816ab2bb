namespace Pbgd.Kernels;

/// <summary>
/// One pass over the rows of X (rows×m, row-major) that does, block by block while the block is in cache:
/// Z = X·B, then a per-row operation turning z_i into coefficients r_i, then Gᵀ += Rᵀ·X (ALGORITHMS.md §4:
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
    /// <param name="partials">Workspace of <see cref="PartialsLength"/> elements when there is a backward half.</param>
    internal static void Run(ReadOnlySpan<double> x, int rows, int m, ReadOnlySpan<double> bT, int k, Span<double> z,
        IRowOperation? op, Span<double> coef, int kOut, Span<double> gT, Span<double> partials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(kOut);
        if (x.Length < (long)rows * m) throw new ArgumentException($"x has {x.Length} elements; {rows}×{m} needs {(long)rows * m}.", nameof(x));
        bool forward = !bT.IsEmpty, backward = !gT.IsEmpty;
        if (forward && bT.Length != (long)k * m) throw new ArgumentException($"bT has {bT.Length} elements; {k}×{m} needs {(long)k * m}.", nameof(bT));
        if (forward && z.Length < (long)rows * k) throw new ArgumentException($"z has {z.Length} elements; {rows}×{k} needs {(long)rows * k}.", nameof(z));
        if ((op is not null || backward) && coef.Length < (long)rows * kOut)
            throw new ArgumentException($"coef has {coef.Length} elements; {rows}×{kOut} needs {(long)rows * kOut}.", nameof(coef));
        if (backward && gT.Length != (long)kOut * m) throw new ArgumentException($"gT has {gT.Length} elements; {kOut}×{m} needs {(long)kOut * m}.", nameof(gT));
        int parts = KernelPool.Parts(rows);
        if (backward && partials.Length < PartialsLength(rows, m, kOut))
            throw new ArgumentException($"partials has {partials.Length} elements; needs {PartialsLength(rows, m, kOut)}.", nameof(partials));
        if (!forward && op is null && !backward) return;

        var job = _job ??= new Job();
        fixed (double* px = x, pb = bT, pz = z, pc = coef, pp = partials)
        {
            job.X = px; job.BT = pb; job.Z = pz; job.Coef = pc; job.Partials = pp;
            (job.Rows, job.M, job.K, job.KOut, job.Parts, job.Forward, job.Backward, job.Op) = (rows, m, k, kOut, parts, forward, backward, op);
            try
            {
                KernelPool.Run(job, parts);
            }
            finally
            {
                job.Op = null;
            }
        }
        if (!backward) return;
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
        internal int Rows, M, K, KOut, Parts;
        internal bool Forward, Backward;
        internal IRowOperation? Op;

        internal override void RunPart(int part)
        {
            int r0 = KernelPool.PartStart(Rows, Parts, part), r1 = KernelPool.PartStart(Rows, Parts, part + 1);
            double* g = Partials + (long)part * KOut * M;
            if (Backward) new Span<double>(g, KOut * M).Clear();
            for (int start = r0; start < r1; start += BlockRows)
            {
                int count = Math.Min(BlockRows, r1 - start);
                double* xb = X + (long)start * M;
                if (Forward) MicroKernels.Dot(xb, M, count, M, BT, K, Z + (long)start * K, K);
                if (Op is { } op)
                    for (int i = start; i < start + count; i++)
                        op.Apply(part, i, new ReadOnlySpan<double>(Z + (long)i * K, K), new Span<double>(Coef + (long)i * KOut, KOut));
                if (Backward) MicroKernels.Axpy(xb, M, count, M, Coef + (long)start * KOut, KOut, KOut, g);
            }
        }
    }
}
