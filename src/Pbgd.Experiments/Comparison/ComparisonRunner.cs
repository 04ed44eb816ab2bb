using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Experiments.Comparison;

/// <summary>
/// Runs several solvers from the same start on the same problem with the same budget, counting the work each asks
/// of the problem (<see cref="WorkCounts"/>) and when each first meets the targets of <see cref="ComparisonSettings"/>.
/// </summary>
/// <remarks>
/// Defaults chosen here, all from the problem's smoothness estimates at the start (ℓ_f, ℓ_g, ℓ_g in v), so no solver is
/// hand-tuned to an instance: F²SA steps ξ = α = 1/(ℓ_f + ℓ_g), divided by max(1, λ_k), inner β = 1/ℓ_g,v with one
/// inner step, and PBGD's penalty schedule as its multiplier λ_k (so a ramp there is a ramp here); BOME the same steps,
/// T = 10 inner steps, η = 0.5. PBGD uses the exact oracle (and exact v-step for PBGD-B) where the problem has one,
/// else the warm-started iterative oracle. The baselines and RXGF measure g* with the same oracle, outside their
/// counted work.
/// </remarks>
public static class ComparisonRunner
{
    /// <summary>Runs every configured solver on the instance.</summary>
    /// <param name="instance">Problem, start and references.</param>
    /// <param name="settings">Solvers, budget, targets.</param>
    /// <param name="cancellationToken">Stops the current solver cleanly; the remaining ones are skipped.</param>
    public static ComparisonReport Run(ComparisonInstance instance, ComparisonSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var problem = instance.Problem;
        if (instance.U0.Length != problem.UpperDimension || instance.V0.Length != problem.LowerDimension)
            throw new ArgumentException($"the start has {instance.U0.Length} + {instance.V0.Length} entries; the problem needs {problem.UpperDimension} + {problem.LowerDimension}.", nameof(instance));
        if (settings.Solvers.Contains(ComparedSolver.Rxgf) && problem is not ILowerLevelSecondOrder)
            throw new ArgumentException($"RXGF needs second-order products, which {problem.GetType().Name} does not provide.", nameof(settings));
        double startLower = problem.Lower(instance.U0, instance.V0, default, default);
        bool exact = problem is IExactLowerLevel;
        var rows = new List<ComparisonRow>();
        foreach (var solver in settings.Solvers)
        {
            if (cancellationToken.IsCancellationRequested) break;
            var row = RunOne(solver, instance, settings, startLower, exact, cancellationToken);
            rows.Add(row);
            settings.OnSolverFinished?.Invoke(row);
        }
        return new ComparisonReport(instance, settings, startLower, rows, exact);
    }

