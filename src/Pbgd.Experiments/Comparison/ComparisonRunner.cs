using Pbgd.Experiments.Setup;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;

namespace Pbgd.Experiments.Comparison;

/// <summary>
/// Runs several solvers from the same start on the same problem with the same budget, counting the work each asks
/// of the problem (<see cref="WorkCounts"/>) and when each first meets the targets of <see cref="ComparisonSettings"/>.
/// </summary>
/// <remarks>Every solver is built by <see cref="SolverFactory"/> (its defaults are documented there) on a
/// <see cref="CountingProblem"/> that forwards exactly the wrapped problem's capabilities, so each solver takes the same
/// code path as it does under <c>hyperclean</c>.</remarks>
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
        if (settings.Solvers.Contains(BilevelAlgorithm.Rxgf) && problem.GetCapability<ILowerLevelSecondOrder>() is null)
            throw new ArgumentException($"RXGF needs second-order products, which {problem.GetType().Name} does not provide.", nameof(settings));
        double startLower = problem.Lower(instance.U0, instance.V0, default, default);
        bool exact = problem.GetCapability<IExactLowerLevel>() is not null;
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

    private static ComparisonRow RunOne(BilevelAlgorithm solver, ComparisonInstance instance, ComparisonSettings settings, double startLower,
        bool exactLower, CancellationToken cancellationToken)
    {
        var counting = new CountingProblem(instance.Problem);
        TargetHit? hit = null;
        double lowerTarget = settings.LowerGapTarget * Math.Abs(startLower);
        // PBGD with the iterative oracle records g(u, ω), an estimate of g*: the target is then checked against the exact
        // g*(u), measured here (inside PBGD's clock, so the check can only slow PBGD down).
        bool estimated = exactLower && !settings.PbgdExactOracle && solver is BilevelAlgorithm.Blockwise or BilevelAlgorithm.Jacobi;
        var exactGap = exactLower ? new ExactGap(instance.Problem) : null;
        IterationObserver observer = (in IterationRecord r, ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        {
            if (!exactLower || hit is not null) return;
            double gap = estimated ? exactGap!.Of(u, v) : r.LowerGap;
            if (gap > lowerTarget) return;
            if (instance.UpperReference is { } reference && Math.Abs(r.Upper - reference) > settings.UpperTarget * Math.Abs(reference)) return;
            hit = new TargetHit(r.Iteration, r.Seconds, counting.Counts);
        };
        var solverSettings = new SolverSettings
        {
            Algorithm = solver, Gamma = settings.Gamma, MaxIterations = settings.MaxIterations, TimeBudget = settings.TimeBudget,
            LogEvery = settings.LogEvery, StepScale = settings.PbgdStepScale, UpperStep = settings.PbgdUpperStep, ExactOracle = settings.PbgdExactOracle,
            // A line search needs accurate gradients: where PBGD does not use the exact oracle, it solves g to the tolerance the
            // line search sets (as hyperclean does) instead of taking T gradient steps.
            LbfgsOracle = settings.PbgdUpperStep != UpperStepRule.Gradient,
            OracleSteps = settings.OracleSteps, Rxgf = settings.Rxgf, F2sa = settings.F2sa, Bome = settings.Bome, Observer = observer,
        };
        // The reports' oracle and the baselines' step estimates see the problem itself, so their work is not counted.
        var result = SolverFactory.Create(counting, solverSettings, instance.U0, instance.V0, instance.Problem)
            .Run(instance.U0, instance.V0, cancellationToken);
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
}
