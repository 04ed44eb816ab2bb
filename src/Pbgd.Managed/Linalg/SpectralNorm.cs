using Pbgd.Native;

namespace Pbgd.Linalg;

/// <summary>‖X‖₂² by power iteration on XᵀX: the smoothness constant of a least-squares block (ALGORITHMS.md §3).</summary>
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
}
