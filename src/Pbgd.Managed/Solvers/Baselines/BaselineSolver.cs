using System.Diagnostics;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers.Baselines;

/// <summary>
/// The loop shared by the F²SA and BOME baselines: each iteration updates (u, v) and an auxiliary lower-level
/// iterate; for comparison with PBGD every iteration is also measured — f, g, and g*(u) from a reporting oracle
/// (exact where the problem has one) whose work is not the method's and is not counted in its steps.
/// </summary>
public abstract class BaselineSolver
{
    private protected BaselineSolver(IBilevelProblem problem, ILowerLevelOracle reportingOracle, BaselineOptions? options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(reportingOracle);
        Problem = problem;
        ReportingOracle = reportingOracle;
        Options = options ?? new BaselineOptions();
        Options.Validate();
        int n = problem.UpperDimension, p = problem.LowerDimension;
        (U, V, Z, Omega) = (new double[n], new double[p], new double[p], new double[p]);
        (GradFU, GradFV, GradGU, GradGV, GradZU, GradZV) = (new double[n], new double[p], new double[n], new double[p], new double[n], new double[p]);
    }

    /// <summary>"F2SA" or "BOME".</summary>
    public abstract string Name { get; }

    /// <summary>The problem.</summary>
    public IBilevelProblem Problem { get; }

    /// <summary>Measures g*(u) for the reports only.</summary>
    public ILowerLevelOracle ReportingOracle { get; }

    /// <summary>The options.</summary>
    public BaselineOptions Options { get; }

    private protected double[] U { get; }
    private protected double[] V { get; }
    private protected double[] Z { get; }
    private protected double[] Omega { get; }
    private protected double[] GradFU { get; }
    private protected double[] GradFV { get; }
    private protected double[] GradGU { get; }
    private protected double[] GradGV { get; }
    private protected double[] GradZU { get; }
    private protected double[] GradZV { get; }
    private protected int InnerStepCount { get; set; }

    /// <summary>Runs from (u⁰, v⁰); the auxiliary iterate starts at v⁰.</summary>
    /// <param name="u0">Initial upper variable.</param>
    /// <param name="v0">Initial lower variable.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    public SolverResult Run(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, CancellationToken cancellationToken = default)
    {
        if (u0.Length != U.Length) throw new ArgumentException($"u0 has {u0.Length} elements; the problem's u has {U.Length}.", nameof(u0));
        if (v0.Length != V.Length) throw new ArgumentException($"v0 has {v0.Length} elements; the problem's v has {V.Length}.", nameof(v0));
        u0.CopyTo(U);
        Problem.ProjectUpper(U);
        v0.CopyTo(V);
        v0.CopyTo(Z);
        v0.CopyTo(Omega);
        InnerStepCount = 0;
        long start = Stopwatch.GetTimestamp();
        long measuring = 0; // ticks spent measuring for the reports, kept off the method's clock
        double Seconds() => Stopwatch.GetElapsedTime(start).TotalSeconds - Stopwatch.GetElapsedTime(0, measuring).TotalSeconds;
        var history = new SolverHistory((int)Math.Min(1_000_000L, Options.MaxIterations / Options.LogEvery + 2));
        IterationRecord record = default, lastMeasured = default;
        var reason = StopReason.MaxIterations;
        for (int k = 0; ; k++)
        {
            double multiplier = StepAndMeasure(k, out double stepNorm, out double step);
            if (!double.IsFinite(stepNorm)) { reason = StopReason.Diverged; break; }
            // The reports (f, g and g* from the reporting oracle) are measured at logged iterations only: an exact
            // oracle's LAPACK solve can cost far more than the method's step. An iterative oracle must still track u
            // every iteration (its ω is warm-started). Either way the time is not the method's.
            long before = Stopwatch.GetTimestamp();
            bool log = k % Options.LogEvery == 0;
            OracleReport report = default;
            if (log || !ReportingOracle.IsExact) report = ReportingOracle.Estimate(U, Omega);
            if (log)
            {
                record = Measure(k, multiplier, step, stepNorm, report);
                lastMeasured = record;
            }
            measuring += Stopwatch.GetTimestamp() - before;
            if (log)
            {
                record = record with { Seconds = Seconds() };
                if (!record.IsFinite) { reason = StopReason.Diverged; break; }
                history.Add(record);
                Options.Observer?.Invoke(record, U, V);
            }
            else record = record with { Iteration = k, Seconds = Seconds(), Gamma = multiplier, StepSize = step, GradientNorm = stepNorm };
            if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (k >= Options.MaxIterations) break;
            if (Options.TimeBudget is { } budget && record.Seconds >= budget.TotalSeconds) { reason = StopReason.TimeBudget; break; }
        }
        double seconds = Seconds();
        if (reason == StopReason.Diverged) record = lastMeasured;
        else if (lastMeasured.Iteration != record.Iteration || history.Count == 0)
        {
            record = Measure(record.Iteration, record.Gamma, record.StepSize, record.GradientNorm, ReportingOracle.Estimate(U, Omega)) with { Seconds = seconds };
            history.Add(record);
        }
        return new SolverResult(Name, (double[])U.Clone(), (double[])V.Clone(), (double[])Omega.Clone(), reason, ConvergenceCriteria.None,
            record.Iteration, seconds, history, record, InnerStepCount, 0, 0, false, ReportingOracle.Name);
    }

    // f, g and g(u, ω) at the current point, for the record (Seconds filled in by the caller).
    private IterationRecord Measure(int k, double multiplier, double step, double stepNorm, OracleReport report)
    {
        double f = Problem.Upper(U, V, default, default);
        double g = Problem.Lower(U, V, default, default);
        double gStar = Problem.Lower(U, Omega, default, default);
        return new IterationRecord(k, 0, multiplier, step, f, g, gStar, f + multiplier * (g - gStar), stepNorm,
            double.NaN, double.NaN, double.NaN, InnerStepCount, report.Rank);
    }

    /// <summary>Iteration k's update (none at k = 0, which measures the start). Returns the multiplier in use and
    /// the norm and size of the step taken.</summary>
    private protected abstract double StepAndMeasure(int k, out double directionNorm, out double step);

    /// <summary>
    /// The update both baselines end with, from gradients already evaluated at (u, v) and the auxiliary iterate:
    /// d_u = ∇_u f + w(∇_u g(u, v) − ∇_u g(u, aux)), d_v = ∇_v f + w∇_v g(u, v);
    /// u ← Proj(u − upperStep·d_u), v ← v − lowerStep·d_v. Returns ‖(d_u, d_v)‖.
    /// </summary>
    private protected double TakeStep(double weight, double upperStep, double lowerStep)
    {
        double sum = 0;
        for (int i = 0; i < U.Length; i++)
        {
            double d = GradFU[i] + weight * (GradGU[i] - GradZU[i]);
            sum += d * d;
            U[i] -= upperStep * d;
        }
        Problem.ProjectUpper(U);
        Blas.Axpy(weight, GradGV, GradFV);
        sum += Math.Pow(Blas.Nrm2(GradFV), 2);
        Blas.Axpy(-lowerStep, GradFV, V);
        return Math.Sqrt(sum);
    }

    /// <summary>T gradient steps on g(u, ·) from the auxiliary iterate.</summary>
    private protected void InnerSteps(Span<double> iterate)
    {
        for (int t = 0; t < Options.InnerSteps; t++)
        {
            Problem.Lower(U, iterate, Span<double>.Empty, GradZV);
            Blas.Axpy(-Options.InnerStep, GradZV, iterate);
        }
        InnerStepCount += Options.InnerSteps;
    }
}
