using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

/// <summary>
/// The exact lower-level solves of squared-loss hyper-cleaning by preconditioned conjugate gradients on the normal
/// equations (docs/algorithms.md §4 (c)):
/// <code>
/// system 1, W*(u):          (XᵀΨX + λI) W = XᵀΨY
/// system 2, argmin f + γg:  (X_valᵀX_val + γ(XᵀΨX + λI)) W = X_valᵀY_val + γXᵀΨY
/// </code>
/// started from the extrapolation of the previous solutions and preconditioned by the inverses of the systems at
/// an earlier u (Gram matrix in single precision, inverted through its Cholesky factor), refreshed every few solves
/// (u moves little per iteration, so a few steps suffice). Each step is one fused pass over X_trn with both systems'
/// directions side by side (X_valᵀX_val is formed once); with <see cref="DataPrecision.Single"/> that pass reads a
/// float32 copy of X_trn. A solve counts as done only
/// when the true residual, recomputed from the data as Xᵀ Ψ(Y − XW) (never as b − AW, which cancels), has normwise
/// backward error ‖R‖_F / (‖A‖_F‖W‖_F + ‖b‖_F) ≤ the tolerance (<see cref="HyperCleaningSquaredOptions.ConjugateGradientTolerance"/>); otherwise the caller falls back to the
/// direct solvers. The pass that verified both solutions also yields g and ∇_v g there, which the problem's
/// <see cref="HyperCleaningSquaredProblem.LowerPair"/> takes instead of reading X again. Features whose column of the system is zero (MNIST's blank pixels) stay at zero, the minimum-norm
/// choice. Every buffer MKL sees is 64-byte aligned and the passes use the fixed-partition kernels, so runs repeat
/// to the bit.
/// </summary>
internal sealed class PcgNormalEquations
{
    /// <summary>
    /// Default largest normwise backward error accepted for a solve. With a preconditioner a few iterations old, CG's
    /// residual on MNIST (numerically singular Gram) wanders between 1e−13 and 1e−11 for many steps before settling;
    /// 1e−11 costs 2–6 steps per solve, 1e−12 needed 7–12 (measured with --bench perf).
    /// </summary>
    internal const double DefaultTolerance = 1e-11;

    /// <summary>The backward-error tolerance in use.</summary>
    internal double Tolerance { get; }

    private const int MaxSteps = 40, Block = 1024;

    // A refresh (ssyrk over X_trn, two factorisations and inverses: ~35 ms on MNIST) costs about ten CG steps. Over
    // 62 PBGD-B iterations on MNIST (--bench perf --refresh-sweep), every 6 solves / slow > 6 steps took 315 steps and
    // 16 refreshes; every 12 / > 10, 312 steps and 9 refreshes; every 24, 355 steps and 10.

    /// <summary>Refresh the preconditioner after this many solves (tuning knob for --bench perf).</summary>
    internal int RefreshEvery { get; set; } = 12;

    /// <summary>Refresh it also after a solve that took more than this many CG steps.</summary>
    internal int SlowSteps { get; set; } = 10;
    // The preconditioner only has to be close, not exact. A shift of 1e−7·max diagonal keeps the factorisation of a
    // numerically singular Gram matrix (MNIST: rank 644 of 785) positive definite and stops CG from chasing the
    // near-null directions, whose residual contribution is negligible anyway (1e−10 took 7–11 steps, 1e−5 stalled).
    private const double Shift = 1e-7;
    private const double Extrapolation = 0.5;

    private readonly Matrix _xTrain, _yTrain;
    // Under DataPrecision.Single the A·P passes read this float copy of X_trn: CG's directions only have to be good,
    // not exact, because every solve is accepted on a true residual recomputed from the double data.
    private readonly AlignedBuffer<float>? _xTrainSingle;
    private readonly int _n, _m, _c;
    private readonly AlignedBuffer<float> _blockSingle, _gramSingle;
    private readonly AlignedBuffer<double> _gram, _valGram, _blockX, _factor1, _factor2, _reduced, _reducedProduct, _valGramProduct, _xT, _rT, _zT, _pT, _qT, _valRhsT, _product;
    private readonly double[] _b1T, _rowSquares1, _rowSquares2, _previousT, _psi, _zRows, _coef, _gT, _rho, _done, _cachedU, _refreshPsi;
    // The kernels' per-part partial sums, aligned as in PairedPassBuffers.
    private readonly AlignedBuffer<double> _partialsBuffer;
    private Span<double> _partials => _partialsBuffer.Span;
    private readonly int[] _active1, _active2;
    private readonly Rows _rows;
    private int _kept1, _kept2, _solvesSinceRefresh = int.MaxValue;
    private double _normA1, _normA2, _factorGamma = double.NaN, _factorRidge = double.NaN, _gramNorm, _valNorm;
    private bool _w1ForCachedU, _lastSlow, _pairValid;
    private int _lastResidualModels;

