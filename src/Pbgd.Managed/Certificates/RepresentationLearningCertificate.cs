using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Certificates;

/// <summary>
/// Reference optima of linear representation learning on the generic branch (docs/algorithms.md §5), independent of
/// any solver: while X_trn W1 has full row rank N the lower level forces X_trn W = Y_trn with W = W1 W2 free, so
/// <code>
/// f*_gen = min { ½‖Y_val − X_val W‖² : X_trn W = Y_trn }      min L_γ = min_W ½‖Y_γ − X_γ W‖²
/// </code>
/// with X_γ = [X_val; √γ X_trn], Y_γ = [Y_val; √γ Y_trn]. These are not global optima of the bilevel problem
/// where X_trn W1 loses rank; the solvers log that rank.
/// </summary>
public static class RepresentationLearningCertificate
{
    /// <summary>
    /// f*_gen by the method the shape allows: <see cref="GenericOptimumByGglse"/> when N ≤ m ≤ N + N' (LAPACK's
    /// own condition), else <see cref="GenericOptimumByKkt"/>.
    /// </summary>
    /// <param name="xTrain">X_trn, N×m (full row rank).</param>
    /// <param name="yTrain">Y_trn, N×n.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×n.</param>
    /// <returns>f*_gen, the minimising W (m×n) and the method used ("gglse" or "KKT").</returns>
    public static (double Value, Matrix W, string Method) GenericOptimum(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
    {
        Check(xTrain, yTrain, xValidation, yValidation);
        int n = xTrain.Rows, nv = xValidation.Rows, m = xTrain.Columns;
        if (n <= m && m <= n + nv)
        {
            var (value, w) = GenericOptimumByGglse(xTrain, yTrain, xValidation, yValidation);
            return (value, w, "gglse");
        }
        var (kkt, wKkt) = GenericOptimumByKkt(xTrain, yTrain, xValidation, yValidation);
        return (kkt, wKkt, "KKT");
    }

    /// <summary>
    /// f*_gen by LAPACK gglse (generalised RQ factorisation), one output column at a time: min ‖y_val,j − X_val w‖
    /// subject to X_trn w = y_trn,j. Needs N ≤ m ≤ N + N', X_trn of full row rank and [X_val; X_trn] of full column
    /// rank (else the constraint may be infeasible or W* not unique). LAPACK flags only exactly zero pivots, so a
    /// numerically rank-deficient X_trn (e.g. a repeated row) would pass silently with a meaningless answer: both
    /// ranks are checked first by SVD (singular values ≤ 1e−12·σ_max count as zero).
    /// </summary>
    /// <exception cref="MatrixSingularException">X_trn or [X_val; X_trn] is numerically rank-deficient.</exception>
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
        int trainRank = NumericalRank(xTrain.Data, n, m);
        if (trainRank < n)
            throw new MatrixSingularException("dgglse", 1, $"X_trn has numerical rank {trainRank} < N = {n}: the constraint X_trn W = Y_trn need not be feasible");
        var stacked = new double[(nv + n) * m];
        xValidation.Span.CopyTo(stacked);
        xTrain.Span.CopyTo(stacked.AsSpan(nv * m));
        int stackedRank = NumericalRank(stacked, nv + n, m);
        if (stackedRank < m)
            throw new MatrixSingularException("dgglse", 2, $"[X_val; X_trn] has numerical rank {stackedRank} < m = {m}: W* is not unique");
        var w = new Matrix(m, outputs);
        var x = new double[m];
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
        return (HalfSquaredResidual(xValidation, yValidation, w, 1.0), w);
    }

