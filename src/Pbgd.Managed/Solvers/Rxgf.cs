using System.Diagnostics;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The discretized relaxed gradient flow of Abolfazli et al. 2025 ([A25], docs/algorithms.md §7, update rule
/// reconstructed): min f(z) s.t. h(z) = ‖∇_v g(z)‖² ≤ ε over z = (u, v), stepping along the closed-form solution of
/// <code>
/// d = argmin ½‖d + ∇f‖²  s.t.  ∇hᵀd ≤ −α(h − ε)   =   −∇f − λ∇h,   λ = max{0, (α(h − ε) − ∇hᵀ∇f)/‖∇h‖²}
/// ∇h = 2[(∇²_vu g)ᵀ∇_v g; ∇²_vv g·∇_v g]       z ← z + η_k d   (u then projected onto U)
/// </code>
/// with a fixed η or, by default, η_k = c/(ℓ_f + 2λ_k ℓ_g²) (see <see cref="RxgfOptions.StepSize"/>)
/// and reporting the squared KKT residual ‖G‖² + max(0, h − ε)² + (λ(h − ε))², where G = ∇f + λ∇h, or for a
/// bounded U the gradient mapping (z − Proj(z + ηd))/η. It needs the products of <see cref="ILowerLevelSecondOrder"/>.
/// When ∇h = 0 while h &gt; ε the direction problem is infeasible and the run stops with
/// <see cref="StopReason.ConstraintQpInfeasible"/> instead of dividing by zero.
/// </summary>
public sealed class Rxgf
{
    private readonly ILowerLevelSecondOrder _second;
    private readonly double[] _u, _v, _omega, _gradFU, _gradFV, _gradGV, _hU, _hV, _nextU, _previousU, _previousV;

    /// <summary>Creates the solver.</summary>
    /// <param name="problem">The problem; it must implement <see cref="ILowerLevelSecondOrder"/>.</param>
    /// <param name="reportingOracle">Measures g*(u) for the records only (not part of the method, not counted).</param>
    /// <param name="options">Options; null for the defaults.</param>
    public Rxgf(IBilevelProblem problem, ILowerLevelOracle reportingOracle, RxgfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(reportingOracle);
        _second = problem as ILowerLevelSecondOrder ?? throw new ArgumentException(
            $"{problem.GetType().Name} has no second-order products (ILowerLevelSecondOrder), which RXGF's ∇h needs.", nameof(problem));
        Problem = problem;
        ReportingOracle = reportingOracle;
        Options = options ?? new RxgfOptions();
        Options.Validate();
        int n = problem.UpperDimension, p = problem.LowerDimension;
        (_u, _nextU, _gradFU, _hU, _previousU) = (new double[n], new double[n], new double[n], new double[n], new double[n]);
        (_v, _omega, _gradFV, _gradGV, _hV, _previousV) = (new double[p], new double[p], new double[p], new double[p], new double[p], new double[p]);
    }

    /// <summary>"RXGF".</summary>
    public string Name => "RXGF";

    /// <summary>The problem.</summary>
    public IBilevelProblem Problem { get; }

    /// <summary>Measures g*(u) for the reports.</summary>
    public ILowerLevelOracle ReportingOracle { get; }

    /// <summary>The options.</summary>
    public RxgfOptions Options { get; }

    /// <summary>Runs from (u⁰, v⁰) until the KKT tolerance, the iteration limit, the time budget, cancellation,
    /// divergence or an infeasible direction problem stops it.</summary>
    /// <param name="u0">Initial upper variable (projected onto U).</param>
    /// <param name="v0">Initial lower variable (also the reporting oracle's first ω).</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    public SolverResult Run(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, CancellationToken cancellationToken = default)
    {
        if (u0.Length != _u.Length) throw new ArgumentException($"u0 has {u0.Length} elements; the problem's u has {_u.Length}.", nameof(u0));
        if (v0.Length != _v.Length) throw new ArgumentException($"v0 has {v0.Length} elements; the problem's v has {_v.Length}.", nameof(v0));
        u0.CopyTo(_u);
        Problem.ProjectUpper(_u);
        v0.CopyTo(_v);
        v0.CopyTo(_omega);
        var smoothness = Problem.EstimateSmoothness(_u, _v);
        long start = Stopwatch.GetTimestamp();
        long measuring = 0; // ticks of the reporting oracle, kept off the method's clock
        double Seconds() => Stopwatch.GetElapsedTime(start).TotalSeconds - Stopwatch.GetElapsedTime(0, measuring).TotalSeconds;
        var history = new SolverHistory((int)Math.Min(1_000_000L, Options.MaxIterations / Options.LogEvery + 2));
        var reason = StopReason.MaxIterations;
        var met = ConvergenceCriteria.None;
        IterationRecord record = default, lastFinite = default;
        int k = 0;
        for (; ; k++)
        {
            if (smoothness.IsLocal && k > 0) smoothness = Problem.EstimateSmoothness(_u, _v);
            record = Evaluate(k, smoothness, out bool infeasible);
            if (!double.IsFinite(record.Upper) || !double.IsFinite(record.Lower) || !double.IsFinite(record.KktResidual))
            {
                // The step into this point blew up: return the last finite point, the one we stepped from.
                reason = StopReason.Diverged;
                if (k > 0)
                {
                    Array.Copy(_previousU, _u, _u.Length);
                    Array.Copy(_previousV, _v, _v.Length);
                    record = lastFinite;
                }
                break;
            }
            bool converged = Options.KktTolerance is { } tol && record.KktResidual <= tol;
            // g* is for the reports only: measured at logged iterations (and the last), an exact oracle's solve can cost
            // far more than the step; an iterative oracle tracks u every iteration. Its time is not the method's.
            if (k % Options.LogEvery == 0 || converged || infeasible || !ReportingOracle.IsExact) record = WithLowerOptimal(record, ref measuring);
            record = record with { Seconds = Seconds() };
            lastFinite = record;
            if (k % Options.LogEvery == 0)
            {
                history.Add(record);
                Options.Observer?.Invoke(record, _u, _v);
            }
            if (infeasible) { reason = StopReason.ConstraintQpInfeasible; break; }
            if (converged) { reason = StopReason.Converged; met = ConvergenceCriteria.Kkt; break; }
            if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (k >= Options.MaxIterations) break;
            if (Options.TimeBudget is { } budget && record.Seconds >= budget.TotalSeconds) { reason = StopReason.TimeBudget; break; }
            // The step: u from the projected point Evaluate prepared, v along d_v = −∇_v f − λ∇_v h.
            Array.Copy(_u, _previousU, _u.Length);
            Array.Copy(_v, _previousV, _v.Length);
            Array.Copy(_nextU, _u, _u.Length);
            Blas.Axpy(record.StepSize, _hV, _v);
        }
        double seconds = Seconds();
        if (double.IsNaN(record.LowerOptimal)) record = WithLowerOptimal(record, ref measuring) with { Seconds = seconds };
        if (history.Count == 0 || history.Last.Iteration != record.Iteration) history.Add(record);
        return new SolverResult(Name, (double[])_u.Clone(), (double[])_v.Clone(), (double[])_omega.Clone(), reason, met,
            record.Iteration, seconds, history, record, 0, 0, 0, false, ReportingOracle.Name);
    }

    // Fills g*(u) ≈ g(u, ω) from the reporting oracle, adding its time to the excluded ticks.
    private IterationRecord WithLowerOptimal(in IterationRecord record, ref long measuring)
    {
        long before = Stopwatch.GetTimestamp();
        var report = ReportingOracle.Estimate(_u, _omega);
        double gStar = Problem.Lower(_u, _omega, default, default);
        measuring += Stopwatch.GetTimestamp() - before;
        return record with { LowerOptimal = gStar, OracleSteps = report.GradientSteps, Rank = report.Rank };
    }

    // Measures the point (all but g*, see WithLowerOptimal), solves the direction problem, and leaves the projected next u
    // in _nextU and d_v in _hV.
    private IterationRecord Evaluate(int k, in Problems.Smoothness smoothness, out bool infeasible)
    {
        double f = Problem.Upper(_u, _v, _gradFU, _gradFV);
        double g = Problem.Lower(_u, _v, Span<double>.Empty, _gradGV);
        double h = Blas.Dot(_gradGV, _gradGV);
        // ∇h = 2[(∇²_vu g)ᵀ∇_v g; ∇²_vv g·∇_v g].
        _second.LowerMixedTransposeVU(_u, _v, _gradGV, _hU);
        _second.LowerHessianVV(_u, _v, _gradGV, _hV);
        Blas.Scal(2, _hU);
        Blas.Scal(2, _hV);
        double hh = Blas.Dot(_hU, _hU) + Blas.Dot(_hV, _hV);
        double hf = Blas.Dot(_hU, _gradFU) + Blas.Dot(_hV, _gradFV);
        double violation = h - Options.Epsilon;
        infeasible = hh == 0 && violation > 0;
        double lambda = hh > 0 ? Math.Max(0, (Options.Alpha * violation - hf) / hh) : 0;
        double eta = Options.StepSize ?? Options.StepScale / (smoothness.Upper + lambda * 2 * smoothness.Lower * smoothness.Lower);

        // d = −∇f − λ∇h, kept in the ∇h buffers; u's step is projected and measured as a gradient mapping.
        double sumU = 0;
        for (int i = 0; i < _u.Length; i++)
        {
            double d = -_gradFU[i] - lambda * _hU[i];
            _nextU[i] = _u[i] + eta * d;
        }
        Problem.ProjectUpper(_nextU);
        for (int i = 0; i < _u.Length; i++)
        {
            double gi = (_u[i] - _nextU[i]) / eta;
            sumU += gi * gi;
        }
        for (int i = 0; i < _v.Length; i++) _hV[i] = -_gradFV[i] - lambda * _hV[i];
        double sumV = Blas.Dot(_hV, _hV);
        double kkt = sumU + sumV + Math.Pow(Math.Max(0, violation), 2) + Math.Pow(lambda * violation, 2);

        return new IterationRecord(k, 0, lambda, eta, f, g, double.NaN, f + lambda * violation, Math.Sqrt(sumU + sumV),
            Math.Sqrt(sumU), Math.Sqrt(sumV), Math.Sqrt(h), 0, -1, kkt);
    }
}
