using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

/// <summary>
/// Linear representation learning ([XC24]'s second case study, docs/algorithms.md §5), jointly PL → PBGD-J:
/// <code>
/// f(W1, W2) = ½‖Y_val − X_val W1 W2‖²      g(W1, W2) = ½‖Y_trn − X_trn W1 W2‖²
/// </code>
/// u = vec(W1) (m×h row-major), v = vec(W2) (h×n row-major). The lower level is least squares in W2 with
/// design X_trn W1, solved by the minimum-norm SVD solve, whose numerical rank tells whether the generic-branch
/// certificate applies (it does while the rank is N). Every call works in buffers preallocated by the constructor
/// and allocates nothing managed. The data matrices are referenced, not copied (their spectral norms are cached at
/// construction): do not modify them while the problem is in use.
/// </summary>
public sealed partial class RepresentationLearningProblem : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel, Pbgd.Checkpoints.IFingerprinted
{
    private readonly Matrix _xTrain, _yTrain, _xVal, _yVal;
    private readonly int _n, _nVal, _m, _h, _out;
    private readonly double[] _aTrain, _aVal, _res, _resVal, _t, _lsA, _lsB, _singular, _powerWork, _powerDesign;
    private readonly double _trainNormSquared, _valNormSquared;
    private readonly double _rcond;