    internal PcgNormalEquations(Matrix xTrain, Matrix yTrain, Matrix xVal, Matrix yVal, double tolerance = DefaultTolerance,
        DataPrecision products = DataPrecision.Double)
    {
        Tolerance = tolerance;
        if (products == DataPrecision.Single)
        {
            _xTrainSingle = SingleCopy.Of(xTrain, nameof(xTrain));
        }
        (_xTrain, _yTrain) = (xTrain, yTrain);
        (_n, _m, _c) = (xTrain.Rows, xTrain.Columns, yTrain.Columns);
        int mm = _m * _m, cm = _c * _m;
        _gram = new AlignedBuffer<double>(mm);
        _valGram = new AlignedBuffer<double>(mm);
        _blockX = new AlignedBuffer<double>(Block * _m);
        _blockSingle = new AlignedBuffer<float>(Block * _m);
        _gramSingle = new AlignedBuffer<float>(mm);
        _factor1 = new AlignedBuffer<double>(mm);
        _factor2 = new AlignedBuffer<double>(mm);
        _reduced = new AlignedBuffer<double>(cm);
        _reducedProduct = new AlignedBuffer<double>(cm);
        _valGramProduct = new AlignedBuffer<double>(cm);
        _xT = new AlignedBuffer<double>(2 * cm);
        _rT = new AlignedBuffer<double>(2 * cm);
        _zT = new AlignedBuffer<double>(2 * cm);
        _pT = new AlignedBuffer<double>(2 * cm);
        _qT = new AlignedBuffer<double>(2 * cm);
        _valRhsT = new AlignedBuffer<double>(cm);
        _product = new AlignedBuffer<double>(cm);
        _previousT = new double[2 * cm];
        _b1T = new double[cm];
        _rowSquares1 = new double[_n];
        _rowSquares2 = new double[_n];
        _psi = new double[_n];
        _zRows = new double[_n * 2 * _c];
        _coef = new double[_n * 3 * _c];
        _gT = new double[3 * cm];
        _partialsBuffer = new AlignedBuffer<double>(FusedRowPass.PartialsLength(Math.Max(_n, xVal.Rows), _m, 3 * _c));
        _rho = new double[2 * _c];
        _done = new double[2];
        _cachedU = new double[_n];
        _refreshPsi = new double[_n];
        _active1 = new int[_m];
        _active2 = new int[_m];
        _rows = new Rows(_c);

        // X_valᵀX_val and (X_valᵀY_val)ᵀ do not depend on u: once.
        Gram(xVal, null, _valGram.Span);
        FusedRowPass.Run(xVal.Span, xVal.Rows, _m, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null,
            yVal.Data, _c, _valRhsT.Span, _partials);
        _valNorm = FrobeniusSymmetric(_valGram.Span);
    }

    /// <summary>W*(u) (system 1). Returns the number of features kept, or −1 when the solve did not reach the tolerance.</summary>
    internal int SolveLower(ReadOnlySpan<double> u, double ridge, Span<double> w)
    {
        if (_w1ForCachedU && u.SequenceEqual(_cachedU) && ridge == _factorRidge)
        {
            CopyOut(0, w);
            return _kept1;
        }
        if (!Solve(u, double.NaN, ridge, solvePenalized: false)) return -1;
        CopyOut(0, w);
        return _kept1;
    }

    /// <summary>argmin f + γg (system 2), solving W*(u) alongside for the oracle that follows at the same u.</summary>
    internal int SolvePenalized(ReadOnlySpan<double> u, double gamma, double ridge, Span<double> w)
    {
        if (!Solve(u, gamma, ridge, solvePenalized: true)) return -1;
        CopyOut(1, w);
        return _kept2;
    }

    /// <summary>Normwise backward errors of the last solve's systems (for tests and diagnostics).</summary>
    internal (double Lower, double Penalized) LastBackwardErrors { get; private set; }

