using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

/// <summary>
/// Data hyper-cleaning with a multinomial logistic model (the protocol of V-PBGD and benchopt, docs/algorithms.md §4):
/// <code>
/// ℓ_i(W, b) = logsumexp(Wᵀx_i + b) − y_iᵀ(Wᵀx_i + b)
/// g(u, W, b) = (1/N) Σ_i ψ(u_i) ℓ_i + r‖W‖²          f(W, b) = (1/N') Σ_j ℓ_j^val         u ∈ [−R, R]^N
/// </code>
/// v = [vec(W) (m×c row-major), b (c)]. There is no closed-form W*: use the iterative oracle; the lower-level gap
/// it reports is an estimate. Each evaluation is one fused pass over X (<see cref="FusedRowPass"/>: logits, per-row
/// softmax coefficients and Xᵀ·coef while a block of rows is in cache); <see cref="LowerPair"/> evaluates g at v and
/// at ω in a single pass with both models side by side.
/// </summary>
public sealed partial class HyperCleaningCrossEntropyProblem : IBilevelProblem, ILowerLevelPair, IPredictiveModel, Pbgd.Checkpoints.IFingerprinted
{
    private readonly Matrix _yTrain, _xVal, _yVal;
    // X_trn as stored: double (with a float copy under Single), or float only (SingleOnly).
    private readonly TrainRows _train;
    private Matrix _xTrain => _train.Double ?? throw new NotSupportedException("X_trn is kept in single precision only: RXGF's second-order products need the double storage.");
    private readonly int _n, _nVal, _m, _c;
    private readonly double _r, _radius;
    private readonly double[] _logitsTrain, _lossTrain, _coef;
    private readonly double _trainNormSquared, _valNormSquared;
    // Per-row losses at the second point and on the validation set, ψ(u_i)/N; the fused passes' workspace.
    private readonly double[] _lossStar, _lossVal, _weights;
    private readonly PairedPassBuffers _pass;
    private readonly SoftmaxRows _rows;
    // The float32 copies of X_trn and X_val the passes read under DataPrecision.Single (null otherwise).
    private readonly AlignedBuffer<float>? _xValSingle;
    private readonly SingleRows? _xTrainSingle;
    // The training rows this process holds (RowShard.Local in an ordinary run), and N over all processes.
    private readonly RowShard _shard;
    private readonly int _globalN;

