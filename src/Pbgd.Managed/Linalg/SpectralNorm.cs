using Pbgd.Native;

namespace Pbgd.Linalg;

/// <summary>‖X‖₂² by power iteration on XᵀX: the smoothness constant of a least-squares block (docs/algorithms.md §3).</summary>
public static class SpectralNorm
{
    /// <summary>Estimates the largest eigenvalue of XᵀX (= ‖X‖₂²) of a row-major X.</summary>
    /// <param name="x">The matrix.</param>
    /// <param name="iterations">Power-iteration steps (each is two passes over X).</param>
    /// <param name="relativeTolerance">Stop once the estimate changes by less than this.</param>
    public static double Squared(Matrix x, int iterations = 100, double relativeTolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rows == 0 || x.Columns == 0) return 0;
        var v = new double[x.Columns];
        var xv = new double[x.Rows];
        // A deterministic, non-special start: equal weights tilted so that it is not orthogonal to sparse
        // leading singular vectors of structured data.
        for (int j = 0; j < v.Length; j++) v[j] = 1.0 + 0.01 * (j % 7);
        Blas.Scal(1.0 / Blas.Nrm2(v), v);
        double estimate = 0;
        for (int t = 0; t < iterations; t++)
        {
            Blas.Gemv(Transpose.NoTrans, x.Rows, x.Columns, 1.0, x.Span, x.Columns, v, 0.0, xv);
            Blas.Gemv(Transpose.Trans, x.Rows, x.Columns, 1.0, x.Span, x.Columns, xv, 0.0, v);
            double norm = Blas.Nrm2(v);
            if (norm == 0) return 0;
            Blas.Scal(1.0 / norm, v);
            bool done = Math.Abs(norm - estimate) <= relativeTolerance * norm;
            estimate = norm;
            if (done) break;
        }
        // Power iteration approaches from below; a small margin keeps 1/ℓ a safe step.
        return estimate * (1 + 10 * relativeTolerance);
    }

    /// <summary>
    /// ‖A‖₂² of a row-major rows×cols A by power iteration, with caller-provided work buffers so a solver can
    /// call it every iteration without allocating.
    /// </summary>
    /// <param name="a">A, row-major.</param>
    /// <param name="rows">Rows of A.</param>
    /// <param name="cols">Columns of A.</param>
    /// <param name="work">At least cols + rows doubles; on return its first cols hold the top right singular
    /// vector, a good warm start for the next call.</param>
    /// <param name="iterations">Power-iteration steps.</param>
    public static double Squared(ReadOnlySpan<double> a, int rows, int cols, Span<double> work, int iterations = 30)
    {
        if (rows == 0 || cols == 0) return 0;
        if (work.Length < rows + cols) throw new ArgumentException($"work needs {rows + cols} elements.", nameof(work));
        var v = work[..cols];
        var av = work.Slice(cols, rows);
        double norm = Blas.Nrm2(v);
        if (!(norm > 0) || !double.IsFinite(norm))
            for (int j = 0; j < cols; j++) v[j] = 1.0 + 0.01 * (j % 7);
        Blas.Scal(1.0 / Blas.Nrm2(v), v);
        double estimate = 0;
        for (int t = 0; t < iterations; t++)
        {
            Blas.Gemv(Transpose.NoTrans, rows, cols, 1.0, a, cols, v, 0.0, av);
            Blas.Gemv(Transpose.Trans, rows, cols, 1.0, a, cols, av, 0.0, v);
            double next = Blas.Nrm2(v);
            if (next == 0) return 0;
            Blas.Scal(1.0 / next, v);
            bool done = Math.Abs(next - estimate) <= 1e-6 * next;
            estimate = next;
            if (done) break;
        }
        return estimate * (1 + 1e-5);
    }
}
