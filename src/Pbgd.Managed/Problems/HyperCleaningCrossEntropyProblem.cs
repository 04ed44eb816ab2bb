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
    private readonly double[] _logitsTrain, _logitsVal, _lossTrain, _coef;
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
        _logitsVal = new double[_nVal * _c];
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

    // One fused pass over x with one model (v) or two side by side (v, v2): per-row losses into loss/loss2 and,
    // when gradients are wanted, the coefficients weight_i·(softmax(z_i) − y_i) (weight_i = weights[i], or scale
    // when weights is null) into _pass.Coef and their product Xᵀ·coef into _pass.GT.
    private void Pass(Matrix? x, ReadOnlySpan<float> xSingle, Matrix y, ReadOnlySpan<double> v, ReadOnlySpan<double> v2, double[]? weights, double scale,
        double[] loss, double[]? loss2, bool gradients, RowShard? shard = null)
    {
        // xSingle: the float values the pass reads when the precision is not Double (empty otherwise; x may then be null).
        int models = v2.IsEmpty ? 1 : 2, k = models * _c, rows = y.Rows;
        Transpose(v[..(_m * _c)], _pass.WT.AsSpan(0, _c * _m));
        if (models == 2) Transpose(v2[..(_m * _c)], _pass.WT.AsSpan(_c * _m, _c * _m));
        _rows.Set(y.Data, v[(_m * _c)..], models == 2 ? v2[(_m * _c)..] : ReadOnlySpan<double>.Empty, weights, scale, loss, loss2);
        try
        {
            var coef = gradients ? _pass.Coef.AsSpan(0, rows * k) : Span<double>.Empty;
            var gT = gradients ? _pass.GT.AsSpan(0, k * _m) : Span<double>.Empty;
            if (shard is not null && xSingle.IsEmpty)
                FusedRowPass.Run(shard, x!.Span, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
            else if (shard is not null)
                FusedRowPass.Run(shard, xSingle, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
            else if (xSingle.IsEmpty)
                FusedRowPass.Run(x!.Span, rows, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
            else
                FusedRowPass.Run(xSingle, rows, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
        }
        finally
        {
            _rows.Clear();
        }
    }

    // ∇_W = Xᵀcoef + 2rW and ∇_b = Σ_i coef_i of model `index` of the last pass (`models` side by side).
    private void Gradient(ReadOnlySpan<double> v, int index, int models, int rows, double r, Span<double> grad, RowShard? shard = null)
    {
        AssembleGradient(_pass.GT.AsSpan(index * _c * _m, _c * _m), _pass.Coef, rows, models * _c, index * _c, v, r, grad, shard);
    }

    // ∇_W = Xᵀcoef + 2rW, ∇_b = Σ_i coef_i.
    private void Backward(Matrix x, ReadOnlySpan<double> coef, ReadOnlySpan<double> v, double r, Span<double> grad)
    {
        int rows = x.Rows;
        var gT = _pass.GT.AsSpan(0, _c * _m);
        SkinnyTransposeMultiply.Run(x.Span, rows, _m, coef[..(rows * _c)], _c, gT, _pass.Partials);
        AssembleGradient(gT, coef, rows, _c, 0, v, r, grad);
    }

    // grad = [vec(W-gradient) + 2rW; Σ_i coef_i] from the kernels' transposed Xᵀcoef (c×m) and the coefficient columns
    // offset…offset+c of rows of the given stride.
    private void AssembleGradient(ReadOnlySpan<double> gT, ReadOnlySpan<double> coef, int rows, int stride, int offset,
        ReadOnlySpan<double> v, double r, Span<double> grad, RowShard? shard = null)
    {
        var gw = grad[..(_m * _c)];
        for (int q = 0; q < _c; q++)
            for (int j = 0; j < _m; j++) gw[j * _c + q] = gT[q * _m + j];
        if (r > 0) Blas.Axpy(2 * r, v[..(_m * _c)], gw);
        var gb = grad[(_m * _c)..];
        gb.Clear();
        if (shard is not null)
        {
            // Over the training rows: per part, combined by the shard's tree.
            var terms = new CoefficientColumns(coef, stride, offset);
            shard.Sum(ref terms, gb);
            return;
        }
        for (int i = 0; i < rows; i++)
            for (int q = 0; q < _c; q++) gb[q] += coef[i * stride + offset + q];
    }

    // W (m×c row-major) into Wᵀ (c×m), the layout of the kernels' right-hand side.
    private void Transpose(ReadOnlySpan<double> w, Span<double> wT)
    {
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) wT[q * _m + j] = w[j * _c + q];
    }

    // The per-row step of the fused pass: add the bias, ℓ_i = s·logsumexp(z_i) − y_iᵀz_i (s = Σ_j y_ij, 1 for
    // one-hot), and the backward coefficients. Rows are disjoint across threads, so it only writes row slots.
    private sealed class SoftmaxRows(int c) : IRowOperation
    {
        private readonly double[] _bias = new double[2 * c];
        private double[] _y = [], _loss = [], _loss2 = [];
        private double[]? _weights;
        private double _scale;
        private int _models;

        internal void Set(double[] y, ReadOnlySpan<double> bias, ReadOnlySpan<double> bias2, double[]? weights, double scale, double[] loss, double[]? loss2)
        {
            bias.CopyTo(_bias);
            bias2.CopyTo(_bias.AsSpan(c));
            (_y, _weights, _scale, _loss, _loss2, _models) = (y, weights, scale, loss, loss2 ?? [], bias2.IsEmpty ? 1 : 2);
        }

        internal void Clear() => (_y, _weights, _loss, _loss2) = ([], null, [], []);

        public void Apply(int part, int row, ReadOnlySpan<double> zRow, Span<double> coef)
        {
            var y = _y.AsSpan(row * c, c);
            double weight = _weights is null ? _scale : _weights[row];
            for (int model = 0; model < _models; model++)
            {
                // z is the pass's own scratch buffer (nobody reads it afterwards): reused for the exponentials.
                var z = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
                    ref System.Runtime.InteropServices.MemoryMarshal.GetReference(zRow.Slice(model * c, c)), c);
                var b = _bias.AsSpan(model * c, c);
                double max = double.NegativeInfinity, yz = 0, ySum = 0;
                for (int j = 0; j < c; j++)
                {
                    z[j] += b[j];
                    max = Math.Max(max, z[j]);
                    yz += y[j] * z[j];
                    ySum += y[j];
                }
                // exp(z_j − max) once per class, kept in z: it serves the sum and the softmax both.
                double sumExp = 0;
                for (int j = 0; j < c; j++) sumExp += z[j] = Math.Exp(z[j] - max);
                (model == 0 ? _loss : _loss2)[row] = ySum * (max + Math.Log(sumExp)) - yz;
                if (!coef.IsEmpty)
                {
                    double share = ySum / sumExp;
                    for (int j = 0; j < c; j++) coef[model * c + j] = weight * (share * z[j] - y[j]);
                }
            }
        }
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
