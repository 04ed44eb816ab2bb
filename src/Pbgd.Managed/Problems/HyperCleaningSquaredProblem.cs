using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

/// <summary>
/// Data hyper-cleaning with squared loss ([XC24]'s model, docs/algorithms.md §4): per-sample weights ψ(u_i) learn to
/// down-weight corrupted training labels.
/// <code>
/// g(u, W) = ½ Σ_i ψ(u_i)‖y_i − Wᵀx_i‖² + ½λ‖W‖²      f(W) = ½‖Y_val − X_val W‖²      u ∈ [−R, R]^N
/// </code>
/// u has N entries; v = vec(W), W m×c row-major. Both lower-level solves are weighted least squares at the weights
/// ψ(u); the problem receives the solver for them, a <see cref="LeastSquaresChain"/> (by default built from
/// <see cref="HyperCleaningSquaredOptions.ExactSolver"/>), and does not choose among solvers itself. f and g are one fused
/// pass over their data each (<see cref="FusedRowPass"/>); <see cref="LowerPair"/> evaluates g at two points in one.
/// </summary>
public sealed partial class HyperCleaningSquaredProblem : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel, ILowerLevelPair,
    IPredictiveModel, IExactSolveCounts, Pbgd.Checkpoints.IFingerprinted, Pbgd.Checkpoints.IResumable
{
    private readonly Matrix _yTrain, _xVal, _yVal;
    // X_trn as stored: double, or float only (the float-only storage mode; every double computation widens it).
    private readonly TrainRows _train;
    private Matrix _xTrain => _train.Double ?? throw new NotSupportedException("X_trn is kept in single precision only: RXGF's second-order products need the double storage.");
    private readonly int _n, _nVal, _m, _c;
    private readonly double _ridge, _radius;
    private readonly double[] _resTrain, _weightedRes;
    private readonly LeastSquaresChain _exactSolver;
    private readonly double _trainNormSquared, _valNormSquared;
    // Per-row squared residuals of up to two models, ψ(u_i); the fused passes' workspace.
    private readonly double[] _rowSquares, _rowSquares2, _psi;
    private readonly PairedPassBuffers _pass;
    private readonly ResidualRows _rows;
    // The training rows this process holds; every sum over them goes through it (RowShard.Local in an ordinary run).
    private readonly RowShard _shard;

    /// <summary>Creates the problem from training and validation data, with the exact solver the options name.</summary>
    /// <param name="xTrain">Training features X_trn, N×m.</param>
    /// <param name="yTrain">Training targets Y_trn, N×c (one-hot or real).</param>
    /// <param name="xValidation">Validation features X_val, N'×m.</param>
    /// <param name="yValidation">Validation targets Y_val, N'×c.</param>
    /// <param name="options">Ridge, box radius, exact-solver chain and its tolerances; null for the defaults.</param>
    public HyperCleaningSquaredProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        HyperCleaningSquaredOptions? options = null)
        : this(DefaultChain(xTrain, yTrain, xValidation, yValidation, options ??= new HyperCleaningSquaredOptions(), null), options, dataValidated: true)
    {
    }

    /// <summary>Creates the problem on the training rows this process holds of a data set spread over processes (a
    /// data-parallel run): u has one entry per local training row, f, g and every solve are global, and the iterates do
    /// not depend on the number of processes (<see cref="RowShard"/>).</summary>
    /// <param name="xTrain">This process's rows of X_trn (the shard's rows).</param>
    /// <param name="yTrain">This process's rows of Y_trn.</param>
    /// <param name="xValidation">X_val, N'×m (every process holds all of it).</param>
    /// <param name="yValidation">Y_val, N'×c.</param>
    /// <param name="options">Ridge, box radius, exact-solver chain and its tolerances; null for the defaults.</param>
    /// <param name="shard">The training rows this process holds (null: all of them, one process).</param>
    public HyperCleaningSquaredProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        HyperCleaningSquaredOptions? options, RowShard? shard)
        : this(DefaultChain(xTrain, yTrain, xValidation, yValidation, options ??= new HyperCleaningSquaredOptions(), shard), options, dataValidated: true)
    {
    }

    /// <summary>Creates the problem with X_trn kept in single precision only (the float-only storage mode,
    /// <see cref="DataPrecision.SingleOnly"/>): half the memory of double data; f, g, the gradients and every exact solve are
    /// computed in double on the float values, so this is the problem of X_trn rounded to float.</summary>
    /// <param name="xTrain">This process's rows of X_trn, in float.</param>
    /// <param name="yTrain">This process's rows of Y_trn.</param>
    /// <param name="xValidation">X_val, N'×m (double).</param>
    /// <param name="yValidation">Y_val, N'×c.</param>
    /// <param name="options">Options; their <see cref="HyperCleaningSquaredOptions.Precision"/> must be SingleOnly.</param>
    /// <param name="shard">The training rows this process holds (null: all of them, one process).</param>
    public HyperCleaningSquaredProblem(SingleRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        HyperCleaningSquaredOptions options, RowShard? shard)
        : this(SingleOnlyChain(xTrain, yTrain, xValidation, yValidation, options, shard), options, dataValidated: true)
    {
    }

    private static LeastSquaresChain SingleOnlyChain(SingleRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        HyperCleaningSquaredOptions options, RowShard? shard)
    {
        ArgumentNullException.ThrowIfNull(options);
        HyperCleaningDataValidator.Validate(xTrain, yTrain, xValidation, yValidation);
        options.Validate();
        if (options.Precision != DataPrecision.SingleOnly)
            throw new ArgumentException($"float-only X_trn needs Precision = SingleOnly, not {options.Precision}.", nameof(options));
        return LeastSquaresRegistry.Build(options.ExactSolver, new LeastSquaresData(xTrain, yTrain, xValidation, yValidation, shard), options.LeastSquares);
    }

    /// <summary>Creates the problem on the data of a chain of exact solvers built for it.</summary>
    /// <param name="exactSolver">The chain (<see cref="LeastSquaresRegistry.Build(string, LeastSquaresData, LeastSquaresOptions?)"/>);
    /// it must be the chain the options name, with the solver options they imply (<see cref="HyperCleaningSquaredOptions.LeastSquares"/>).</param>
    /// <param name="options">Ridge, box radius, exact-solver chain and its tolerances; null for the defaults.</param>
    public HyperCleaningSquaredProblem(LeastSquaresChain exactSolver, HyperCleaningSquaredOptions? options = null)
        : this(exactSolver, options ?? new HyperCleaningSquaredOptions(), dataValidated: false)
    {
    }

    private HyperCleaningSquaredProblem(LeastSquaresChain exactSolver, HyperCleaningSquaredOptions options, bool dataValidated)
    {
        ArgumentNullException.ThrowIfNull(exactSolver);
        var data = exactSolver.Data;
        if (!dataValidated)
        {
            if (data.Rows.Single is { } single) HyperCleaningDataValidator.Validate(single, data.YTrain, data.XValidation, data.YValidation);
            else HyperCleaningDataValidator.Validate(data.XTrain, data.YTrain, data.XValidation, data.YValidation);
        }
        if (data.Rows.SingleOnly != (options.Precision == DataPrecision.SingleOnly))
            throw new ArgumentException(data.Rows.SingleOnly
                ? $"X_trn is kept in float only, but the options ask for {options.Precision} precision: use SingleOnly."
                : "Precision = SingleOnly needs X_trn in float only (the SingleRows constructor).", nameof(options));
        options.Validate();
        if (!exactSolver.Spec.Equals(LeastSquaresChainSpec.Parse(options.ExactSolver)) || exactSolver.Options != options.LeastSquares)
            throw new ArgumentException(
                $"the exact solver is the chain '{exactSolver.Spec}' with {exactSolver.Options}, but the options name '{options.ExactSolver}' with {options.LeastSquares}: build the chain from these options.",
                nameof(exactSolver));

        (_train, _yTrain, _xVal, _yVal) = (data.Rows, data.YTrain, data.XValidation, data.YValidation);
        (_n, _nVal, _m, _c) = (data.TrainCount, data.ValidationCount, data.FeatureCount, data.OutputCount);
        (_ridge, _radius) = (options.Ridge, options.Radius);
        Options = options;
        _exactSolver = exactSolver;
        _shard = data.Shard;
        _resTrain = new double[_n * _c];
        _weightedRes = new double[_n * _c];
        _trainNormSquared = ShardedSpectralNorm.Squared(_shard, _train);
        _valNormSquared = SpectralNorm.Squared(_xVal);
        int rows = Math.Max(_n, _nVal);
        _pass = new PairedPassBuffers(rows, _m, _c, _shard.LocalParts);
        _rowSquares = new double[rows];
        _rowSquares2 = new double[rows];
        _psi = new double[_n];
        _rows = new ResidualRows(_c);
    }

    private static LeastSquaresChain DefaultChain(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation, HyperCleaningSquaredOptions options,
        RowShard? shard)
    {
        // The problem's own checks first, so a mismatch is named as the problem names it.
        HyperCleaningDataValidator.Validate(xTrain, yTrain, xValidation, yValidation);
        options.Validate();
        return LeastSquaresRegistry.Build(options.ExactSolver, new LeastSquaresData(xTrain, yTrain, xValidation, yValidation, shard), options.LeastSquares);
    }

    /// <summary>The training rows this process holds (a <see cref="RowShard"/> capability: solvers take their sums over u
    /// through it), besides the capabilities the problem implements.</summary>
    /// <typeparam name="T">The capability's interface.</typeparam>
    public T? GetCapability<T>() where T : class =>
        // RXGF's second-order products read X_trn through MKL on one process's double rows: not offered on a distributed
        // shard or float-only data.
        (_shard.IsDistributed || _train.SingleOnly) && typeof(T) == typeof(ILowerLevelSecondOrder) ? null : this as T ?? _shard as T;

    /// <summary>The training rows this process holds.</summary>
    public RowShard Shard => _shard;

    /// <summary>The model options.</summary>
    public HyperCleaningSquaredOptions Options { get; }

    /// <summary>The exact solver of both lower-level systems (its members, counts and state).</summary>
    public LeastSquaresChain ExactSolver => _exactSolver;

    /// <summary>
    /// The exact solves answered so far (<see cref="SolveLower"/> and <see cref="MinimizePenalized"/>, including W*(u)
    /// handed out again from the conjugate-gradient solve at the same u), by the solver that produced them, every member
    /// of the chain listed. A checkpoint carries the counts, so a resumed run's include the solves before the checkpoint.
    /// </summary>
    public IReadOnlyDictionary<string, long> SolveCounts => _exactSolver.SolveCounts;

    /// <inheritdoc />
    public string DescribeSolveCounts() => LeastSquaresRegistry.DescribeCounts(SolveCounts, _exactSolver.Options);

    /// <summary>The linear model's outputs X·W for new features.</summary>
    /// <param name="x">Features, rows×m.</param>
    /// <param name="v">vec(W), m×c row-major.</param>
    /// <param name="scores">Output, rows×c.</param>
    public void Scores(Matrix x, ReadOnlySpan<double> v, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != _m) throw new ArgumentException($"x has {x.Columns} features; the model has {_m}.", nameof(x));
        if (v.Length != _m * _c) throw new ArgumentException($"v has {v.Length} elements; expected {_m * _c}.", nameof(v));
        if (scores.Length != x.Rows * _c) throw new ArgumentException($"scores needs {x.Rows * _c} elements.", nameof(scores));
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, x.Rows, _c, _m, 1.0, x.Span, x.Columns, v, _c, 0.0, scores, _c);
    }

    /// <summary>N, the number of training samples this process holds (the length of u; all of them in an ordinary run).</summary>
    public int TrainCount => _n;

    /// <summary>m, the number of features.</summary>
    public int FeatureCount => _m;

    /// <summary>c, the number of outputs (classes).</summary>
    public int OutputCount => _c;

    private string? _fingerprint;

    /// <summary>SHA-256 of the data matrices and of the model options (computed once). The options enter as their JSON
    /// serialisation, with the chain in canonical form ("auto" and "normal:50,cg,qr,svd" are one chain), so an option added
    /// to <see cref="HyperCleaningSquaredOptions"/> counts without anybody remembering to add it here.</summary>
    public string DataFingerprint => _fingerprint ??= Pbgd.Checkpoints.Fingerprint.Of(
        (_train.Single is { } single ? Pbgd.Checkpoints.Fingerprint.OfRows(_shard, single, _yTrain) : Pbgd.Checkpoints.Fingerprint.OfRows(_shard, _train.Double!, _yTrain))
        + Pbgd.Checkpoints.Fingerprint.Of(_xVal, _yVal) + "|squared|"
        + System.Text.Json.JsonSerializer.Serialize(Options with { ExactSolver = _exactSolver.Spec.Text }, Pbgd.Checkpoints.StateJson.Options));

    /// <summary>
    /// The state the next exact solves depend on besides their arguments: the chain's (its counts and skip counters, and
    /// its members' states, e.g. the conjugate-gradient warm starts and QR's rank-deficiency flags). A checkpoint carries
    /// it, so a resumed run repeats the uninterrupted one to the bit.
    /// </summary>
    public System.Text.Json.Nodes.JsonNode SaveState() => _exactSolver.SaveState();

    /// <summary>Restores a state from <see cref="SaveState"/> of a problem with the same data and options.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="InvalidDataException">The state does not fit; the message names the field.</exception>
    public void RestoreState(System.Text.Json.Nodes.JsonNode state) => _exactSolver.RestoreState(state);

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
        ResidualPass(null, _yTrain, v, ReadOnlySpan<double>.Empty, _psi, !gradV.IsEmpty, _shard);
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
        // PBGD-B evaluates right where its two exact solves ended, and the pass that verified them may already hold g there
        // (VerifiedResiduals): asked with our own values, the answer saves one pass over X_trn and equals that pass's.
        // Every process takes the same branch (a distributed pass is collective).
        if (_shard.All(_exactSolver.TryRecallVerifiedResiduals(_psi, v, omega, gradV, gradVOmega, _rowSquares, _rowSquares2)))
        {
            if (_ridge > 0 && !gradV.IsEmpty) Blas.Axpy(_ridge, v, gradV);
            if (_ridge > 0 && !gradVOmega.IsEmpty) Blas.Axpy(_ridge, omega, gradVOmega);
            return (LowerValue(u, v, _rowSquares, gradU), LowerValue(u, omega, _rowSquares2, gradUOmega));
        }
        ResidualPass(null, _yTrain, v, omega, _psi, !gradV.IsEmpty || !gradVOmega.IsEmpty, _shard);
        if (!gradV.IsEmpty) Gradient(0, _ridge, gradV, v);
        if (!gradVOmega.IsEmpty) Gradient(1, _ridge, gradVOmega, omega);
        return (LowerValue(u, v, _rowSquares, gradU), LowerValue(u, omega, _rowSquares2, gradUOmega));
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

    // max_i ‖y_i − Wᵀx_i‖² over every process's rows, from the kernels' forward pass (a row's value does not depend on
    // which process holds it) and an exact maximum.
    private double MaxSquaredResidual(ReadOnlySpan<double> w)
    {
        ResidualPass(null, _yTrain, w, ReadOnlySpan<double>.Empty, null, gradients: false, _shard);
        double maxRow = 0;
        for (int i = 0; i < _n; i++) maxRow = Math.Max(maxRow, _rowSquares[i]);
        return _shard.Max(maxRow);
    }

    /// <summary>W*(u): the weighted least squares of system 1 at ψ(u) (<see cref="LeastSquaresSystem.Lower"/>), by the
    /// exact-solver chain.</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="vStar">Output vec(W*), m×c row-major.</param>
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        CheckShapes(u, vStar, Span<double>.Empty, Span<double>.Empty);
        FillPsi(u);
        return Info(_exactSolver.Solve(LeastSquaresSystem.Lower(_psi, _ridge), vStar));
    }

    /// <summary>argmin_W f + γg: system 2 at ψ(u) (<see cref="LeastSquaresSystem.Penalized"/>), by the exact-solver chain.</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="gamma">Penalty γ ≥ 0.</param>
    /// <param name="v">Output vec(W), m×c row-major.</param>
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        CheckShapes(u, v, Span<double>.Empty, Span<double>.Empty);
        if (!(gamma >= 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        FillPsi(u);
        return Info(_exactSolver.Solve(LeastSquaresSystem.Penalized(_psi, gamma, _ridge), v));
    }

    private static LowerSolveInfo Info(LeastSquaresSolution solution) => new(solution.Solver, solution.Rank, solution.FullRank);

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