    /// <summary>
    /// The normwise backward error, as this solver measures it, of a given W for system 1 (γ NaN) or system 2 at u
    /// (for comparing other solvers' solutions); leaves the warm starts as they were.
    /// </summary>
    internal double BackwardError(ReadOnlySpan<double> u, double gamma, double ridge, ReadOnlySpan<double> w)
    {
        int cm = _c * _m, s = double.IsNaN(gamma) ? 0 : 1;
        var saved = _xT.Span.ToArray();
        var (savedDone0, savedDone1, savedCached) = (_done[0], _done[1], _w1ForCachedU);
        for (int i = 0; i < _n; i++) _psi[i] = Sigmoid.Value(u[i]);
        if (ridge != _factorRidge || _normA1 == 0) Refresh(ridge);
        // ‖A‖_F of system 2 as FactorPenalized would set it, without refactoring: the next solve's preconditioner
        // must not depend on whether anybody measured an error in between.
        double savedNormA2 = _normA2;
        if (s == 1) _normA2 = _valNorm + gamma * (_gramNorm + ridge * Math.Sqrt(_m));
        var x = _xT.Span;
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) x[(s * _c + q) * _m + j] = w[j * _c + q];
        _done[0] = 0;
        _done[1] = s == 1 ? 0 : 2;
        TrueResidual(gamma, ridge, withRhs: true);
        _pairValid = false;
        double error = s == 0 ? LastBackwardErrors.Lower : LastBackwardErrors.Penalized;
        saved.CopyTo(_xT.Span);
        (_done[0], _done[1]) = (savedDone0, savedDone1);
        _normA2 = savedNormA2;
        // The solutions are back in place, so W*(u) stays cached; the pair reuse does not (the pass above replaced
        // the numbers it would hand out, and the problem's own pass gives the same ones).
        _w1ForCachedU = savedCached;
        return error;
    }

    /// <summary>Solves that missed the tolerance (and went to the direct solvers) so far.</summary>
    internal int Fallbacks { get; private set; }

    /// <summary>CG steps the last solve took.</summary>
    internal int LastSteps { get; private set; }

    private bool Solve(ReadOnlySpan<double> u, double gamma, double ridge, bool solvePenalized)
    {
        for (int i = 0; i < _n; i++) _psi[i] = Sigmoid.Value(u[i]);
        u.CopyTo(_cachedU);
        _w1ForCachedU = false;
        _pairValid = false;
        bool refreshed = false;
        if (_solvesSinceRefresh >= RefreshEvery || _lastSlow || ridge != _factorRidge)
        {
            Refresh(ridge);
            refreshed = true;
        }
        if (solvePenalized && !(Math.Abs(gamma - _factorGamma) <= 0.1 * _factorGamma)) FactorPenalized(gamma, ridge);
        _solvesSinceRefresh++;
        // 0: being solved; 1: the recursive residual says converged, the true one has to confirm; 2: confirmed (or
        // not asked for).
        _done[0] = 0;
        _done[1] = solvePenalized ? 0 : 2;
        Extrapolate(solvePenalized);
        LastSteps = 0;
        for (int attempt = 0; ; attempt++)
        {
            if (Iterate(gamma, ridge)) break;
            if (refreshed || attempt > 0)
            {
                Fallbacks++;
                return false;
            }
            Refresh(ridge);
            if (solvePenalized) FactorPenalized(gamma, ridge);
            refreshed = true;
        }
        _lastSlow = LastSteps > SlowSteps;
        _pairValid = _lastResidualModels == 2;
        _solves++;
        _steps += LastSteps;
        _w1ForCachedU = true;
        _previousValid[0] = true;
        _previousValid[1] = solvePenalized;
        return true;
    }

    // u moves along a smooth path, so the solutions do too: start from W_k + θ(W_k − W_{k−1}) rather than from W_k.
    // The full step θ = 1 also doubles whatever the last solve changed in the near-null directions of the Gram
    // matrix, which CG then spends ~11 steps undoing; θ = ½ measured 315 CG steps and 16 refreshes over 63 MNIST solves
    // at backward error 1e−11, against 370 and 27 for θ = 1 and 342 and 14 for no extrapolation.
    private void Extrapolate(bool solvePenalized)
    {
        int cm = _c * _m;
        var x = _xT.Span;
        var previous = _previousT.AsSpan();
        for (int s = 0; s < (solvePenalized ? 2 : 1); s++)
        {
            var xs = x.Slice(s * cm, cm);
            var ps = previous.Slice(s * cm, cm);
            if (_previousValid[s] && _haveTwo[s])
                for (int k = 0; k < cm; k++) (xs[k], ps[k]) = (xs[k] + Extrapolation * (xs[k] - ps[k]), xs[k]);
            else
                xs.CopyTo(ps);
            _haveTwo[s] = _previousValid[s];
            _previousValid[s] = false;
        }
    }

    private readonly bool[] _previousValid = new bool[2], _haveTwo = new bool[2];

    // Up to three rounds of: true residual (checked against the tolerance), then CG until the recursive residual is
    // well below it. True when every active system passed the true-residual check.
    private bool Iterate(double gamma, double ridge)
    {
        for (int round = 0; round < 3; round++)
        {
            if (TrueResidual(gamma, ridge, withRhs: round == 0)) return true;
            var x = _xT.Span;
            var r = _rT.Span;
            var z = _zT.Span;
            var p = _pT.Span;
            var q = _qT.Span;
            Precondition(r, z);
            z.CopyTo(p);
            for (int j = 0; j < 2 * _c; j++) _rho[j] = Dot(r, z, j);
            for (int step = 0; step < MaxSteps; step++)
            {
                Apply(p, q, gamma, ridge);
                LastSteps++;
                for (int j = 0; j < 2 * _c; j++)
                {
                    if (_done[j / _c] != 0) continue;
                    double pq = Dot(p, q, j);
                    double alpha = pq > 0 ? _rho[j] / pq : 0;
                    var xj = x.Slice(j * _m, _m);
                    var rj = r.Slice(j * _m, _m);
                    var pj = p.Slice(j * _m, _m);
                    var qj = q.Slice(j * _m, _m);
                    for (int i = 0; i < _m; i++) { xj[i] += alpha * pj[i]; rj[i] -= alpha * qj[i]; }
                }
                if (RecursiveConverged()) break;
                Precondition(r, z);
                for (int j = 0; j < 2 * _c; j++)
                {
                    if (_done[j / _c] != 0) continue;
                    double rho = Dot(r, z, j);
                    double beta = _rho[j] > 0 ? rho / _rho[j] : 0;
                    _rho[j] = rho;
                    var pj = p.Slice(j * _m, _m);
                    var zj = z.Slice(j * _m, _m);
                    for (int i = 0; i < _m; i++) pj[i] = zj[i] + beta * pj[i];
                }
            }
        }
        return false;
    }

    // The recursive residual is trusted only as a stopping hint: the true residual decides.
    private bool RecursiveConverged()
    {
        var r = _rT.Span;
        var x = _xT.Span;
        bool all = true;
        for (int s = 0; s < 2; s++)
        {
            if (_done[s] != 0) continue;
            double rr = 0, xx = 0;
            for (int k = s * _c * _m; k < (s + 1) * _c * _m; k++) { rr += r[k] * r[k]; xx += x[k] * x[k]; }
            if (Math.Sqrt(rr) <= 0.5 * Tolerance * ((s == 0 ? _normA1 : _normA2) * Math.Sqrt(xx) + _bNorm[s])) _done[s] = 1;
            else all = false;
        }
        return all;
    }

    private readonly double[] _bNorm = new double[2];

    // R = b − A·W from the data (one pass over X_trn for both systems, which also yields b); marks the systems that
    // meet the tolerance as done and records their backward errors.
    private bool TrueResidual(double gamma, double ridge, bool withRhs)
    {
        long phaseStart = System.Diagnostics.Stopwatch.GetTimestamp();
        var x = _xT.Span;
        var r = _rT.Span;
        int cm = _c * _m;
        // Only the systems still being solved go through the pass (c or 2c columns), plus XᵀΨY once per solve.
        int models = _done[1] == 2 ? 1 : 2, outputs = models + (withRhs ? 1 : 0);
        _rows.Set(_yTrain.Data, _psi, Rows.Mode.Residual, models, withRhs, _rowSquares1, _rowSquares2);
        try
        {
            FusedRowPass.Run(_xTrain.Span, _n, _m, x[..(models * cm)], models * _c, _zRows, _rows, _coef.AsSpan(0, _n * outputs * _c),
                outputs * _c, _gT.AsSpan(0, outputs * cm), _partials);
        }
        finally
        {
            _rows.Clear();
        }
        _lastResidualModels = models;
        // System 1: R1 = Xᵀψ(Y − XW1) − λW1, b1 = XᵀψY.
        if (withRhs) _gT.AsSpan(models * cm, cm).CopyTo(_b1T);
        var b1 = _b1T.AsSpan();
        for (int k = 0; k < cm; k++) r[k] = _gT[k] - ridge * x[k];
        _bNorm[0] = Norm(b1);
        // System 2: R2 = X_valᵀY_val − X_valᵀX_val·W2 + γ(Xᵀψ(Y − XW2) − λW2), b2 = X_valᵀY_val + γXᵀψY.
        double lowerError = Error(0), penalizedError = double.NaN;
        if (models == 2)
        {
            ValGramTimes(x.Slice(cm, cm), _product.Span);
            var product = _product.Span;
            var valRhs = _valRhsT.Span;
            double bb = 0;
            for (int k = 0; k < cm; k++)
            {
                r[cm + k] = valRhs[k] - product[k] + gamma * (_gT[cm + k] - ridge * x[cm + k]);
                double b = valRhs[k] + gamma * b1[k];
                bb += b * b;
            }
            _bNorm[1] = Math.Sqrt(bb);
            penalizedError = Error(1);
        }
        LastBackwardErrors = (lowerError, penalizedError);
        _done[0] = lowerError <= Tolerance ? 2 : 0;
        if (models == 2) _done[1] = penalizedError <= Tolerance ? 2 : 0;
        PhaseSeconds[0] += System.Diagnostics.Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
        return _done[0] == 2 && _done[1] == 2;
    }

    /// <summary>
    /// g and ∇_v g at v = the last penalized solution and ω = the last W*(u), from the pass that verified them (the
    /// solver evaluates exactly there right after the solves): the same numbers the problem's own pass would give,
    /// bit for bit, without reading X again. False when the last solve did not leave both (other points, other u).
    /// </summary>
    internal bool TryLowerPair(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> omega, double ridge,
        Span<double> gradV, Span<double> gradOmega, double[] rowSquaresV, double[] rowSquaresOmega)
    {
        if (!_pairValid || !u.SequenceEqual(_cachedU)) return false;
        int cm = _c * _m;
        var x = _xT.Span;
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++)
                if (x[(_c + q) * _m + j] != v[j * _c + q] || x[q * _m + j] != omega[j * _c + q]) return false;
        // The problem's gradient is Xᵀ(−ψr) + λW: negating the pass's Xᵀ(ψr) is exact, and Axpy adds λW as it does.
        if (!gradV.IsEmpty)
        {
            for (int q = 0; q < _c; q++)
                for (int j = 0; j < _m; j++) gradV[j * _c + q] = -_gT[cm + q * _m + j];
            if (ridge > 0) Blas.Axpy(ridge, v, gradV);
        }
        if (!gradOmega.IsEmpty)
        {
            for (int q = 0; q < _c; q++)
                for (int j = 0; j < _m; j++) gradOmega[j * _c + q] = -_gT[q * _m + j];
            if (ridge > 0) Blas.Axpy(ridge, omega, gradOmega);
        }
        _rowSquares2.AsSpan(0, _n).CopyTo(rowSquaresV);
        _rowSquares1.AsSpan(0, _n).CopyTo(rowSquaresOmega);
        PairReuses++;
        return true;
    }

    /// <summary>How often <see cref="TryLowerPair"/> answered from the verifying pass.</summary>
    internal int PairReuses { get; private set; }

    private double Error(int s)
    {
        int cm = _c * _m;
        double denominator = (s == 0 ? _normA1 : _normA2) * Norm(_xT.Span.Slice(s * cm, cm)) + _bNorm[s];
        double residual = Norm(_rT.Span.Slice(s * cm, cm));
        return residual == 0 ? 0 : residual / denominator;
    }

    // Q = A·P for both systems: one fused pass gives T = XᵀΨX·P.
    private void Apply(Span<double> p, Span<double> q, double gamma, double ridge)
    {
        long phaseStart = System.Diagnostics.Stopwatch.GetTimestamp();
        int cm = _c * _m;
        int models = _done[1] == 0 ? 2 : 1;
        _rows.Set(_yTrain.Data, _psi, Rows.Mode.Weighted, models);
        try
        {
            if (_xTrainSingle is null)
                FusedRowPass.Run(_xTrain.Span, _n, _m, p[..(models * cm)], models * _c, _zRows, _rows, _coef.AsSpan(0, _n * models * _c),
                    models * _c, _gT.AsSpan(0, models * cm), _partials);
            else
                FusedRowPass.Run(_xTrainSingle.Span, _n, _m, p[..(models * cm)], models * _c, _zRows, _rows, _coef.AsSpan(0, _n * models * _c),
                    models * _c, _gT.AsSpan(0, models * cm), _partials);
        }
        finally
        {
            _rows.Clear();
        }
        for (int k = 0; k < cm; k++) q[k] = _gT[k] + ridge * p[k];
        if (models == 2)
        {
            ValGramTimes(p.Slice(cm, cm), _product.Span);
            var product = _product.Span;
            for (int k = 0; k < cm; k++) q[cm + k] = product[k] + gamma * (_gT[cm + k] + ridge * p[cm + k]);
        }
        PhaseSeconds[1] += System.Diagnostics.Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
    }

    // (X_valᵀX_val·W)ᵀ = Wᵀ·X_valᵀX_val for W given transposed (c×m).
    // X_valᵀX_val is symmetric, so its rows times Wᵀ's rows give (X_valᵀX_val·W) m×c through the skinny kernel
    // (~0.1 ms on MNIST; MKL's dgemm for this 10×785×785 shape took ~0.5 ms, once per CG step), then transposed.
    private void ValGramTimes(ReadOnlySpan<double> wT, Span<double> result)
    {
        var product = _valGramProduct.Span;
        FusedRowPass.Run(_valGram.Span, _m, _m, wT, _c, product, null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty);
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) result[q * _m + j] = product[j * _c + q];
    }

    // Z = M⁻¹R per system on its kept features (zero elsewhere); done systems get Z = 0.
    private void Precondition(ReadOnlySpan<double> r, Span<double> z)
    {
        long phaseStart = System.Diagnostics.Stopwatch.GetTimestamp();
        z.Clear();
        for (int s = 0; s < 2; s++)
        {
            if (_done[s] != 0) continue;
            int kept = s == 0 ? _kept1 : _kept2;
            var active = s == 0 ? _active1 : _active2;
            var inverse = (s == 0 ? _factor1 : _factor2).Span[..(kept * kept)];
            var red = _reduced.Span[..(kept * _c)];
            var product = _reducedProduct.Span[..(kept * _c)];
            // Rᵀ on the kept features is the kernel's right-hand side (c×kept); M⁻¹R comes back kept×c.
            for (int j = 0; j < _c; j++)
                for (int p = 0; p < kept; p++) red[j * kept + p] = r[(s * _c + j) * _m + active[p]];
            if (kept > 0)
                FusedRowPass.Run(inverse, kept, kept, red, _c, product, null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty);
            for (int j = 0; j < _c; j++)
                for (int p = 0; p < kept; p++) z[(s * _c + j) * _m + active[p]] = product[p * _c + j];
        }
        PhaseSeconds[2] += System.Diagnostics.Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
    }

    // The Gram matrix XᵀΨX at the current u, and the factor of system 1.
    private void Refresh(double ridge)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        Refreshes++;
        _psi.CopyTo(_refreshPsi);
        Rebuild(ridge);
        _solvesSinceRefresh = 0;
        _lastSlow = false;
        RefreshSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    // The preconditioner of system 1 from the weights ψ of the last refresh (_refreshPsi): a function of those
    // weights and the ridge alone, so a restored state rebuilds it to the bit.
    private void Rebuild(double ridge)
    {
        GramSingle(_refreshPsi);
        _gramNorm = FrobeniusSymmetric(_gram.Span);
        _factorRidge = ridge;
        _kept1 = Factor(0, 1, ridge, _factor1.Span, _active1);
        _normA1 = _gramNorm + ridge * Math.Sqrt(_m);
        _factorGamma = double.NaN;
    }

    /// <summary>Length of <see cref="SaveState"/>'s output.</summary>
    internal int StateLength => StateLengthFor(_n, _m, _c);

    /// <summary>Length of the state of a solver for N samples, m features and c outputs.</summary>
    internal static int StateLengthFor(int n, int m, int c) => 4 * c * m + 2 * n + 10;

    /// <summary>
    /// Appends everything the next solves depend on besides their arguments, for a checkpoint: the last solutions and
    /// the ones before (the warm starts), the preconditioner's age and the weights ψ and γ it was factored at (it is
    /// rebuilt from them, not stored), and the u whose W*(u) <see cref="SolveLower"/> may hand out again. With it
    /// restored, a resumed run's solves repeat the uninterrupted run's to the bit.
    /// </summary>
    internal void SaveState(List<double> state)
    {
        int start = state.Count;
        foreach (double x in _xT.Span) state.Add(x);
        state.AddRange(_previousT);
        state.AddRange(_refreshPsi);
        state.AddRange(_cachedU);
        state.Add(_previousValid[0] ? 1 : 0);
        state.Add(_previousValid[1] ? 1 : 0);
        state.Add(_haveTwo[0] ? 1 : 0);
        state.Add(_haveTwo[1] ? 1 : 0);
        state.Add(_w1ForCachedU ? 1 : 0);
        state.Add(_lastSlow ? 1 : 0);
        state.Add(_solvesSinceRefresh);
        state.Add(double.IsNaN(_factorRidge) ? 0 : 1);
        state.Add(_factorRidge);
        state.Add(_factorGamma);
        if (state.Count - start != StateLength) throw new InvalidOperationException("PCG state length out of step with StateLength.");
    }

    /// <summary>Restores a state written by <see cref="SaveState"/> (exactly <see cref="StateLength"/> numbers).</summary>
    internal void RestoreState(ReadOnlySpan<double> state)
    {
        if (state.Length != StateLength)
            throw new ArgumentException($"the conjugate-gradient state has {state.Length} numbers; expected {StateLength}.", nameof(state));
        int cm2 = 2 * _c * _m, k = 0;
        state.Slice(k, cm2).CopyTo(_xT.Span); k += cm2;
        state.Slice(k, cm2).CopyTo(_previousT); k += cm2;
        state.Slice(k, _n).CopyTo(_refreshPsi); k += _n;
        state.Slice(k, _n).CopyTo(_cachedU); k += _n;
        _previousValid[0] = state[k++] != 0;
        _previousValid[1] = state[k++] != 0;
        _haveTwo[0] = state[k++] != 0;
        _haveTwo[1] = state[k++] != 0;
        _w1ForCachedU = state[k++] != 0;
        bool lastSlow = state[k++] != 0;
        int solvesSinceRefresh = checked((int)state[k++]);
        bool factored = state[k++] != 0;
        double ridge = state[k++], gamma = state[k++];
        if (factored)
        {
            Rebuild(ridge);
            if (!double.IsNaN(gamma)) FactorPenalized(gamma, ridge);
        }
        else (_factorRidge, _factorGamma, _normA1) = (double.NaN, double.NaN, 0);
        (_lastSlow, _solvesSinceRefresh) = (lastSlow, solvesSinceRefresh);
        _pairValid = false; // the problem's own pass gives the same numbers
    }

    /// <summary>Seconds spent so far in true residuals, A·P passes, preconditioner solves (diagnostics).</summary>
    internal double[] PhaseSeconds { get; } = new double[3];

    /// <summary>Preconditioner refreshes so far and the time they took (diagnostics for --bench perf).</summary>
    internal int Refreshes { get; private set; }

    /// <summary>Seconds spent in refreshes so far.</summary>
    internal double RefreshSeconds { get; private set; }

    /// <summary>Solves so far and CG steps they took.</summary>
    internal (int Solves, int Steps) Totals => (_solves, _steps);

    private int _solves, _steps;

    private void FactorPenalized(double gamma, double ridge)
    {
        _kept2 = Factor(1, gamma, ridge, _factor2.Span, _active2);
        _normA2 = _valNorm + gamma * (_gramNorm + ridge * Math.Sqrt(_m));
        _factorGamma = gamma;
    }

    // Cholesky factor of validationWeight·X_valᵀX_val + scale·(XᵀΨX + ridge·I) on the features whose diagonal is
    // non-zero (as in WeightedNormalEquations), shifted slightly; returns the number kept.
    private int Factor(double validationWeight, double scale, double ridge, Span<double> factor, int[] active)
    {
        double Entry(int i, int j) =>
            validationWeight * _valGram.Span[i * _m + j] + scale * (_gram.Span[i * _m + j] + (i == j ? ridge : 0));
        double maxDiagonal = 0;
        for (int i = 0; i < _m; i++) maxDiagonal = Math.Max(maxDiagonal, Entry(i, i));
        int kept = 0;
        for (int i = 0; i < _m; i++)
            if (Entry(i, i) > 1e-14 * maxDiagonal) active[kept++] = i;
        for (double shift = Shift; ; shift *= 100)
        {
            var a = factor[..(kept * kept)];
            for (int p = 0; p < kept; p++)
            {
                for (int q = p; q < kept; q++) a[p * kept + q] = Entry(active[p], active[q]);
                a[p * kept + p] += shift * maxDiagonal;
            }
            // The row-major upper triangle just written is the column-major lower one: no transposed copy.
            if (!Lapack.TryPotrf(MatrixLayout.ColumnMajor, Triangle.Lower, kept, a, kept, out int minor))
            {
                if (shift < 1e-3) continue;
                throw new MatrixNotPositiveDefiniteException("dpotrf", minor);
            }
            // Applied as an explicit inverse: one skinny product per CG step (~0.1 ms for MNIST's 650 kept
            // features) instead of two triangular solves with 10 right-hand sides, which MKL takes ~0.5 ms over.
            // The inverse of a preconditioner only has to be close; CG's accuracy is checked on true residuals.
            if (kept > 0) Lapack.Potri(MatrixLayout.ColumnMajor, Triangle.Lower, kept, a, kept);
            for (int p = 0; p < kept; p++)
                for (int q = p + 1; q < kept; q++) a[q * kept + p] = a[p * kept + q];
            return kept;
        }
    }

    // XᵀΨX for the preconditioner in single precision (ssyrk, twice dgemm's rate): its rounding, ~1e−7 relative,
    // is of the order of the preconditioner's shift, and CG solves the double-precision system regardless.
    private void GramSingle(double[] weights)
    {
        var data = _xTrain.Span;
        var block = _blockSingle.Span;
        var gram = _gramSingle.Span;
        for (int start = 0; start < _n; start += Block)
        {
            int rows = Math.Min(Block, _n - start);
            for (int i = 0; i < rows; i++)
                ScaledToSingle.Run(data.Slice((start + i) * _m, _m), Math.Sqrt(weights[start + i]), block.Slice(i * _m, _m));
            Blas.Syrk(Triangle.Upper, Transpose.Trans, _m, rows, 1f, block[..(rows * _m)], _m, start == 0 ? 0f : 1f, gram, _m);
        }
        var g = _gram.Span;
        if (_n == 0) g.Clear();
        else
            for (int i = 0; i < _m; i++)
                for (int j = i; j < _m; j++) g[i * _m + j] = g[j * _m + i] = gram[i * _m + j];
    }

    // XᵀΨX (both triangles; Ψ = I when weights is null) over blocks of √ψ-scaled rows copied into an aligned buffer.
    private void Gram(Matrix x, double[]? weights, Span<double> gram)
    {
        var data = x.Span;
        var block = _blockX.Span;
        for (int start = 0; start < x.Rows; start += Block)
        {
            int rows = Math.Min(Block, x.Rows - start);
            for (int i = 0; i < rows; i++)
            {
                double s = weights is null ? 1.0 : Math.Sqrt(weights[start + i]);
                var src = data.Slice((start + i) * _m, _m);
                var dst = block.Slice(i * _m, _m);
                for (int j = 0; j < _m; j++) dst[j] = s * src[j];
            }
            Blas.Syrk(Triangle.Upper, Transpose.Trans, _m, rows, 1.0, block[..(rows * _m)], _m, start == 0 ? 0.0 : 1.0, gram, _m);
        }
        if (x.Rows == 0) gram.Clear();
        for (int i = 0; i < _m; i++)
            for (int j = 0; j < i; j++) gram[i * _m + j] = gram[j * _m + i];
    }

    private static double FrobeniusSymmetric(ReadOnlySpan<double> a) => Norm(a);

    private static double Norm(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }

    private double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int row)
    {
        double s = 0;
        int o = row * _m;
        for (int i = 0; i < _m; i++) s += a[o + i] * b[o + i];
        return s;
    }

    private void CopyOut(int s, Span<double> w)
    {
        var x = _xT.Span;
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) w[j * _c + q] = x[(s * _c + q) * _m + j];
    }

    // Per-row step of the passes over X_trn: Weighted — coef = ψ_i·z_i (A·P); Residual — coef = [ψ_i(y_i − z_i) for
    // each system being solved, ψ_i·y_i] (true residuals and XᵀΨY in the same pass).
    private sealed class Rows(int c) : IRowOperation
    {
        internal enum Mode { Weighted, Residual }

        private double[] _y = [], _psi = [], _squares1 = [], _squares2 = [];
        private Mode _mode;
        private int _models;
        private bool _withRhs;

        internal void Set(double[] y, double[] psi, Mode mode, int models, bool withRhs = false, double[]? squares1 = null, double[]? squares2 = null) =>
            (_y, _psi, _mode, _models, _withRhs, _squares1, _squares2) = (y, psi, mode, models, withRhs, squares1 ?? [], squares2 ?? []);

        internal void Clear() => (_y, _psi, _squares1, _squares2) = ([], [], [], []);

        public void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef)
        {
            double psi = _psi[row];
            int k = _models * c;
            if (_mode == Mode.Weighted)
            {
                for (int j = 0; j < k; j++) coef[j] = psi * z[j];
                return;
            }
            var y = _y.AsSpan(row * c, c);
            // ‖r_i‖² summed as the problem's own residual pass sums it, so its g can be taken from here.
            for (int s = 0; s < _models; s++)
            {
                double rr = 0;
                for (int j = 0; j < c; j++)
                {
                    double r = y[j] - z[s * c + j];
                    rr += r * r;
                    coef[s * c + j] = psi * r;
                }
                (s == 0 ? _squares1 : _squares2)[row] = rr;
            }
            if (_withRhs)
                for (int j = 0; j < c; j++) coef[k + j] = psi * y[j];
        }
    }
}
