namespace Pbgd.Kernels;

/// <summary>
/// Cᵀ = (Xᵀ·R)ᵀ = Rᵀ·X for a tall X (rows×m, row-major) and R (rows×k, k small): the gradient-side product of the
/// skinny pair. Each fixed part of rows (<see cref="KernelPool"/>) accumulates its own partial in the caller's
/// workspace and the partials are added in part order, so the result does not depend on the thread count.
/// </summary>
internal static class SkinnyTransposeMultiply
{
    /// <summary>Elements of the workspace <see cref="Run(ReadOnlySpan{double}, int, int, ReadOnlySpan{double}, int, Span{double}, Span{double})"/> needs.</summary>
    /// <param name="rows">Rows of X.</param>
    /// <param name="m">Columns of X.</param>
    /// <param name="k">Columns of R.</param>
    public static int WorkspaceLength(int rows, int m, int k) => FusedRowPass.PartialsLength(rows, m, k);

    /// <summary>Computes Cᵀ = Rᵀ·X (k×m), i.e. C = Xᵀ·R stored transposed.</summary>
    /// <param name="x">X, rows×m row-major.</param>
    /// <param name="rows">Rows of X and R.</param>
    /// <param name="m">Columns of X.</param>
    /// <param name="r">R, rows×k row-major.</param>
    /// <param name="k">Columns of R.</param>
    /// <param name="cTransposed">Output Cᵀ, k×m row-major.</param>
    /// <param name="workspace"><see cref="WorkspaceLength(int, int, int)"/> elements (partial sums).</param>
    public static void Run(ReadOnlySpan<double> x, int rows, int m, ReadOnlySpan<double> r, int k, Span<double> cTransposed, Span<double> workspace)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (x.Length != (long)rows * m) throw new ArgumentException($"x has {x.Length} elements; {rows}×{m} needs {(long)rows * m}.", nameof(x));
        if (r.Length != (long)rows * k) throw new ArgumentException($"r has {r.Length} elements; {rows}×{k} needs {(long)rows * k}.", nameof(r));
        if (cTransposed.Length != (long)k * m) throw new ArgumentException($"cTransposed has {cTransposed.Length} elements; {k}×{m} needs {(long)k * m}.", nameof(cTransposed));
        if (workspace.Length < WorkspaceLength(rows, m, k))
            throw new ArgumentException($"workspace has {workspace.Length} elements; needs {WorkspaceLength(rows, m, k)}.", nameof(workspace));
        if (k == 0 || m == 0) return;
        if (rows == 0) { cTransposed.Clear(); return; }
        // The pass only reads coef when it has no row operation; the cast drops nothing but the span's read-only flag.
        var coef = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(r), r.Length);
        FusedRowPass.Run(x, rows, m, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null, coef, k, cTransposed, workspace);
    }

    /// <summary>Cᵀ = Rᵀ·X summed over every row of a data set spread over processes (<see cref="Pbgd.Distributed.RowShard"/>;
    /// collective when distributed): x and r hold this process's rows.</summary>
    /// <param name="shard">The rows this process holds.</param>
    /// <param name="x">X, rows×m row-major (this process's rows).</param>
    /// <param name="m">Columns of X.</param>
    /// <param name="r">R, rows×k row-major.</param>
    /// <param name="k">Columns of R.</param>
    /// <param name="cTransposed">Output Cᵀ, k×m row-major (the same on every process).</param>
    /// <param name="workspace">At least <see cref="WorkspaceLength(Pbgd.Distributed.RowShard, int, int)"/> elements.</param>
    public static void Run(Pbgd.Distributed.RowShard shard, ReadOnlySpan<double> x, int m, ReadOnlySpan<double> r, int k, Span<double> cTransposed, Span<double> workspace)
    {
        ArgumentNullException.ThrowIfNull(shard);
        int rows = shard.Rows;
        if (r.Length != (long)rows * k) throw new ArgumentException($"r has {r.Length} elements; {rows}×{k} needs {(long)rows * k}.", nameof(r));
        var coef = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(r), r.Length);
        FusedRowPass.Run(shard, x, m, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null, coef, k, cTransposed, workspace);
    }

    /// <summary>Workspace of the shard overload.</summary>
    /// <param name="shard">The rows this process holds.</param>
    /// <param name="m">Columns of X.</param>
    /// <param name="k">Columns of R.</param>
    public static int WorkspaceLength(Pbgd.Distributed.RowShard shard, int m, int k) => FusedRowPass.PartialsLength(shard, m, k);
}
