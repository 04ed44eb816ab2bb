using Pbgd.Checkpoints;
using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.LeastSquares;

/// <summary>
/// The normal equations with Cholesky (docs/algorithms.md §4 (b)), registered as "normal":
/// <code>
/// system 1:  (XᵀΨX + λI) W = XᵀΨY
/// system 2:  (X_valᵀX_val + γ(XᵀΨX + λI)) W = X_valᵀY_val + γXᵀΨY
/// </code>
/// XᵀΨX and XᵀΨY are accumulated over blocks of √ψ-scaled rows (syrk, gemm), so X is never copied, and are kept for
/// the last weights, so both systems of one iteration form them once. Features whose diagonal entry is zero (all-zero
/// columns, MNIST's blank pixels) are left out and get zero weights, the minimum-norm choice; a small but non-zero column
/// stays in (dropping it would change the fit), and the conditioning check below decides. The solve is rejected when the
/// Cholesky factor's diagonal shows a condition number above <see cref="MaxCondition"/>; otherwise one step of
/// iterative refinement against the residual recomputed from the data recovers the accuracy the squared condition
/// number costs. Buffers MKL sees are 64-byte aligned and the products with the data use the fixed-partition kernels,
/// so identical runs repeat to the bit.
/// </summary>
public sealed class NormalEquationsSolver : ILeastSquaresSolver, ISolveCost
{
    internal const string RegistryName = "normal";

    internal static LeastSquaresRegistry.SolverEntry Registration { get; } = new(RegistryName,
        "normal equations + Cholesky: XᵀΨX formed blockwise (no copy of X), rejected when the factor shows a condition number above 1e12, one refinement step",
        _ => "normal equations (Cholesky)", ReadsSinglePrecisionCopy: false, context => new NormalEquationsSolver(context.Data));

    /// <summary>Largest (max r_pp / min r_pp)² of the Cholesky factor accepted: a cheap lower bound on κ₂ of the system;
    /// beyond 1e12 the normal equations, which square the condition number, stop being trustworthy in double.</summary>
    internal const double MaxCondition = 1e12;
    private const int Block = 512;

    private readonly Matrix _yTrain, _xVal, _yVal;
    private readonly TrainRows _xTrain;
    private readonly WeightedResidualRows _residualRows;
    private readonly int _n, _m, _c;
    private readonly double[] _cachedWeights, _residual, _wT, _gT;
    // The kernels' per-part partial sums, aligned as in PairedPassBuffers.
    private readonly AlignedBuffer<double> _partialsBuffer;
    private Span<double> _partials => _partialsBuffer.Span;
    private readonly AlignedBuffer<double> _gramBuffer, _rhsBuffer, _valGramBuffer, _valRhsBuffer, _systemBuffer, _systemRhsBuffer, _blockXBuffer,
        _blockYBuffer, _correctionBuffer;
    private Span<double> _gram => _gramBuffer.Span;
    private Span<double> _rhs => _rhsBuffer.Span;
    private Span<double> _valGram => _valGramBuffer.Span;
    private Span<double> _valRhs => _valRhsBuffer.Span;
    private Span<double> _system => _systemBuffer.Span;
    private Span<double> _systemRhs => _systemRhsBuffer.Span;
    private Span<double> _blockX => _blockXBuffer.Span;
    private Span<double> _blockY => _blockYBuffer.Span;
    private Span<double> _correction => _correctionBuffer.Span;
    private readonly int[] _active;
    private readonly RowShard _shard;
    private double[] _packed = [];
    private bool _cached;

    /// <summary>Creates the solver (forms X_valᵀX_val and X_valᵀY_val once).</summary>
    /// <param name="data">The data.</param>
    public NormalEquationsSolver(LeastSquaresData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        (_xTrain, _yTrain, _xVal, _yVal) = (data.Rows, data.YTrain, data.XValidation, data.YValidation);
        _residualRows = new WeightedResidualRows(data.OutputCount);
        (_n, _m, _c) = (data.TrainCount, data.FeatureCount, data.OutputCount);
        _shard = data.Shard;
        _gramBuffer = new AlignedBuffer<double>(_m * _m);
        _rhsBuffer = new AlignedBuffer<double>(_m * _c);
        _valGramBuffer = new AlignedBuffer<double>(_m * _m);
        _valRhsBuffer = new AlignedBuffer<double>(_m * _c);
        _systemBuffer = new AlignedBuffer<double>(_m * _m);
        _systemRhsBuffer = new AlignedBuffer<double>(_m * _c);
        _blockXBuffer = new AlignedBuffer<double>(Block * _m);
        _blockYBuffer = new AlignedBuffer<double>(Block * _c);
        _cachedWeights = new double[_n];
        _residual = new double[Math.Max(_n, _xVal.Rows) * _c];
        _correctionBuffer = new AlignedBuffer<double>(_m * _c);
        _wT = new double[_c * _m];
        _gT = new double[_c * _m];
        _partialsBuffer = new AlignedBuffer<double>(Math.Max(FusedRowPass.PartialsLength(Math.Max(_n, _xVal.Rows), _m, _c),
            FusedRowPass.PartialsLength(_shard, _m, _c)));
        _active = new int[_m];
        // The validation block of system 2 does not depend on the weights: once.
        Accumulate(_xVal, _yVal, ReadOnlySpan<double>.Empty, _valGram, _valRhs);
    }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public bool Accepts(LeastSquaresSystem system) => true;

