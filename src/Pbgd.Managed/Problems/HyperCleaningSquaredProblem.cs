using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

/// <summary>
/// Data hyper-cleaning with squared loss ([XC24]'s model, docs/algorithms.md §4): per-sample weights ψ(u_i) learn to
/// down-weight corrupted training labels.
/// <code>
/// g(u, W) = ½ Σ_i ψ(u_i)‖y_i − Wᵀx_i‖² + ½λ‖W‖²      f(W) = ½‖Y_val − X_val W‖²      u ∈ [−R, R]^N
/// </code>
/// u has N entries; v = vec(W), W m×c row-major. Both lower-level solves are weighted least squares, solved as
/// <see cref="HyperCleaningSquaredOptions.ExactSolver"/> says. By default: the normal equations with Cholesky; when the
/// conditioning check rejects them, conjugate gradients on them; when those miss their backward-error tolerance,
/// LAPACK's QR (gels) while the design has full rank and the minimum-norm SVD solve (gelsd) once it does not (MNIST
/// has all-zero pixel columns and a numerically singular Gram matrix, so W* is not unique there; its fitted residuals
/// are). f and g are one fused pass over their data each (<see cref="FusedRowPass"/>); <see cref="LowerPair"/>
/// evaluates g at two points in one.
/// </summary>
public sealed partial class HyperCleaningSquaredProblem : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel, ILowerLevelPair,
    Pbgd.Checkpoints.IFingerprinted, Pbgd.Checkpoints.IResumable
{
    private readonly Matrix _xTrain, _yTrain, _xVal, _yVal;
    private readonly int _n, _nVal, _m, _c;
    private readonly double _ridge, _radius, _rcond;
    private readonly double[] _resTrain, _resVal, _weightedRes;
    private double[]? _lsA, _lsB, _singular;
    private readonly WeightedNormalEquations? _normal;
    private PcgNormalEquations? _pcg;
    private readonly double _trainNormSquared, _valNormSquared;
    private bool _lowerMinimumNorm, _penalizedMinimumNorm;
    // Exact solves answered, indexed by LowerSolveMethod.
    private readonly long[] _solveCounts = new long[Enum.GetValues<LowerSolveMethod>().Length];
    // Per-row squared residuals of up to two models, ψ(u_i); the fused passes' workspace.
    private readonly double[] _rowSquares, _rowSquares2, _psi;
    private readonly PairedPassBuffers _pass;
    private readonly ResidualRows _rows;

    /// <summary>Creates the problem from training and validation data.</summary>
    /// <param name="xTrain">Training features X_trn, N×m.</param>
    /// <param name="yTrain">Training targets Y_trn, N×c (one-hot or real).</param>
    /// <param name="xValidation">Validation features X_val, N'×m.</param>
    /// <param name="yValidation">Validation targets Y_val, N'×c.</param>
    /// <param name="options">Ridge, box radius, rank tolerance; null for the defaults.</param>
    public HyperCleaningSquaredProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        HyperCleaningSquaredOptions? options = null)
    {
        HyperCleaningDataValidator.Validate(xTrain, yTrain, xValidation, yValidation);
        options ??= new HyperCleaningSquaredOptions();
        options.Validate();

        (_xTrain, _yTrain, _xVal, _yVal) = (xTrain, yTrain, xValidation, yValidation);
        (_n, _nVal, _m, _c) = (xTrain.Rows, xValidation.Rows, xTrain.Columns, yTrain.Columns);
        (_ridge, _radius, _rcond) = (options.Ridge, options.Radius, options.RankTolerance);
        Options = options;
        _resTrain = new double[_n * _c];
        _resVal = new double[_nVal * _c];
        _weightedRes = new double[_n * _c];
        // One stacked least-squares buffer serves both solves: rows of X_val, then the weighted rows of X_trn,
        // then √λ·I for the ridge; B needs at least m rows for gels/gelsd's solution.
        _normal = options.ExactSolver != HyperCleaningExactSolver.Qr ? new WeightedNormalEquations(xTrain, yTrain, xValidation, yValidation) : null;
        // cg starts with its solver; Auto creates it the first time the normal equations are rejected (Pcg()).
        _pcg = options.ExactSolver == HyperCleaningExactSolver.ConjugateGradient ? new PcgNormalEquations(xTrain, yTrain, xValidation, yValidation, options.ConjugateGradientTolerance, options.Precision) : null;
        _trainNormSquared = SpectralNorm.Squared(xTrain);
        _valNormSquared = SpectralNorm.Squared(xValidation);
        int rows = Math.Max(_n, _nVal);
        _pass = new PairedPassBuffers(rows, _m, _c);
        _rowSquares = new double[rows];
        _rowSquares2 = new double[rows];
        _psi = new double[_n];
        _rows = new ResidualRows(_c);
    }

    /// <summary>The conjugate-gradient solver (diagnostics): created with the problem for
    /// <see cref="HyperCleaningExactSolver.ConjugateGradient"/>, for <see cref="HyperCleaningExactSolver.Auto"/> the first
    /// time the normal equations are rejected (null until then), never for <see cref="HyperCleaningExactSolver.Qr"/>.</summary>
    internal PcgNormalEquations? ConjugateGradientSolver => _pcg;

    private PcgNormalEquations Pcg() =>
        _pcg ??= new PcgNormalEquations(_xTrain, _yTrain, _xVal, _yVal, Options.ConjugateGradientTolerance, Options.Precision);

    // cg tries conjugate gradients first; Auto after the normal equations (its solver then exists too, so the order
    // is decided by the option, not by whether _pcg is set).
    private bool PcgFirst => Options.ExactSolver == HyperCleaningExactSolver.ConjugateGradient;
    private bool PcgAfterNormal => Options.ExactSolver == HyperCleaningExactSolver.Auto;

    /// <summary>The model options.</summary>
    public HyperCleaningSquaredOptions Options { get; }

    /// <summary>
    /// The exact solves answered so far (<see cref="SolveLower"/> and <see cref="MinimizePenalized"/>, including
    /// W*(u) handed out again from the conjugate-gradient solve at the same u), by the method that produced them:
    /// Cholesky, ConjugateGradient, Qr, MinimumNorm. A checkpoint carries the counts, so a resumed run's include the
    /// solves before the checkpoint.
    /// </summary>
    public IReadOnlyDictionary<LowerSolveMethod, long> SolveCounts =>
        new[] { LowerSolveMethod.Cholesky, LowerSolveMethod.ConjugateGradient, LowerSolveMethod.Qr, LowerSolveMethod.MinimumNorm }
            .ToDictionary(m => m, m => _solveCounts[(int)m]);

    /// <summary>N, the number of training samples (the length of u).</summary>
    public int TrainCount => _n;

    /// <summary>m, the number of features.</summary>
    public int FeatureCount => _m;

    /// <summary>c, the number of outputs (classes).</summary>
    public int OutputCount => _c;

    private string? _fingerprint;

    /// <summary>SHA-256 of the data matrices and of the model options the solutions depend on (computed once); the
    /// conjugate-gradient tolerance counts for <see cref="HyperCleaningExactSolver.ConjugateGradient"/> and
    /// <see cref="HyperCleaningExactSolver.Auto"/>, which both may accept solutions at it.</summary>
    public string DataFingerprint => _fingerprint ??= Pbgd.Checkpoints.Fingerprint.Of(
        Pbgd.Checkpoints.Fingerprint.Of(_xTrain, _yTrain, _xVal, _yVal) + FormattableString.Invariant($"|squared|{_ridge:R}|{_radius:R}|{_rcond:R}|{Options.ExactSolver}{(Options.ExactSolver != HyperCleaningExactSolver.Qr ? FormattableString.Invariant($"|{Options.ConjugateGradientTolerance:R}") : "")}{(Options.Precision == DataPrecision.Single ? "|single" : "")}"));

    private const double StateFormat = 2;
    private const int StateHeader = 5; // format, the two QR flags, the number of solve counts, Auto's skip counter

    /// <summary>
    /// The state the next exact solves depend on besides their arguments: whether QR already met a rank deficiency
    /// (the minimum-norm solve is then taken directly), how many more solves Auto sends straight to conjugate
    /// gradients after rejected normal equations, the solve counts (<see cref="SolveCounts"/>), and the
    /// conjugate-gradient solver's warm starts and
    /// preconditioner (<see cref="HyperCleaningExactSolver.ConjugateGradient"/>, and <see cref="HyperCleaningExactSolver.Auto"/>
    /// once it has used it). A checkpoint carries it, so a resumed run repeats the uninterrupted one to the bit.
    /// </summary>
    public System.Text.Json.Nodes.JsonNode SaveState() => Pbgd.Checkpoints.StateJson.ToNode(SaveNumbers());

    /// <summary>Restores a state from <see cref="SaveState"/> of a problem with the same data and options.</summary>
    /// <param name="state">The saved state.</param>
    public void RestoreState(System.Text.Json.Nodes.JsonNode state)
    {
        try { RestoreNumbers(Pbgd.Checkpoints.StateJson.FromNode<double[]>(state, "the squared hyper-cleaning problem's state")); }
        catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
    }

    private double[] SaveNumbers()
    {
        var state = new List<double> { StateFormat, _lowerMinimumNorm ? 1 : 0, _penalizedMinimumNorm ? 1 : 0, _solveCounts.Length, _normalSkips };
        foreach (long count in _solveCounts) state.Add(count);
        state.Add(_pcg?.StateLength ?? 0);
        _pcg?.SaveState(state);
        return [.. state];
    }

    private void RestoreNumbers(ReadOnlySpan<double> state)
    {
        if (state.IsEmpty) return;
        int counts = _solveCounts.Length, pcgAt = StateHeader + counts + 1;
        if (state.Length < pcgAt || state[0] != StateFormat || state[3] != counts)
            throw new ArgumentException("the problem state is not a squared hyper-cleaning state of this format.", nameof(state));
        int pcgLength = (int)state[pcgAt - 1];
        // cg always has its solver, Qr never; Auto has one once the normal equations were rejected.
        bool fits = state.Length == pcgAt + pcgLength && Options.ExactSolver switch
        {
            HyperCleaningExactSolver.ConjugateGradient => pcgLength == _pcg!.StateLength,
            HyperCleaningExactSolver.Auto => pcgLength == 0 || pcgLength == PcgNormalEquations.StateLengthFor(_n, _m, _c),
            _ => pcgLength == 0,
        };
        if (!fits) throw new ArgumentException($"the problem state has {state.Length} numbers, which do not fit this problem's solvers.", nameof(state));
        _lowerMinimumNorm = state[1] != 0;
        _penalizedMinimumNorm = state[2] != 0;
        _normalSkips = (int)state[4];
        for (int k = 0; k < counts; k++) _solveCounts[k] = (long)state[StateHeader + k];
        if (pcgLength > 0) Pcg().RestoreState(state[pcgAt..]);
        else if (PcgAfterNormal) _pcg = null; // not needed yet at the checkpoint: a fresh one when it is
    }

    /// <inheritdoc />
    public int UpperDimension => _n;

    /// <inheritdoc />
    public int LowerDimension => _m * _c;

    /// <inheritdoc />
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        if (!gradU.IsEmpty) gradU.Clear(); // f does not depend on u
        // ∇_W f = −X_valᵀ(Y_val − X_val W)
        ResidualPass(_xVal, _yVal, v, ReadOnlySpan<double>.Empty, null, !gradV.IsEmpty);
        if (!gradV.IsEmpty) Gradient(0, 0, gradV, v);
        double sum = 0;
        for (int i = 0; i < _nVal; i++) sum += _rowSquares[i];
        return 0.5 * sum;
    }

    /// <inheritdoc />
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        FillPsi(u);
        ResidualPass(_xTrain, _yTrain, v, ReadOnlySpan<double>.Empty, _psi, !gradV.IsEmpty);
        // ∇_W g = −X_trnᵀ Ψ R + λW
        if (!gradV.IsEmpty) Gradient(0, _ridge, gradV, v);
        return LowerValue(u, v, _rowSquares, gradU);
    }

    /// <summary>g and its gradients at v and at ω in one pass over X_trn (the two models side by side).</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">First lower point.</param>
    /// <param name="omega">Second lower point.</param>
    /// <param name="gradU">∇_u g(u, v) (empty: not wanted).</param>
    /// <param name="gradV">∇_v g(u, v) (empty: not wanted).</param>
    /// <param name="gradUOmega">∇_u g(u, ω) (empty: not wanted).</param>
    /// <param name="gradVOmega">∇_v g(u, ω) (empty: not wanted).</param>
    public (double AtV, double AtOmega) LowerPair(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> omega,
        Span<double> gradU, Span<double> gradV, Span<double> gradUOmega, Span<double> gradVOmega)
    {
        CheckShapes(u, v, gradU, gradV);
        CheckShapes(u, omega, gradUOmega, gradVOmega);
        FillPsi(u);
        // PBGD-B evaluates right where its exact solves ended; the pass that verified them already holds g there.
        if (_pcg is not null && _pcg.TryLowerPair(u, v, omega, _ridge, gradV, gradVOmega, _rowSquares, _rowSquares2))
            return (LowerValue(u, v, _rowSquares, gradU), LowerValue(u, omega, _rowSquares2, gradUOmega));
        ResidualPass(_xTrain, _yTrain, v, omega, _psi, !gradV.IsEmpty || !gradVOmega.IsEmpty);
        if (!gradV.IsEmpty) Gradient(0, _ridge, gradV, v);
        if (!gradVOmega.IsEmpty) Gradient(1, _ridge, gradVOmega, omega);
        return (LowerValue(u, v, _rowSquares, gradU), LowerValue(u, omega, _rowSquares2, gradUOmega));
    }

    private double LowerValue(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double[] rowSquares, Span<double> gradU)
    {
        double sum = 0;
        for (int i = 0; i < _n; i++)
        {
            double rr = rowSquares[i];
            sum += _psi[i] * rr;
            if (!gradU.IsEmpty) gradU[i] = 0.5 * Sigmoid.Derivative(u[i]) * rr;
        }
        double value = 0.5 * sum;
        if (_ridge > 0)
        {
            double w = Blas.Nrm2(v);
            value += 0.5 * _ridge * w * w;
        }
        return value;
    }

    private void FillPsi(ReadOnlySpan<double> u)
    {
        for (int i = 0; i < _n; i++) _psi[i] = Sigmoid.Value(u[i]);
    }

    // One fused pass: R = Y − X·[W | W2], per-row ‖r_i‖² into _rowSquares (_rowSquares2) and, when gradients are
    // wanted, −weight_i·r_i into _pass.Coef and Xᵀ·coef into _pass.GT.
    private void ResidualPass(Matrix x, Matrix y, ReadOnlySpan<double> w, ReadOnlySpan<double> w2, double[]? weights, bool gradients)
    {
        int models = w2.IsEmpty ? 1 : 2, k = models * _c, rows = x.Rows;
        TransposeInto(w, _pass.WT.AsSpan(0, _c * _m));
        if (models == 2) TransposeInto(w2, _pass.WT.AsSpan(_c * _m, _c * _m));
        _rows.Set(y.Data, weights, models, _rowSquares, _rowSquares2);
        try
        {
            FusedRowPass.Run(x.Span, rows, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows,
                gradients ? _pass.Coef.AsSpan(0, rows * k) : Span<double>.Empty, gradients ? k : 0,
                gradients ? _pass.GT.AsSpan(0, k * _m) : Span<double>.Empty, _pass.Partials);
        }
        finally
        {
            _rows.Clear();
        }
    }

    // ∇_W of model `index` of the last pass: Xᵀ·coef (from _pass.GT, transposed back to m×c) + ridge·W.
    private void Gradient(int index, double ridge, Span<double> grad, ReadOnlySpan<double> w)
    {
        var gT = _pass.GT.AsSpan(index * _c * _m, _c * _m);
        for (int q = 0; q < _c; q++)
            for (int j = 0; j < _m; j++) grad[j * _c + q] = gT[q * _m + j];
        if (ridge > 0) Blas.Axpy(ridge, w, grad);
    }

    // W (m×c row-major) into Wᵀ (c×m), the layout of the kernels' right-hand side.
    private void TransposeInto(ReadOnlySpan<double> w, Span<double> wT)
    {
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) wT[q * _m + j] = w[j * _c + q];
    }

    // The per-row step: r = y − z, ‖r‖² and the coefficients −weight·r (weight 1 without weights).
    private sealed class ResidualRows(int c) : IRowOperation
    {
        private double[] _y = [], _squares = [], _squares2 = [];
        private double[]? _weights;
        private int _models;

        internal void Set(double[] y, double[]? weights, int models, double[] squares, double[] squares2) =>
            (_y, _weights, _models, _squares, _squares2) = (y, weights, models, squares, squares2);

        internal void Clear() => (_y, _weights, _squares, _squares2) = ([], null, [], []);

        public void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef)
        {
            var y = _y.AsSpan(row * c, c);
            double weight = _weights is null ? 1.0 : _weights[row];
            for (int model = 0; model < _models; model++)
            {
                double rr = 0;
                for (int j = 0; j < c; j++)
                {
                    double r = y[j] - z[model * c + j];
                    rr += r * r;
                    if (!coef.IsEmpty) coef[model * c + j] = -weight * r;
                }
                (model == 0 ? _squares : _squares2)[row] = rr;
            }
        }
    }

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u)
    {
        for (int i = 0; i < u.Length; i++) u[i] = Math.Clamp(u[i], -_radius, _radius);
    }

    /// <summary>
    /// ℓ_f = ‖X_val‖₂², ℓ_g (in W) = ‖X_trn‖₂² + λ (ψ ≤ 1), both global. In u, ∂²g/∂u_i² = ½ψ''(u_i)‖r_i‖²
    /// with |ψ''| ≤ 1/(6√3); the u-block constant also absorbs the coupling through W*(u), for which we
    /// take ψ' ≤ ¼. The residual bound is the larger of those of W*(u) and of the given v: W*(u) alone can
    /// interpolate (zero residuals) while an inexact v-step still sees large ones. A heuristic:
    /// docs/algorithms.md §3 marks step rules as reconstructed; <c>PbgdOptions.StepScale</c> or a fixed step overrides it.
    /// </summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">Lower variable.</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        CheckShapes(u, v, Span<double>.Empty, Span<double>.Empty);
        var wStar = new double[_m * _c];
        SolveLower(u, wStar);
        double maxRow = Math.Max(MaxSquaredResidual(wStar), MaxSquaredResidual(v));
        double lowerInV = _trainNormSquared + _ridge;
        double lowerInU = (0.5 * Sigmoid.MaxSecondDerivative + 0.25) * Math.Max(maxRow, 1e-12);
        return new Smoothness(_valNormSquared, lowerInV + lowerInU, lowerInV, IsLocal: false,
            UpperInU: 0, LowerInU: lowerInU);
    }

    private double MaxSquaredResidual(ReadOnlySpan<double> w)
    {
        _yTrain.Span.CopyTo(_resTrain);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _c, _m, -1.0, _xTrain.Span, _m, w, _c, 1.0, _resTrain, _c);
        double maxRow = 0;
        for (int i = 0; i < _n; i++)
        {
            double rr = 0;
            for (int j = 0; j < _c; j++) rr += _resTrain[i * _c + j] * _resTrain[i * _c + j];
            maxRow = Math.Max(maxRow, rr);
        }
        return maxRow;
    }

    /// <summary>W*(u): weighted least squares with rows √ψ_i·[x_i | y_i] (and √λ·I for the ridge).</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="vStar">Output vec(W*), m×c row-major.</param>
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar) => Counted(SolveLowerBy(u, vStar));

    /// <summary>argmin_W f + γg: least squares on X_val stacked over √(γψ_i)·x_i (and √(γλ)·I).</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="gamma">Penalty γ ≥ 0.</param>
    /// <param name="v">Output vec(W), m×c row-major.</param>
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v) => Counted(MinimizePenalizedBy(u, gamma, v));

    private LowerSolveInfo Counted(LowerSolveInfo info)
    {
        _solveCounts[(int)info.Method]++;
        return info;
    }

    // Auto: after the normal equations were rejected, the next NormalRetryAfter solves go straight to conjugate
    // gradients. Forming XᵀΨX only to reject it again cost ~55 ms per MNIST iteration (the Demo: 10.2 s against cg's
    // 4.7 s); the rejection comes from the data's near-dependent columns, which ψ ∈ (0, 1) rescales but does not
    // remove, so it is re-checked only now and then.
    internal const int NormalRetryAfter = 50;
    private int _normalSkips;

    /// <summary>How often the normal equations were formed and tried (diagnostics and tests).</summary>
    internal int NormalEquationAttempts { get; private set; }

    private bool TryNormal(ReadOnlySpan<double> u, double validationWeight, double scale, Span<double> w, out int kept)
    {
        kept = -1;
        if (_normal is null) return false;
        if (PcgAfterNormal && _normalSkips > 0)
        {
            _normalSkips--;
            return false;
        }
        NormalEquationAttempts++;
        kept = _normal.Solve(u, validationWeight, scale, _ridge, w);
        if (kept < 0 && PcgAfterNormal) _normalSkips = NormalRetryAfter;
        return kept >= 0;
    }

    private LowerSolveInfo SolveLowerBy(ReadOnlySpan<double> u, Span<double> vStar)
    {
        CheckShapes(u, vStar, Span<double>.Empty, Span<double>.Empty);
        if (PcgFirst && _pcg!.SolveLower(u, _ridge, vStar) is var solved and >= 0)
            return new LowerSolveInfo(LowerSolveMethod.ConjugateGradient, solved, solved == _m);
        if (TryNormal(u, 0, 1.0, vStar, out int kept))
            return new LowerSolveInfo(LowerSolveMethod.Cholesky, kept, kept == _m);
        if (PcgAfterNormal && Pcg().SolveLower(u, _ridge, vStar) is var iterated and >= 0)
            return new LowerSolveInfo(LowerSolveMethod.ConjugateGradient, iterated, iterated == _m);
        int rows = FillStacked(u, 0, 1.0, _ridge);
        if (TrySolveQr(rows, vStar, ref _lowerMinimumNorm)) return new LowerSolveInfo(LowerSolveMethod.Qr, _m, true);
        if (rows >= _m) FillStacked(u, 0, 1.0, _ridge); // gels destroyed the input before it failed
        return SolveMinimumNorm(rows, vStar);
    }

    private LowerSolveInfo MinimizePenalizedBy(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        CheckShapes(u, v, Span<double>.Empty, Span<double>.Empty);
        if (!(gamma >= 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        if (PcgFirst && gamma > 0 && _pcg!.SolvePenalized(u, gamma, _ridge, v) is var solved and >= 0)
            return new LowerSolveInfo(LowerSolveMethod.ConjugateGradient, solved, solved == _m);
        if (TryNormal(u, 1.0, gamma, v, out int kept))
            return new LowerSolveInfo(LowerSolveMethod.Cholesky, kept, kept == _m);
        if (PcgAfterNormal && gamma > 0 && Pcg().SolvePenalized(u, gamma, _ridge, v) is var iterated and >= 0)
            return new LowerSolveInfo(LowerSolveMethod.ConjugateGradient, iterated, iterated == _m);
        int rows = FillStacked(u, _nVal, gamma, gamma * _ridge);
        // γ = 0 (the start of a ramp) leaves only the validation rows: rank-deficient for that call alone.
        if (gamma == 0) return SolveMinimumNorm(rows, v);
        if (TrySolveQr(rows, v, ref _penalizedMinimumNorm)) return new LowerSolveInfo(LowerSolveMethod.Qr, _m, true);
        if (rows >= _m) FillStacked(u, _nVal, gamma, gamma * _ridge);
        return SolveMinimumNorm(rows, v);
    }

    // Writes the stacked system [X_val; √(scale·ψ_i) x_i; √ridge·I] (the X_val block only when withValidation
    // rows > 0) into _lsA/_lsB; returns the number of rows.
    private int FillStacked(ReadOnlySpan<double> u, int validationRows, double scale, double ridge)
    {
        // The QR path's buffers (a scaled copy of the stacked data) exist only once QR is actually used.
        int maxRows = Math.Max(_nVal + _n + (_ridge > 0 ? _m : 0), _m);
        _lsA ??= new double[maxRows * _m];
        _lsB ??= new double[maxRows * _c];
        _singular ??= new double[_m];
        int row = 0;
        if (validationRows > 0)
        {
            _xVal.Span.CopyTo(_lsA);
            _yVal.Span.CopyTo(_lsB);
            row = validationRows;
        }
        var x = _xTrain.Span;
        var y = _yTrain.Span;
        for (int i = 0; i < _n; i++, row++)
        {
            double s = Math.Sqrt(scale * Sigmoid.Value(u[i]));
            var src = x.Slice(i * _m, _m);
            var dst = _lsA.AsSpan(row * _m, _m);
            for (int j = 0; j < _m; j++) dst[j] = s * src[j];
            for (int j = 0; j < _c; j++) _lsB[row * _c + j] = s * y[i * _c + j];
        }
        if (ridge > 0)
        {
            double s = Math.Sqrt(ridge);
            for (int j = 0; j < _m; j++, row++)
            {
                _lsA.AsSpan(row * _m, _m).Clear();
                _lsA[row * _m + j] = s;
                _lsB.AsSpan(row * _c, _c).Clear();
            }
        }
        return row;
    }

    // QR while the design has full rank. On an exact rank deficiency (e.g. all-zero feature columns) it sets
    // the sticky flag so later calls go straight to the minimum-norm solve, and returns false.
    private bool TrySolveQr(int rows, Span<double> solution, ref bool minimumNorm)
    {
        if (minimumNorm || rows < _m) return false;
        try
        {
            Lapack.Gels(Transpose.NoTrans, rows, _m, _c, _lsA, _m, _lsB, _c);
        }
        catch (MatrixSingularException)
        {
            minimumNorm = true;
            return false;
        }
        _lsB.AsSpan(0, _m * _c).CopyTo(solution);
        return true;
    }

    private LowerSolveInfo SolveMinimumNorm(int rows, Span<double> solution)
    {
        int rank = Lapack.Gelsd(rows, _m, _c, _lsA, _m, _lsB, _c, _singular, _rcond);
        _lsB.AsSpan(0, _m * _c).CopyTo(solution);
        return new LowerSolveInfo(LowerSolveMethod.MinimumNorm, rank, rank == _m);
    }

    private void CheckShapes(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> gradU, ReadOnlySpan<double> gradV)
    {
        if (u.Length != _n) throw new ArgumentException($"u has {u.Length} elements; expected N = {_n}.", nameof(u));
        if (v.Length != _m * _c) throw new ArgumentException($"v has {v.Length} elements; expected m·c = {_m * _c}.", nameof(v));
        if (!gradU.IsEmpty && gradU.Length != _n)
            throw new ArgumentException($"gradU has {gradU.Length} elements; expected {_n}.", nameof(gradU));
        if (!gradV.IsEmpty && gradV.Length != _m * _c)
            throw new ArgumentException($"gradV has {gradV.Length} elements; expected {_m * _c}.", nameof(gradV));
    }
}
