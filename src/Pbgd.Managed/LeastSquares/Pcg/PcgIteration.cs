using Pbgd.Kernels;

namespace Pbgd.LeastSquares;

/// <summary>
/// The conjugate-gradient recurrences of both systems side by side: 2c independent recurrences (c right-hand sides per
/// system, each with its own α, β) sharing one A·P pass per step. Acceptance is by normwise backward error
/// <code>
/// η(W) = ‖R‖_F / (‖A‖_F·‖W‖_F + ‖b‖_F) ≤ tolerance,     R recomputed from the data (<see cref="PcgProducts.Residual"/>)
/// </code>
/// The recursive residual only decides when to look: CG runs until it falls below ½·tolerance·(‖A‖_F‖W‖_F + ‖b‖_F), then
/// the true residual decides; at most three such rounds.
/// </summary>
internal sealed class PcgIteration
{
    private const int Rounds = 3;

    private readonly int _m, _c, _maxSteps;
    private readonly double _tolerance;
    private readonly PcgProducts _products;
    private readonly PcgPreconditioner _preconditioner;
    private readonly PcgStatistics _statistics;
    private readonly AlignedBuffer<double> _xT, _rT, _zT, _pT, _qT;
    private readonly double[] _rho, _bNorm = new double[2];
    // Per system: 0 being solved; 1 the recursive residual says converged and the true one has to confirm; 2 confirmed
    // (or not asked for).
    private readonly double[] _done = new double[2];

    internal PcgIteration(LeastSquaresData data, LeastSquaresOptions options, PcgProducts products, PcgPreconditioner preconditioner,
        PcgStatistics statistics)
    {
        (_m, _c) = (data.FeatureCount, data.OutputCount);
        (_tolerance, _maxSteps) = (options.ConjugateGradientTolerance, options.ConjugateGradientMaxSteps);
        (_products, _preconditioner, _statistics) = (products, preconditioner, statistics);
        int cm2 = 2 * _c * _m;
        _xT = new AlignedBuffer<double>(cm2);
        _rT = new AlignedBuffer<double>(cm2);
        _zT = new AlignedBuffer<double>(cm2);
        _pT = new AlignedBuffer<double>(cm2);
        _qT = new AlignedBuffer<double>(cm2);
        _rho = new double[2 * _c];
    }

    /// <summary>Both systems' current solutions, transposed: W₁ᵀ (c×m), then W₂ᵀ. A solve starts from what is here.</summary>
    internal Span<double> Solutions => _xT.Span;

    /// <summary>Marks the systems of the next solve: system 1 always, system 2 when <paramref name="penalized"/>.</summary>
    internal void Begin(bool penalized)
    {
        _done[0] = 0;
        _done[1] = penalized ? 0 : 2;
    }

    /// <summary>Up to three rounds of: true residual (checked against the tolerance), then CG until the recursive residual
    /// is well below it. True when every system of the solve passed the true-residual check.</summary>
    internal bool Iterate(double gamma, double ridge)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (TrueResidual(gamma, ridge, withRhs: round == 0, _preconditioner.NormLower, _preconditioner.NormPenalized)) return true;
            var x = _xT.Span;
            var r = _rT.Span;
            var z = _zT.Span;
            var p = _pT.Span;
            var q = _qT.Span;
            _preconditioner.Apply(r, z, _done);
            z.CopyTo(p);
            for (int j = 0; j < 2 * _c; j++) _rho[j] = Dot(r, z, j);
            for (int step = 0; step < _maxSteps; step++)
            {
                _products.Apply(p, q, gamma, ridge, _done[1] == 0 ? 2 : 1);
                _statistics.LastSteps++;
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
                _preconditioner.Apply(r, z, _done);
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

    /// <summary>
    /// The backward error, as <see cref="Iterate"/> measures it, of a given W (m×c) for system 1 (γ NaN) or system 2 at
    /// the current weights; the solutions and flags of the solver are left as they were.
    /// </summary>
    internal double MeasureBackwardError(ReadOnlySpan<double> w, double gamma, double ridge)
    {
        int s = double.IsNaN(gamma) ? 0 : 1;
        var saved = _xT.Span.ToArray();
        var (done0, done1) = (_done[0], _done[1]);
        // ‖A₂‖_F as a factorisation at γ would set it, without factoring: the next solve's preconditioner must not
        // depend on whether anybody measured an error in between.
        double normPenalized = s == 1 ? _preconditioner.PenalizedNorm(gamma, ridge) : _preconditioner.NormPenalized;
        var x = _xT.Span;
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) x[(s * _c + q) * _m + j] = w[j * _c + q];
        _done[0] = 0;
        _done[1] = s == 1 ? 0 : 2;
        TrueResidual(gamma, ridge, withRhs: true, _preconditioner.NormLower, normPenalized);
        double error = s == 0 ? _statistics.LastBackwardErrors.Lower : _statistics.LastBackwardErrors.Penalized;
        saved.CopyTo(_xT.Span);
        (_done[0], _done[1]) = (done0, done1);
        return error;
    }

    // R = b − A·W from the data for the systems still open (one pass over X_trn); marks those within the tolerance as
    // done and records their backward errors. True when every system of the solve is done.
    private bool TrueResidual(double gamma, double ridge, bool withRhs, double normLower, double normPenalized)
    {
        var x = _xT.Span;
        var r = _rT.Span;
        // System 1 always goes through the pass; system 2 unless it is confirmed or not asked for.
        int models = _done[1] == 2 ? 1 : 2;
        var (lowerRhs, penalizedRhs) = _products.Residual(x, r, gamma, ridge, models, withRhs);
        _bNorm[0] = lowerRhs;
        double lowerError = Error(0, normLower), penalizedError = double.NaN;
        if (models == 2)
        {
            _bNorm[1] = penalizedRhs;
            penalizedError = Error(1, normPenalized);
        }
        _statistics.LastBackwardErrors = (lowerError, penalizedError);
        _done[0] = lowerError <= _tolerance ? 2 : 0;
        if (models == 2) _done[1] = penalizedError <= _tolerance ? 2 : 0;
        return _done[0] == 2 && _done[1] == 2;
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
            double normA = s == 0 ? _preconditioner.NormLower : _preconditioner.NormPenalized;
            if (Math.Sqrt(rr) <= 0.5 * _tolerance * (normA * Math.Sqrt(xx) + _bNorm[s])) _done[s] = 1;
            else all = false;
        }
        return all;
    }

    private double Error(int s, double normA)
    {
        int cm = _c * _m;
        double denominator = normA * PcgProducts.FrobeniusNorm(_xT.Span.Slice(s * cm, cm)) + _bNorm[s];
        double residual = PcgProducts.FrobeniusNorm(_rT.Span.Slice(s * cm, cm));
        return residual == 0 ? 0 : residual / denominator;
    }

    private double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int row)
    {
        double s = 0;
        int o = row * _m;
        for (int i = 0; i < _m; i++) s += a[o + i] * b[o + i];
        return s;
    }
}