    /// <summary>
    /// f*_gen from the KKT system [X_valᵀX_val  X_trnᵀ; X_trn  0][W; Λ] = [X_valᵀY_val; Y_trn], solved by the
    /// minimum-norm SVD solve (LAPACK gelsd): the matrix is symmetric indefinite, and singular when X_val does not
    /// fix W on the null space of X_trn (m &gt; N + N'); the minimum-norm solution still attains the minimum value.
    /// Valid for any m. The constraint rows are scaled by c = ‖X_val‖_F²/‖X_trn‖_F (unknowns [W; Λ/c]) so both
    /// blocks have comparable norms before gelsd's relative rank threshold (1e−12) applies.
    /// </summary>
    /// <remarks>
    /// When X_trn W = Y_trn has no solution (X_trn without full row rank, e.g. N &gt; m) the result is a least-squares
    /// compromise, not a certificate: check <see cref="ConstraintResidual"/> of the returned W.
    /// </remarks>
    /// <param name="xTrain">X_trn, N×m.</param>
    /// <param name="yTrain">Y_trn, N×n.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×n.</param>
    /// <returns>f*_gen and the W part of the solution.</returns>
    public static (double Value, Matrix W) GenericOptimumByKkt(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
    {
        Check(xTrain, yTrain, xValidation, yValidation);
        int n = xTrain.Rows, nv = xValidation.Rows, m = xTrain.Columns, outputs = yTrain.Columns, size = m + n;
        double trainNorm = xTrain.FrobeniusNorm(), valNorm = xValidation.FrobeniusNorm();
        double c = trainNorm > 0 && valNorm > 0 ? valNorm * valNorm / trainNorm : 1.0;
        var k = new Matrix(size, size);
        var rhs = new Matrix(size, outputs);
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, m, m, nv, 1.0, xValidation.Span, m, xValidation.Span, m, 0.0, k.Span, size);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) { k[m + i, j] = c * xTrain[i, j]; k[j, m + i] = c * xTrain[i, j]; }
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, m, outputs, nv, 1.0, xValidation.Span, m, yValidation.Span, outputs, 0.0, rhs.Span, outputs);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < outputs; j++) rhs[m + i, j] = c * yTrain[i, j];
        Lapack.Gelsd(size, size, outputs, k.Span, size, rhs.Span, outputs, new double[size], 1e-12);
        var w = new Matrix(m, outputs, rhs.Data.AsSpan(0, m * outputs).ToArray());
        return (HalfSquaredResidual(xValidation, yValidation, w, 1.0), w);
    }

    /// <summary>
    /// ‖X_trn W − Y_trn‖_F / max(‖Y_trn‖_F, 1e−300): how far W is from the generic branch's constraint. At a
    /// certificate from <see cref="GenericOptimumByGglse"/> or <see cref="GenericOptimumByKkt"/> it is at rounding
    /// level (≈ 1e−15) whenever the constraint is feasible.
    /// </summary>
    /// <param name="xTrain">X_trn, N×m.</param>
    /// <param name="yTrain">Y_trn, N×n.</param>
    /// <param name="w">W, m×n.</param>
    public static double ConstraintResidual(Matrix xTrain, Matrix yTrain, Matrix w)
    {
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(w);
        if (yTrain.Rows != xTrain.Rows) throw new ArgumentException($"yTrain has {yTrain.Rows} rows but xTrain has {xTrain.Rows}.", nameof(yTrain));
        if (w.Rows != xTrain.Columns || w.Columns != yTrain.Columns)
            throw new ArgumentException($"w is {w.Rows}×{w.Columns}; expected {xTrain.Columns}×{yTrain.Columns}.", nameof(w));
        double residual = Math.Sqrt(2 * HalfSquaredResidual(xTrain, yTrain, w, 1.0));
        return residual / Math.Max(yTrain.FrobeniusNorm(), 1e-300);
    }

    /// <summary>
    /// min L_γ on the generic branch (where g* = 0 and W = W1W2 is free): least squares on X_γ = [X_val; √γ X_trn]
    /// against Y_γ = [Y_val; √γ Y_trn] by gelsd (minimum norm when X_γ lacks full column rank), value
    /// ½‖Y_γ − X_γ W‖² = ½‖Y_val − X_val W‖² + (γ/2)‖Y_trn − X_trn W‖². It increases to f*_gen as γ → ∞, with
    /// f*_gen − min L_γ = O(1/γ) (docs/algorithms.md §5).
    /// </summary>
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

    // Numerical rank by SVD (gelsd with a zero right-hand side) of a copy of the rows×columns matrix.
    private static int NumericalRank(double[] a, int rows, int columns)
    {
        var copy = (double[])a.Clone();
        var rhs = new double[Math.Max(rows, columns)];
        return Lapack.Gelsd(rows, columns, 1, copy, columns, rhs, 1, new double[Math.Min(rows, columns)], 1e-12);
    }

    private static double HalfSquaredResidual(Matrix x, Matrix y, Matrix w, double weight)
    {
        var r = (double[])y.Data.Clone();
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, x.Rows, w.Columns, x.Columns, -1.0, x.Span, x.Columns, w.Span, w.Columns, 1.0, r, w.Columns);
        double nrm = Blas.Nrm2(r);
        return 0.5 * weight * nrm * nrm;
    }

    private static void Check(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation) =>
        Problems.HyperCleaningDataValidator.Validate(xTrain, yTrain, xValidation, yValidation);
}