    /// <summary>Creates the problem.</summary>
    /// <param name="xTrain">Training features X_trn, N×m (no bias column: the model has its own bias).</param>
    /// <param name="yTrain">One-hot (or probability) training targets, N×c.</param>
    /// <param name="xValidation">Validation features, N'×m.</param>
    /// <param name="yValidation">Validation targets, N'×c.</param>
    /// <param name="regularization">r in r‖W‖² (benchopt: 0.2; V-PBGD: 0).</param>
    /// <param name="radius">Box radius R of U.</param>
    /// <param name="precision">Storage of X for the value and gradient passes (<see cref="DataPrecision"/>).</param>
    public HyperCleaningCrossEntropyProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        double regularization = 0, double radius = 10, DataPrecision precision = DataPrecision.Double)
        : this(xTrain, yTrain, xValidation, yValidation, regularization, radius, precision, null)
    {
    }

    /// <summary>Creates the problem on the training rows this process holds of a data set spread over processes (a
    /// data-parallel run): u has one entry per local training row; f, g and the gradients in v are global, and the
    /// iterates do not depend on the number of processes (<see cref="RowShard"/>).</summary>
    /// <param name="xTrain">This process's rows of X_trn.</param>
    /// <param name="yTrain">This process's rows of Y_trn.</param>
    /// <param name="xValidation">X_val, N'×m (every process holds all of it).</param>
    /// <param name="yValidation">Y_val, N'×c.</param>
    /// <param name="regularization">r in r‖W‖² (≥ 0).</param>
    /// <param name="radius">Box radius R.</param>
    /// <param name="precision">Storage of X for the passes.</param>
    /// <param name="shard">The training rows this process holds (null: all of them, one process).</param>
    public HyperCleaningCrossEntropyProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        double regularization, double radius, DataPrecision precision, RowShard? shard)
        : this(new TrainRows(xTrain ?? throw new ArgumentNullException(nameof(xTrain))), yTrain, xValidation, yValidation, regularization, radius, precision, shard)
    {
        if (precision == DataPrecision.SingleOnly)
            throw new ArgumentException("Precision = SingleOnly needs X_trn in float only (the SingleRows constructor).", nameof(precision));
    }

    /// <summary>Creates the problem with X_trn kept in single precision only (<see cref="DataPrecision.SingleOnly"/>): the
    /// passes read the float values as <see cref="DataPrecision.Single"/>'s do, without a double copy beside them.</summary>
    /// <param name="xTrain">This process's rows of X_trn, in float.</param>
    /// <param name="yTrain">This process's rows of Y_trn.</param>
    /// <param name="xValidation">X_val, N'×m (double).</param>
    /// <param name="yValidation">Y_val, N'×c.</param>
    /// <param name="regularization">r in r‖W‖² (≥ 0).</param>
    /// <param name="radius">Box radius R.</param>
    /// <param name="shard">The training rows this process holds (null: all of them, one process).</param>
    public HyperCleaningCrossEntropyProblem(SingleRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        double regularization, double radius, RowShard? shard)
        : this(new TrainRows(xTrain ?? throw new ArgumentNullException(nameof(xTrain))), yTrain, xValidation, yValidation, regularization, radius, DataPrecision.SingleOnly, shard)
    {
    }

    private HyperCleaningCrossEntropyProblem(TrainRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        double regularization, double radius, DataPrecision precision, RowShard? shard)
    {
        if (xTrain.Single is { } single) HyperCleaningDataValidator.Validate(single, yTrain, xValidation, yValidation);
        else HyperCleaningDataValidator.Validate(xTrain.Double!, yTrain, xValidation, yValidation);
        _shard = shard ?? RowShard.Local(xTrain.Rows);
        if (_shard.Rows != xTrain.Rows) throw new ArgumentException($"the shard holds {_shard.Rows} rows but xTrain has {xTrain.Rows}.", nameof(shard));
        _globalN = _shard.GlobalRows;
        if (!(regularization >= 0) || double.IsInfinity(regularization))
            throw new ArgumentOutOfRangeException(nameof(regularization), regularization, "r must be finite and ≥ 0.");
        if (!(radius > 0) || double.IsInfinity(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and > 0.");
        (_train, _yTrain, _xVal, _yVal) = (xTrain, yTrain, xValidation, yValidation);
        (_n, _nVal, _m, _c) = (xTrain.Rows, xValidation.Rows, xTrain.Columns, yTrain.Columns);
        (_r, _radius) = (regularization, radius);
        if (!Enum.IsDefined(precision))
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown data precision.");
        Precision = precision;
        if (precision != DataPrecision.Double)
        {
            _xTrainSingle = xTrain.Single ?? SingleRows.From(xTrain.Double!, nameof(xTrain));
            _xValSingle = SingleCopy.Of(xValidation, nameof(xValidation));
        }
        _logitsTrain = new double[_n * _c];
        _lossTrain = new double[_n];
        _coef = new double[Math.Max(_n, _nVal) * _c];
        _trainNormSquared = ShardedSpectralNorm.Squared(_shard, _train);
        _valNormSquared = SpectralNorm.Squared(xValidation);
        int rows = Math.Max(_n, _nVal);
        _pass = new PairedPassBuffers(rows, _m, _c, _shard.LocalParts);
        _lossStar = new double[_n];
        _lossVal = new double[_nVal];
        _weights = new double[_n];
        _rows = new SoftmaxRows(_c);
    }

    /// <summary>Storage of X for the value and gradient passes.</summary>
    public DataPrecision Precision { get; }

    /// <summary>The training rows this process holds (a <see cref="RowShard"/> capability for the solvers' sums over u),
    /// besides the capabilities the problem implements.</summary>
    /// <typeparam name="T">The capability's interface.</typeparam>
    public T? GetCapability<T>() where T : class =>
        (_shard.IsDistributed || _train.SingleOnly) && typeof(T) == typeof(ILowerLevelSecondOrder) ? null : this as T ?? _shard as T;

    /// <summary>The training rows this process holds.</summary>
    public RowShard Shard => _shard;

    /// <summary>N.</summary>
    public int TrainCount => _n;

    /// <summary>m.</summary>
    public int FeatureCount => _m;

    /// <summary>c.</summary>
    public int ClassCount => _c;

    /// <inheritdoc />
    public int OutputCount => _c;

    private string? _fingerprint;

    /// <summary>SHA-256 of the data matrices (computed once).</summary>
    public string DataFingerprint => _fingerprint ??= Pbgd.Checkpoints.Fingerprint.Of(
        (_train.Single is { } single ? Pbgd.Checkpoints.Fingerprint.OfRows(_shard, single, _yTrain) : Pbgd.Checkpoints.Fingerprint.OfRows(_shard, _train.Double!, _yTrain))
        + Pbgd.Checkpoints.Fingerprint.Of(_xVal, _yVal) + FormattableString.Invariant($"|cross-entropy|{_r:R}|{_radius:R}{(Precision == DataPrecision.Single ? "|single" : "")}"));

    /// <inheritdoc />
    public int UpperDimension => _n;

    /// <inheritdoc />
    public int LowerDimension => _m * _c + _c;

    /// <inheritdoc />
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        if (!gradU.IsEmpty) gradU.Clear();
        Pass(_xVal, _xValSingle is null ? default : _xValSingle.Span, _yVal, v, ReadOnlySpan<double>.Empty, null, 1.0 / _nVal, _lossVal, null, !gradV.IsEmpty);
        if (!gradV.IsEmpty) Gradient(v, 0, 1, _nVal, 0, gradV);
        double total = 0;
        for (int i = 0; i < _nVal; i++) total += _lossVal[i];
        return total / _nVal;
    }

    /// <inheritdoc />
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        if (!gradV.IsEmpty) Weights(u);
        Pass(_train.Double, _xTrainSingle is null ? default : _xTrainSingle.Span, _yTrain, v, ReadOnlySpan<double>.Empty, _weights, 0, _lossTrain, null, !gradV.IsEmpty, _shard);
        if (!gradV.IsEmpty) Gradient(v, 0, 1, _n, _r, gradV, _shard);
        return Finish(u, v, _lossTrain, gradU);
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
        bool gradients = !gradV.IsEmpty || !gradVOmega.IsEmpty;
        if (gradients) Weights(u);
        Pass(_train.Double, _xTrainSingle is null ? default : _xTrainSingle.Span, _yTrain, v, omega, _weights, 0, _lossTrain, _lossStar, gradients, _shard);
        if (!gradV.IsEmpty) Gradient(v, 0, 2, _n, _r, gradV, _shard);
        if (!gradVOmega.IsEmpty) Gradient(omega, 1, 2, _n, _r, gradVOmega, _shard);
        return (Finish(u, v, _lossTrain, gradU), Finish(u, omega, _lossStar, gradUOmega));
    }

    // g from the per-row losses, summed in row order, and ∇_u g.
    // Σ ψ(u_i)ℓ_i per fixed part of the rows, the parts combined by the shard's tree (the same for any process count).
    private double Finish(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double[] losses, Span<double> gradU)
    {
        if (!gradU.IsEmpty)
            for (int i = 0; i < _n; i++) gradU[i] = Sigmoid.Derivative(u[i]) * losses[i] / _globalN;
        var terms = new WeightedLosses(u, losses);
        Span<double> sum = stackalloc double[1];
        _shard.Sum(ref terms, sum);
        double wn = Blas.Nrm2(v[..(_m * _c)]);
        return sum[0] / _globalN + _r * wn * wn;
    }

    private readonly ref struct WeightedLosses(ReadOnlySpan<double> u, ReadOnlySpan<double> losses) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _u = u, _losses = losses;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            double s = 0;
            for (int i = start; i < end; i++) s += Sigmoid.Value(_u[i]) * _losses[i];
            sums[0] = s;
        }
    }

    // Σ_i coef_i of `columns` consecutive coefficient columns, per fixed part, combined by the shard's tree.
    private readonly ref struct CoefficientColumns(ReadOnlySpan<double> coef, int stride, int offset) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _coef = coef;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            for (int i = start; i < end; i++)
                for (int q = 0; q < sums.Length; q++) sums[q] += _coef[i * stride + offset + q];
        }
    }

    private void Weights(ReadOnlySpan<double> u)
    {
        double scale = 1.0 / _globalN;
        for (int i = 0; i < _n; i++) _weights[i] = scale * Sigmoid.Value(u[i]);
    }

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u)
    {
        for (int i = 0; i < u.Length; i++) u[i] = Math.Clamp(u[i], -_radius, _radius);
    }

    /// <summary>
    /// The softmax cross-entropy Hessian in the logits is ≤ ½I, so ℓ_f ≤ ½(‖X_val‖₂² + 1)/N' and
    /// ℓ_g (in W, b) ≤ ½(‖X_trn‖₂² + 1)/N + 2r (the +1 for the bias column, ψ ≤ 1). In u we take the same
    /// heuristic as the squared model, (|ψ''|max/… + ¼)·max ℓ_i/N at the given v.
    /// </summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">Lower variable.</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        CheckShapes(u, v, Span<double>.Empty, Span<double>.Empty);
        Pass(_train.Double, _xTrainSingle is null ? default : _xTrainSingle.Span, _yTrain, v, ReadOnlySpan<double>.Empty, null, 0, _lossTrain, null, false, _shard);
        double maxLoss = 0;
        for (int i = 0; i < _n; i++) maxLoss = Math.Max(maxLoss, _lossTrain[i]);
        maxLoss = _shard.Max(maxLoss);
        double lowerInV = 0.5 * (_trainNormSquared + 1) / _globalN + 2 * _r;
        double lowerInU = (Sigmoid.MaxSecondDerivative + 0.25) * Math.Max(maxLoss, 1e-12) / _globalN;
        return new Smoothness(0.5 * (_valNormSquared + 1) / _nVal, lowerInV + lowerInU, lowerInV, IsLocal: false,
            UpperInU: 0, LowerInU: lowerInU);
    }

    /// <summary>Class scores XW + b for new data (for test accuracy).</summary>
    /// <param name="x">Features, rows×m.</param>
    /// <param name="v">The model [vec(W), b].</param>
    /// <param name="scores">Output, rows×c.</param>
    public void Scores(Matrix x, ReadOnlySpan<double> v, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != _m) throw new ArgumentException($"x has {x.Columns} features; the model has {_m}.", nameof(x));
        if (v.Length != LowerDimension) throw new ArgumentException($"v has {v.Length} elements; expected {LowerDimension}.", nameof(v));
        if (scores.Length != x.Rows * _c) throw new ArgumentException($"scores needs {x.Rows * _c} elements.", nameof(scores));
        var wT = _pass.WT.AsSpan(0, _c * _m);
        Transpose(v[..(_m * _c)], wT);
        SkinnyMultiply.Run(x.Span, x.Rows, _m, wT, _c, scores);
        var b = v[(_m * _c)..];
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < _c; j++) scores[i * _c + j] += b[j];
    }

    private void CheckShapes(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> gradU, ReadOnlySpan<double> gradV)
    {
        if (u.Length != _n) throw new ArgumentException($"u has {u.Length} elements; expected N = {_n}.", nameof(u));
        if (v.Length != LowerDimension) throw new ArgumentException($"v has {v.Length} elements; expected m·c + c = {LowerDimension}.", nameof(v));
        if (!gradU.IsEmpty && gradU.Length != _n) throw new ArgumentException($"gradU has {gradU.Length} elements; expected {_n}.", nameof(gradU));
        if (!gradV.IsEmpty && gradV.Length != LowerDimension)
            throw new ArgumentException($"gradV has {gradV.Length} elements; expected {LowerDimension}.", nameof(gradV));
    }
}