    private static ComparisonRow RunOne(ComparedSolver solver, ComparisonInstance instance, ComparisonSettings settings, double startLower,
        bool exactLower, CancellationToken cancellationToken)
    {
        var counting = new CountingProblem(instance.Problem);
        TargetHit? hit = null;
        double lowerTarget = settings.LowerGapTarget * Math.Abs(startLower);
        // PBGD with the iterative oracle records g(u, ω), an estimate of g*: the target is then checked against the exact
        // g*(u), measured here (inside PBGD's clock, so the check can only slow PBGD down).
        bool estimated = exactLower && !settings.PbgdExactOracle && solver is ComparedSolver.PbgdBlockwise or ComparedSolver.PbgdJacobi;
        var exactGap = exactLower ? new ExactGap(instance.Problem) : null;
        IterationObserver observer = (in IterationRecord r, ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        {
            if (!exactLower || hit is not null) return;
            double gap = estimated ? exactGap!.Of(u, v) : r.LowerGap;
            if (gap > lowerTarget) return;
            if (instance.UpperReference is { } reference && Math.Abs(r.Upper - reference) > settings.UpperTarget * Math.Abs(reference)) return;
            hit = new TargetHit(r.Iteration, r.Seconds, counting.Counts);
        };
        var result = Build(solver, counting, instance, settings, observer) switch
        {
            PbgdSolver p => p.Run(instance.U0, instance.V0, cancellationToken),
            Rxgf x => x.Run(instance.U0, instance.V0, cancellationToken),
            BaselineSolver b => b.Run(instance.U0, instance.V0, cancellationToken),
            _ => throw new InvalidOperationException("unreachable"),
        };
        var quality = instance.Quality?.Invoke(result.U, result.V);
        return new ComparisonRow(solver, result, counting.Counts, hit, quality, exactGap?.Of(result.U, result.V));
    }

    // g(u, v) − g*(u) with g* from the problem's exact lower level: one value the table can compare across solvers.
    private sealed class ExactGap(IBilevelProblem problem)
    {
        private readonly ExactLowerLevelOracle _oracle = new(problem);
        private readonly double[] _vStar = new double[problem.LowerDimension];

        internal double Of(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
        {
            _oracle.Estimate(u, _vStar);
            return problem.Lower(u, v, default, default) - problem.Lower(u, _vStar, default, default);
        }
    }

    private static object Build(ComparedSolver solver, CountingProblem counting, ComparisonInstance instance, ComparisonSettings settings,
        IterationObserver observer)
    {
        var inner = instance.Problem;
        var schedule = PenaltySchedule.Parse(settings.Gamma);
        // Reporting oracles see the problem itself, so their work is not counted against the method.
        ILowerLevelOracle Reporting() => inner is IExactLowerLevel
            ? new ExactLowerLevelOracle(inner)
            : new IterativeLowerLevelOracle(inner, new IterativeOracleOptions { Steps = settings.OracleSteps });
        switch (solver)
        {
            case ComparedSolver.PbgdBlockwise:
            case ComparedSolver.PbgdJacobi:
            {
                ILowerLevelOracle oracle = settings.PbgdExactOracle && counting.Supports<IExactLowerLevel>()
                    ? new ExactLowerLevelOracle(counting)
                    : new IterativeLowerLevelOracle(counting, new IterativeOracleOptions { Steps = settings.OracleSteps });
                var options = new PbgdOptions
                {
                    Penalty = schedule, StepScale = settings.PbgdStepScale, MaxIterations = settings.MaxIterations, TimeBudget = settings.TimeBudget,
                    LogEvery = settings.LogEvery, Observer = observer, ExactLowerStep = counting.Supports<IExactPenalizedLowerLevel>(),
                };
                return solver == ComparedSolver.PbgdBlockwise ? new PbgdBlockwise(counting, oracle, options) : new PbgdJacobi(counting, oracle, options);
            }
            case ComparedSolver.Rxgf:
                return new Rxgf(counting, Reporting(), settings.Rxgf with
                {
                    MaxIterations = settings.MaxIterations, TimeBudget = settings.TimeBudget, LogEvery = settings.LogEvery, Observer = observer,
                });
            default:
            {
                var s = inner.EstimateSmoothness(instance.U0, instance.V0);
                double step = 1 / (s.Upper + s.Lower), inner1 = 1 / s.LowerInV;
                var derived = solver == ComparedSolver.F2sa
                    ? settings.F2sa ?? new BaselineOptions
                    {
                        Multiplier = schedule,
                        UpperStep = step, LowerStep = step, InnerStep = inner1, InnerSteps = 1,
                    }
                    : settings.Bome ?? new BaselineOptions { UpperStep = step, LowerStep = step, InnerStep = inner1, InnerSteps = 10, Eta = 0.5 };
                var options = derived with { MaxIterations = settings.MaxIterations, TimeBudget = settings.TimeBudget, LogEvery = settings.LogEvery, Observer = observer };
                return solver == ComparedSolver.F2sa ? new F2sa(counting, Reporting(), options) : new Bome(counting, Reporting(), options);
            }
        }
    }
}