    /// <summary>The Gram update X_trnᵀΨ[X_trn|Y_trn] (N·m(m+1) + 2N·m·c flops; none when it is kept for these weights), the
    /// Cholesky factor and solves (m³/3 + 2m²c) and the refinement's pass over X_trn. N is over every process.</summary>
    double ISolveCost.ExpectedWork(LeastSquaresSystem system)
    {
        double n = _shard.GlobalRows, m = _m, c = _c;
        bool cached = _shard.All(_cached && system.Weights.SequenceEqual(_cachedWeights));
        double gram = cached ? 0 : n * m * (m + 1) + 2 * n * m * c;
        return gram + m * m * m / 3 + 2 * m * m * c + SolveCost.FlopsPerByte * n * m * _xTrain.BytesPerValue;
    }

    /// <inheritdoc />
    public bool TrySolve(LeastSquaresSystem system, Span<double> solution, out int rank)
    {
        rank = system.IsPenalized
            ? Solve(system.Weights, 1.0, system.Gamma, system.Ridge, solution)
            : Solve(system.Weights, 0.0, 1.0, system.Ridge, solution);
        return rank >= 0;
    }

    /// <summary>No state: XᵀΨX is kept for the last weights, a cache whose use never changes a result.</summary>
    public System.Text.Json.Nodes.JsonNode SaveState() => new System.Text.Json.Nodes.JsonObject();

    /// <inheritdoc />
    public void RestoreState(System.Text.Json.Nodes.JsonNode state)
    {
        if (state is not System.Text.Json.Nodes.JsonObject { Count: 0 })
            throw new InvalidDataException("the normal equations have no state: expected {}.");
    }

    // W (m×c) from the system validationWeight·X_valᵀ[X_val|Y_val] + scale·(XᵀΨ[X|Y] + ridge·I). Returns the number
    // of features kept, or −1 when the system is too ill-conditioned for the normal equations.
    private int Solve(ReadOnlySpan<double> weights, double validationWeight, double scale, double ridge, Span<double> w)
    {
        EnsureGram(weights);
        // Assemble the upper triangle of the system and its right-hand side.
        for (int i = 0; i < _m; i++)
            for (int j = i; j < _m; j++)
                _system[i * _m + j] = validationWeight * _valGram[i * _m + j] + scale * _gram[i * _m + j];
        for (int k = 0; k < _m * _c; k++) _systemRhs[k] = validationWeight * _valRhs[k] + scale * _rhs[k];
        // Keep the features whose diagonal entry is non-zero; the others (all-zero columns) cannot be determined and get 0.
        // Only an exact zero: a column 1e−7 the size of the others is determined (QR solves it), and leaving it out would
        // return a W that does not minimise the sum (2 % above the minimum in ChainTests); its tiny pivot makes the
        // conditioning check reject the system instead, and the chain goes on.
        int kept = 0;
        for (int i = 0; i < _m; i++)
            if (_system[i * _m + i] + scale * ridge > 0) _active[kept++] = i;
        if (kept == 0) { w.Clear(); return 0; }
        // Gather the reduced system in place (row-major, leading dimension kept) and factor it.
        var a = _system[..(kept * kept)];
        var b = _correction[..(kept * _c)];
        for (int p = 0; p < kept; p++)
        {
            int i = _active[p];
            for (int q = p; q < kept; q++) a[p * kept + q] = _system[Math.Min(i, _active[q]) * _m + Math.Max(i, _active[q])];
            a[p * kept + p] += scale * ridge;
            for (int j = 0; j < _c; j++) b[p * _c + j] = _systemRhs[i * _c + j];
        }
        if (!Lapack.TryPotrf(MatrixLayout.RowMajor, Triangle.Upper, kept, a, kept, out _)) return -1;
        double dMax = 0, dMin = double.MaxValue;
        for (int p = 0; p < kept; p++) { double d = a[p * kept + p]; dMax = Math.Max(dMax, d); dMin = Math.Min(dMin, d); }
        if (dMax / dMin * (dMax / dMin) > MaxCondition) return -1;
        Lapack.Potrs(Triangle.Upper, kept, _c, a, kept, b, _c);
        Scatter(b, kept, w);
        Refine(weights, validationWeight, scale, ridge, a, kept, w);
        return kept;
    }

