using Pbgd.Distributed;
using Pbgd.Linalg;

namespace Pbgd.Kernels;

/// <summary>
/// ‖X‖₂² of a data set whose rows may be spread over processes, by power iteration on XᵀX: each step is one fused pass
/// (Xᵀ(X·v)) on the shard, summed over every part by the shard's tree, so the estimate is the same for any number of
/// processes. The start and the stopping rule are <see cref="SpectralNorm.Squared(Matrix, int, double)"/>'s.
/// </summary>
internal static class ShardedSpectralNorm
{
    /// <summary>Estimates the largest eigenvalue of XᵀX (collective when the shard is distributed).</summary>
    /// <param name="shard">The rows this process holds.</param>
    /// <param name="x">This process's rows of X.</param>
    /// <param name="iterations">Power-iteration steps.</param>
    /// <param name="relativeTolerance">Stop once the estimate changes by less than this.</param>
    internal static double Squared(RowShard shard, Matrix x, int iterations = 100, double relativeTolerance = 1e-6) =>
        Squared(shard, new TrainRows(x ?? throw new ArgumentNullException(nameof(x))), iterations, relativeTolerance);

    /// <summary>The same over rows as stored (double, or float widened to double).</summary>
    internal static double Squared(RowShard shard, TrainRows x, int iterations = 100, double relativeTolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(x);
        if (shard.GlobalRows == 0 || x.Columns == 0) return 0;
        int m = x.Columns, rows = shard.Rows;
        var v = new double[m];
        var next = new double[m];
        var z = new double[rows];
        var coef = new double[rows];
        var partials = new double[FusedRowPass.PartialsLength(shard, m, 1)];
        for (int j = 0; j < m; j++) v[j] = 1.0 + 0.01 * (j % 7);
        Scale(v, 1.0 / Norm(v));
        double estimate = 0;
        for (int t = 0; t < iterations; t++)
        {
            x.Pass(shard, v, 1, z, Copy.Instance, coef, 1, next, partials);
            double norm = Norm(next);
            if (norm == 0) return 0;
            next.CopyTo(v, 0);
            Scale(v, 1.0 / norm);
            bool done = Math.Abs(norm - estimate) <= relativeTolerance * norm;
            estimate = norm;
            if (done) break;
        }
        return estimate * (1 + 10 * relativeTolerance);
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double e in v) s += e * e;
        return Math.Sqrt(s);
    }

    private static void Scale(Span<double> v, double factor)
    {
        for (int j = 0; j < v.Length; j++) v[j] *= factor;
    }

    // coef = z: the backward half then forms Xᵀ(X·v).
    private sealed class Copy : IRowOperation
    {
        internal static readonly Copy Instance = new();

        public void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef) => z.CopyTo(coef);
    }
}
