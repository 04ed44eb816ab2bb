namespace Pbgd.Kernels;

/// <summary>
/// C = X·B for a tall X (rows×m, row-major) and a B with few columns (k ≈ 10), given as Bᵀ (k×m): the shape where
/// MKL 2020's gemm runs far below memory bandwidth (docs/environment.md). AVX-512, 4×4 register blocks, rows split into
/// the fixed parts of <see cref="KernelPool"/>; each element is one dot product, so the result is the same for any
/// thread count.
/// </summary>
internal static class SkinnyMultiply
{
    /// <summary>Computes C = X·B.</summary>
    /// <param name="x">X, rows×m row-major.</param>
    /// <param name="rows">Rows of X.</param>
    /// <param name="m">Columns of X (the inner dimension).</param>
    /// <param name="bTransposed">Bᵀ, k×m row-major.</param>
    /// <param name="k">Columns of B.</param>
    /// <param name="c">Output C, rows×k row-major.</param>
    public static void Run(ReadOnlySpan<double> x, int rows, int m, ReadOnlySpan<double> bTransposed, int k, Span<double> c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (x.Length != (long)rows * m) throw new ArgumentException($"x has {x.Length} elements; {rows}×{m} needs {(long)rows * m}.", nameof(x));
        if (bTransposed.Length != (long)k * m) throw new ArgumentException($"bTransposed has {bTransposed.Length} elements; {k}×{m} needs {(long)k * m}.", nameof(bTransposed));
        if (c.Length != (long)rows * k) throw new ArgumentException($"c has {c.Length} elements; {rows}×{k} needs {(long)rows * k}.", nameof(c));
        if (k == 0 || rows == 0) return;
        if (m == 0) { c.Clear(); return; }
        FusedRowPass.Run(x, rows, m, bTransposed, k, c, null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty);
    }
}