    /// <summary>Creates the problem.</summary>
    /// <param name="xTrain">X_trn, N×m.</param>
    /// <param name="yTrain">Y_trn, N×n.</param>
    /// <param name="xValidation">X_val, N'×m.</param>
    /// <param name="yValidation">Y_val, N'×n.</param>
    /// <param name="hidden">h, the inner width of W1 (m×h) and W2 (h×n).</param>
    /// <param name="rankTolerance">Relative singular-value threshold of the rank decisions.</param>
    public RepresentationLearningProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        int hidden, double rankTolerance = 1e-10)
    {
        HyperCleaningDataValidator.Validate(xTrain, yTrain, xValidation, yValidation);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        if (!(rankTolerance > 0 && rankTolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(rankTolerance), rankTolerance, "The rank tolerance must lie in (0, 1).");
        (_xTrain, _yTrain, _xVal, _yVal) = (xTrain, yTrain, xValidation, yValidation);
        (_n, _nVal, _m, _h, _out) = (xTrain.Rows, xValidation.Rows, xTrain.Columns, hidden, yTrain.Columns);
        _rcond = rankTolerance;
        _aTrain = new double[_n * _h];
        _aVal = new double[_nVal * _h];
        _res = new double[_n * _out];
        _resVal = new double[_nVal * _out];
        _t = new double[Math.Max(_n, _nVal) * _h];
        int rows = Math.Max(_nVal + _n, _h);
        _lsA = new double[rows * _h];
        _lsB = new double[rows * _out];
        _singular = new double[Math.Min(rows, _h)];
        _powerWork = new double[(_m + _h) + (_h + _out)];
        _powerDesign = new double[_h + _n];
        _trainNormSquared = SpectralNorm.Squared(xTrain);
        _valNormSquared = SpectralNorm.Squared(xValidation);
    }

    // Power-iteration budget per spectral norm in EstimateSmoothness (see its remarks).
    private const int PowerSteps = 100;

    /// <summary>m.</summary>
    public int FeatureCount => _m;

    /// <summary>h.</summary>
    public int Hidden => _h;

    /// <summary>n.</summary>
    public int OutputCount => _out;

    private string? _fingerprint;

    /// <summary>SHA-256 of the data matrices (computed once).</summary>
    public string DataFingerprint => _fingerprint ??= Pbgd.Checkpoints.Fingerprint.Of(_xTrain, _yTrain, _xVal, _yVal);

    /// <inheritdoc />
    public int UpperDimension => _m * _h;

    /// <inheritdoc />
    public int LowerDimension => _h * _out;

    /// <inheritdoc />
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV) =>
        Loss(_xVal, _yVal, _aVal, _resVal, u, v, gradU, gradV);

    /// <inheritdoc />
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV) =>
        Loss(_xTrain, _yTrain, _aTrain, _res, u, v, gradU, gradV);

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u) { }

    /// <summary>Relative singular-value threshold of the rank decisions (rcond of gelsd).</summary>
    public double RankTolerance => _rcond;

    /// <summary>
    /// Local smoothness estimates (the bilinear model has no global constant, docs/algorithms.md §3), so
    /// <see cref="Smoothness.IsLocal"/> is true and the solvers call this every iteration:
    /// <code>
    /// ℓ_f = ‖X_val‖₂²(‖W1‖₂² + ‖W2‖₂²)     ℓ_g = ‖X_trn‖₂²(‖W1‖₂² + ‖W2‖₂²)     ℓ_g in W2 = ‖X_trn W1‖₂²
    /// </code>
    /// The first two bound the Gauss–Newton part of the Hessian (‖X(dW1·W2 + W1·dW2)‖ ≤ ‖X‖₂(‖W2‖₂‖dW1‖ +
    /// ‖W1‖₂‖dW2‖), then Cauchy–Schwarz); the residual term 2⟨R, X dW1 dW2⟩ is left out as in the spec, so they
    /// are exact only near zero residual. The third is exact: g is least squares in W2 with design X_trn W1.
    /// </summary>
    /// <remarks>
    /// ‖X_trn‖₂², ‖X_val‖₂² are computed once at construction (power iteration on XᵀX). ‖W1‖₂², ‖W2‖₂² and
    /// ‖X_trn W1‖₂² are recomputed per call by power iteration (at most 100 steps, stopping when the estimate
    /// changes by less than 1e−6 relative) in preallocated buffers that keep the last singular vector: W moves
    /// little between iterations, so from the second call on the warm start converges in a few steps, whereas an
    /// SVD would cost O(m h²) and LAPACK workspace per call. The first (cold) call may need the full budget when
    /// the top two singular values are close (30 steps left ‖W1‖₂² 1.7 % low on a 9×12 Gaussian W1). Power
    /// iteration approaches from below; the result carries a 1e−5 relative margin. Allocates nothing.
    /// </remarks>
    /// <param name="u">vec(W1).</param>
    /// <param name="v">vec(W2).</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        CheckShapes(u, v, default, default);
        double w1 = SpectralNorm.Squared(u, _m, _h, _powerWork.AsSpan(0, _m + _h), PowerSteps);
        double w2 = SpectralNorm.Squared(v, _h, _out, _powerWork.AsSpan(_m + _h, _h + _out), PowerSteps);
        // X_trn W1 into the training scratch (Lower recomputes it on every call, so it holds nothing between calls).
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, 1.0, _xTrain.Span, _m, u, _h, 0.0, _aTrain, _h);
        double design = SpectralNorm.Squared(_aTrain, _n, _h, _powerDesign, PowerSteps);
        return new Smoothness(_valNormSquared * (w1 + w2), _trainNormSquared * (w1 + w2), design, IsLocal: true);
    }

    /// <summary>
    /// Numerical rank of X_trn W1 with the same threshold as <see cref="SolveLower"/> (singular values ≤
    /// <see cref="RankTolerance"/>·σ_max count as zero). The generic-branch certificate applies while it equals N.
    /// Costs one N×m by m×h product and an SVD of the N×h design; allocates nothing managed.
    /// </summary>
    /// <param name="u">vec(W1).</param>
    public int NumericalRank(ReadOnlySpan<double> u)
    {
        CheckShapes(u, default, default, default, checkV: false);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, 1.0, _xTrain.Span, _m, u, _h, 0.0, _lsA.AsSpan(0, _n * _h), _h);
        // gelsd needs a right-hand side; a zero column (max(N, h) rows) costs nothing extra.
        var rhs = _lsB.AsSpan(0, Math.Max(_n, _h));
        rhs.Clear();
        return Lapack.Gelsd(_n, _h, 1, _lsA, _h, rhs, 1, _singular, _rcond);
    }

    /// <summary>
    /// W2*(W1) = (X_trn W1)⁺ Y_trn, the minimum-norm solution by LAPACK gelsd (docs/algorithms.md §5), so that
    /// g*(W1) = ½‖(I − P)Y_trn‖² even where X_trn W1 loses rank. The returned <see cref="LowerSolveInfo.Rank"/>
    /// is gelsd's numerical rank (singular values ≤ <see cref="RankTolerance"/>·σ_max count as zero), which the
    /// solvers log: the generic-branch certificate applies while it equals N. FullRank means rank = min(N, h).
    /// </summary>
    /// <param name="u">vec(W1).</param>
    /// <param name="vStar">Output vec(W2*).</param>
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        CheckShapes(u, default, default, default, checkV: false);
        if (vStar.Length != _h * _out) throw new ArgumentException($"vStar = vec(W2*) has {vStar.Length} elements; expected h·n = {_h * _out}.", nameof(vStar));
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, 1.0, _xTrain.Span, _m, u, _h, 0.0, _lsA.AsSpan(0, _n * _h), _h);
        _yTrain.Span.CopyTo(_lsB);
        int rank = Lapack.Gelsd(_n, _h, _out, _lsA, _h, _lsB, _out, _singular, _rcond);
        _lsB.AsSpan(0, _h * _out).CopyTo(vStar);
        return new LowerSolveInfo(LowerSolveInfo.MinimumNorm, rank, rank == Math.Min(_n, _h));
    }

    /// <summary>argmin_W2 f + γg: least squares on [X_val W1; √γ X_trn W1] against [Y_val; √γ Y_trn].</summary>
    /// <param name="u">vec(W1).</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="v">Output vec(W2).</param>
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        CheckShapes(u, v, default, default);
        if (!(gamma >= 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        double s = Math.Sqrt(gamma);
        int rows = _nVal + _n;
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _nVal, _h, _m, 1.0, _xVal.Span, _m, u, _h, 0.0, _lsA.AsSpan(0, _nVal * _h), _h);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, s, _xTrain.Span, _m, u, _h, 0.0, _lsA.AsSpan(_nVal * _h, _n * _h), _h);
        _yVal.Span.CopyTo(_lsB);
        var yt = _yTrain.Span;
        for (int k = 0; k < yt.Length; k++) _lsB[_nVal * _out + k] = s * yt[k];
        int rank = Lapack.Gelsd(rows, _h, _out, _lsA, _h, _lsB, _out, _singular, _rcond);
        _lsB.AsSpan(0, _h * _out).CopyTo(v);
        return new LowerSolveInfo(LowerSolveInfo.MinimumNorm, rank, rank == Math.Min(rows, _h));
    }

    // ½‖Y − X W1 W2‖² with R = Y − X W1 W2: ∇_{W1} = −Xᵀ R W2ᵀ, ∇_{W2} = −(X W1)ᵀ R (docs/algorithms.md §5).
    private double Loss(Matrix x, Matrix y, double[] a, double[] res, ReadOnlySpan<double> u, ReadOnlySpan<double> v,
        Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        int rows = x.Rows;
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, rows, _h, _m, 1.0, x.Span, _m, u, _h, 0.0, a, _h);
        y.Span.CopyTo(res);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, rows, _out, _h, -1.0, a, _h, v, _out, 1.0, res, _out);
        double nrm = Blas.Nrm2(res);
        if (!gradV.IsEmpty)
            Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _h, _out, rows, -1.0, a, _h, res, _out, 0.0, gradV, _out);
        if (!gradU.IsEmpty)
        {
            var t = _t.AsSpan(0, rows * _h);
            Blas.Gemm(Transpose.NoTrans, Transpose.Trans, rows, _h, _out, 1.0, res, _out, v, _out, 0.0, t, _h);
            Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _h, rows, -1.0, x.Span, _m, t, _h, 0.0, gradU, _h);
        }
        return 0.5 * nrm * nrm;
    }

    private void CheckShapes(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> gradU, ReadOnlySpan<double> gradV,
        bool checkV = true)
    {
        if (u.Length != _m * _h) throw new ArgumentException($"u = vec(W1) has {u.Length} elements; expected m·h = {_m * _h}.", nameof(u));
        if (checkV && v.Length != _h * _out) throw new ArgumentException($"v = vec(W2) has {v.Length} elements; expected h·n = {_h * _out}.", nameof(v));
        if (!gradU.IsEmpty && gradU.Length != _m * _h) throw new ArgumentException($"gradU needs {_m * _h} elements.", nameof(gradU));
        if (!gradV.IsEmpty && gradV.Length != _h * _out) throw new ArgumentException($"gradV needs {_h * _out} elements.", nameof(gradV));
    }
}