    // One step of iterative refinement: r = (system rhs) − (system)·W from the data itself (not the Gram), then
    // W += factor⁻¹ r on the kept features.
    private void Refine(ReadOnlySpan<double> weights, double validationWeight, double scale, double ridge, ReadOnlySpan<double> factor, int kept, Span<double> w)
    {
        var full = _systemRhs; // reuse as the full-size residual XᵀΨ(Y − XW) + …
        full.Clear();
        if (validationWeight != 0) AddValidationResidual(validationWeight, w, full);
        // Collective on a distributed shard: every process refines (scale is the same everywhere).
        if (scale != 0) AddTrainResidual(weights, scale, w, full);
        if (ridge != 0) Blas.Axpy(-scale * ridge, w, full);
        var r = _correction[..(kept * _c)];
        for (int p = 0; p < kept; p++)
            for (int j = 0; j < _c; j++) r[p * _c + j] = full[_active[p] * _c + j];
        Lapack.Potrs(Triangle.Upper, kept, _c, factor, kept, r, _c);
        for (int p = 0; p < kept; p++)
            for (int j = 0; j < _c; j++) w[_active[p] * _c + j] += r[p * _c + j];
    }

    // full += weight · X_trnᵀ Ψ (Y − X_trn W): one fused pass over the shard (forward, ψ-weighted residual, backward), in
    // double whatever the storage.
    private void AddTrainResidual(ReadOnlySpan<double> weights, double weight, ReadOnlySpan<double> w, Span<double> full)
    {
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) _wT[q * _m + j] = w[j * _c + q];
        var res = _residual.AsSpan(0, _n * _c);
        var z = _trainZ ??= new double[_n * _c];
        var psi = _refineWeights ??= new double[_n];
        weights.CopyTo(psi);
        _residualRows.Set(_yTrain.Data, psi);
        try
        {
            _xTrain.Pass(_shard, _wT, _c, z, _residualRows, res, _c, _gT, _partials);
        }
        finally
        {
            _residualRows.Clear();
        }
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) full[j * _c + q] += weight * _gT[q * _m + j];
    }

    private double[]? _trainZ, _refineWeights;

    // coef = ψ_i(y_i − z_i).
    private sealed class WeightedResidualRows(int c) : IRowOperation
    {
        private double[] _y = [], _psi = [];

        internal void Set(double[] y, double[] psi) => (_y, _psi) = (y, psi);

        internal void Clear() => (_y, _psi) = ([], []);

        public void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef)
        {
            double psi = _psi[row];
            for (int j = 0; j < c; j++) coef[j] = psi * (_y[row * c + j] - z[j]);
        }
    }

    // full += weight · X_valᵀ (Y_val − X_val W): the validation rows are unweighted and whole on every process.
    private void AddValidationResidual(double weight, ReadOnlySpan<double> w, Span<double> full)
    {
        int rows = _xVal.Rows;
        var res = _residual.AsSpan(0, rows * _c);
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) _wT[q * _m + j] = w[j * _c + q];
        SkinnyMultiply.Run(_xVal.Span, rows, _m, _wT, _c, res);
        var ys = _yVal.Span;
        for (int i = 0; i < rows * _c; i++) res[i] = ys[i] - res[i];
        SkinnyTransposeMultiply.Run(_xVal.Span, rows, _m, res, _c, _gT, _partials);
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) full[j * _c + q] += weight * _gT[q * _m + j];
    }

    private void Scatter(ReadOnlySpan<double> reduced, int kept, Span<double> w)
    {
        w.Clear();
        for (int p = 0; p < kept; p++)
            for (int j = 0; j < _c; j++) w[_active[p] * _c + j] = reduced[p * _c + j];
    }

    // XᵀΨX (upper triangle) and XᵀΨY over blocks of √ψ-scaled rows; reused while the weights are unchanged.
    // Every process decides together (the accumulation is collective on a distributed shard).
    private void EnsureGram(ReadOnlySpan<double> weights)
    {
        if (_shard.All(_cached && weights.SequenceEqual(_cachedWeights))) return;
        weights.CopyTo(_cachedWeights);
        AccumulateTrain(weights);
        _cached = true;
    }

    // XᵀΨX and XᵀΨY over the training rows: each fixed part of the shard is accumulated on its own (blocks of 512 rows
    // from the part's first row, so a part's Gram does not depend on which process holds it), packed (upper triangle,
    // then XᵀΨY), and the parts are combined by the shard's tree — the same bits for any number of processes.
    private void AccumulateTrain(ReadOnlySpan<double> weights)
    {
        int width = PackedLength;
        if (_packed.Length < width) _packed = new double[width];
        var parts = new TrainParts(this, weights);
        _shard.SumParts(parts, width, _packed.AsSpan(0, width));
        Unpack(_packed, _gram, _rhs);
    }

    private int PackedLength => _m * (_m + 1) / 2 + _m * _c;

    private void Pack(ReadOnlySpan<double> gram, ReadOnlySpan<double> rhs, Span<double> packed)
    {
        int k = 0;
        for (int i = 0; i < _m; i++)
            for (int j = i; j < _m; j++) packed[k++] = gram[i * _m + j];
        rhs[..(_m * _c)].CopyTo(packed[k..]);
    }

    private void Unpack(ReadOnlySpan<double> packed, Span<double> gram, Span<double> rhs)
    {
        int k = 0;
        for (int i = 0; i < _m; i++)
            for (int j = i; j < _m; j++) gram[i * _m + j] = packed[k++];
        packed.Slice(k, _m * _c).CopyTo(rhs);
    }

    private readonly ref struct TrainParts(NormalEquationsSolver solver, ReadOnlySpan<double> weights) : IPartialSource
    {
        private readonly ReadOnlySpan<double> _weights = weights;

        public void Partial(int localPart, scoped Span<double> destination)
        {
            var s = solver;
            int start = s._shard.LocalPartStart(localPart), end = s._shard.LocalPartStart(localPart + 1);
            s.AccumulateRows(_weights, start, end);
            s.Pack(s._gram, s._rhs, destination);
        }
    }

    // Xᵀ diag(ψ or 1) [X | Y] over blocks of √ψ-scaled rows copied into aligned buffers.
    private void Accumulate(Matrix xm, Matrix ym, ReadOnlySpan<double> weights, Span<double> gram, Span<double> rhs) =>
        Accumulate(xm, ym, weights, gram, rhs, 0, xm.Rows);

    // X_trnᵀΨ[X_trn|Y_trn] over training rows [first, end) into _gram and _rhs, rows widened from the storage.
    private void AccumulateRows(ReadOnlySpan<double> weights, int first, int end)
    {
        var y = _yTrain.Span;
        if (end == first) { _gram.Clear(); _rhs.Clear(); }
        for (int start = first; start < end; start += Block)
        {
            int rows = Math.Min(Block, end - start);
            for (int i = 0; i < rows; i++)
            {
                double s = Math.Sqrt(weights[start + i]);
                _xTrain.RowScaled(start + i, s, _blockX.Slice(i * _m, _m));
                for (int j = 0; j < _c; j++) _blockY[i * _c + j] = s * y[(start + i) * _c + j];
            }
            double beta = start == first ? 0.0 : 1.0;
            Blas.Syrk(Triangle.Upper, Transpose.Trans, _m, rows, 1.0, _blockX[..(rows * _m)], _m, beta, _gram, _m);
            Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _c, rows, 1.0, _blockX[..(rows * _m)], _m,
                _blockY[..(rows * _c)], _c, beta, _rhs, _c);
        }
    }

    // Rows [first, end) only (one part of the training rows).
    private void Accumulate(Matrix xm, Matrix ym, ReadOnlySpan<double> weights, Span<double> gram, Span<double> rhs, int first, int end)
    {
        var x = xm.Span;
        var y = ym.Span;
        if (end == first) { gram.Clear(); rhs.Clear(); }
        for (int start = first; start < end; start += Block)
        {
            int rows = Math.Min(Block, end - start);
            for (int i = 0; i < rows; i++)
            {
                double s = weights.IsEmpty ? 1.0 : Math.Sqrt(weights[start + i]);
                var src = x.Slice((start + i) * _m, _m);
                var dst = _blockX.Slice(i * _m, _m);
                for (int j = 0; j < _m; j++) dst[j] = s * src[j];
                for (int j = 0; j < _c; j++) _blockY[i * _c + j] = s * y[(start + i) * _c + j];
            }
            double beta = start == first ? 0.0 : 1.0;
            Blas.Syrk(Triangle.Upper, Transpose.Trans, _m, rows, 1.0, _blockX[..(rows * _m)], _m, beta, gram, _m);
            Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _c, rows, 1.0, _blockX[..(rows * _m)], _m,
                _blockY[..(rows * _c)], _c, beta, rhs, _c);
        }
    }
}
