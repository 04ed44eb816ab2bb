using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Certificates;

/// <summary>
/// Reference optima of linear representation learning on the generic branch (ALGORITHMS.md §5), independent of
/// any solver: while X_trn W1 has full row rank N the lower level forces X_trn W = Y_trn with W = W1 W2 free, so
/// <code>
/// f*_gen = min { ½‖Y_val − X_val W‖² : X_trn W = Y_trn }      min L_γ = min_W ½‖Y_γ − X_γ W‖²
/// </code>
/// with X_γ = [X_val; √γ X_trn], Y_γ = [Y_val; √γ Y_trn]. These are not global optima of the bilevel problem
/// where X_trn W1 loses rank; the solvers log that rank.
/// </summary>
public static class RepresentationLearningCertificate
{
    /// <summary>f*_gen by LAPACK gglse, one output column at a time (needs N ≤ m ≤ N + N').</summary>
    /// <param name="xTrain">X_trn, N×m (full row rank).</param>
    /// <param name="yTrain">Y_trn, N×n.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×n.</param>
    /// <returns>f*_gen and the minimising W (m×n).</returns>
    public static (double Value, Matrix W) GenericOptimumByGglse(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
    {
        Check(xTrain, yTrain, xValidation, yValidation);
        int n = xTrain.Rows, nv = xValidation.Rows, m = xTrain.Columns, outputs = yTrain.Columns;
        if (!(n <= m && m <= n + nv))
            throw new ArgumentException($"gglse needs N ≤ m ≤ N + N'; got N = {n}, m = {m}, N' = {nv}: use the KKT method.", nameof(xTrain));
        var w = new Matrix(m, outputs);
        var x = new double[m];
        double value = 0;
        for (int j = 0; j < outputs; j++)
        {
            var a = (double[])xValidation.Data.Clone();
            var b = (double[])xTrain.Data.Clone();
            var c = new double[nv];
            var d = new double[n];
            for (int i = 0; i < nv; i++) c[i] = yValidation[i, j];
            for (int i = 0; i < n; i++) d[i] = yTrain[i, j];
            Lapack.Gglse(nv, m, n, a, m, b, m, c, d, x);
            for (int k = 0; k < m; k++) w[k, j] = x[k];
        }
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < outputs; j++)
            {
                double r = yValidation[i, j];
                for (int k = 0; k < m; k++) r -= xValidation[i, k] * w[k, j];
                value += 0.5 * r * r;
            }
        return (value, w);
    }

    /// <summary>
    /// f*_gen from the KKT system [X_valᵀX_val  X_trnᵀ; X_trn  0][W; Λ] = [X_valᵀY_val; Y_trn], solved by the
    /// minimum-norm SVD solve (the matrix is symmetric indefinite and singular when X_val does not fix W on
    /// the null space of X_trn; the minimum-norm solution still attains the minimum value). Valid for any m.
    /// </summary>
    /// <param name="xTrain">X_trn, N×m.</param>
    /// <param name="yTrain">Y_trn, N×n.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×n.</param>
    /// <returns>f*_gen and the W part of the solution.</returns>
    public static (double Value, Matrix W) GenericOptimumByKkt(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
    {
        Check(xTrain, yTrain, xValidation, yValidation);
        int n = xTrain.Rows, nv = xValidation.Rows, m = xTrain.Columns, outputs = yTrain.Columns, size = m + n;
        var k = new Matrix(size, size);
        var rhs = new Matrix(size, outputs);
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, m, m, nv, 1.0, xValidation.Span, m, xValidation.Span, m, 0.0, k.Span, size);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) { k[m + i, j] = xTrain[i, j]; k[j, m + i] = xTrain[i, j]; }
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, m, outputs, nv, 1.0, xValidation.Span, m, yValidation.Span, outputs, 0.0, rhs.Span, outputs);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < outputs; j++) rhs[m + i, j] = yTrain[i, j];
        Lapack.Gelsd(size, size, outputs, k.Span, size, rhs.Span, outputs, new double[size], 1e-12);
        var w = new Matrix(m, outputs, rhs.Data.AsSpan(0, m * outputs).ToArray());
        return (HalfSquaredResidual(xValidation, yValidation, w, 1.0), w);
    }

    /// <summary>min L_γ on the generic branch: least squares on [X_val; √γ X_trn] against [Y_val; √γ Y_trn].</summary>
    /// <param name="xTrain">X_trn.</param>
    /// <param name="yTrain">Y_trn.</param>
    /// <param name="xValidation">X_val.</param>
    /// <param name="yValidation">Y_val.</param>
    /// <param name="gamma">γ &gt; 0.</param>
    /// <returns>min L_γ (= ½‖Y_γ − X_γ W‖²) and the minimising W.</returns>
    public static (double Value, Matrix W) MinimumPenalized(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation, double gamma)
    {
        Check(xTrain, yTrain, xValidation, yValidation);
        if (!(gamma > 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and > 0.");
        int n = xTrain.Rows, nv = xValidation.Rows, m = xTrain.Columns, outputs = yTrain.Columns, rows = n + nv;
        double s = Math.Sqrt(gamma);
        var a = new double[rows * m];
        var b = new double[Math.Max(rows, m) * outputs];
        xValidation.Span.CopyTo(a);
        yValidation.Span.CopyTo(b);
        for (int k = 0; k < n * m; k++) a[nv * m + k] = s * xTrain.Data[k];
        for (int k = 0; k < n * outputs; k++) b[nv * outputs + k] = s * yTrain.Data[k];
        Lapack.Gelsd(rows, m, outputs, a, m, b, outputs, new double[Math.Min(rows, m)], 1e-12);
        var w = new Matrix(m, outputs, b.AsSpan(0, m * outputs).ToArray());
        return (HalfSquaredResidual(xValidation, yValidation, w, 1.0) + HalfSquaredResidual(xTrain, yTrain, w, gamma), w);
    }

    private static double HalfSquaredResidual(Matrix x, Matrix y, Matrix w, double weight)
    {
        var r = (double[])y.Data.Clone();
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, x.Rows, w.Columns, x.Columns, -1.0, x.Span, x.Columns, w.Span, w.Columns, 1.0, r, w.Columns);
        double nrm = Blas.Nrm2(r);
        return 0.5 * weight * nrm * nrm;
    }

    private static void Check(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation) =>
        Problems.HyperCleaningData.Validate(xTrain, yTrain, xValidation, yValidation);
}
