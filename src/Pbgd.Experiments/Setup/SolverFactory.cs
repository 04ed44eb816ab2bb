using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Experiments.Setup;

/// <summary>
/// Builds any of the five solvers from one <see cref="SolverSettings"/>, for <c>hyperclean</c>, <c>compare</c> and the
/// benchmarks alike. Defaults chosen here, all from the problem's smoothness estimates at the start (ℓ_f, ℓ_g, ℓ_g in v),
/// so no solver is hand-tuned to an instance: F²SA steps ξ = α = 1/(ℓ_f + ℓ_g), divided by max(1, λ_k), inner β = 1/ℓ_g,v
/// with one inner step, and PBGD's penalty schedule as its multiplier λ_k (so a ramp there is a ramp here); BOME the same
/// steps, T = 10 inner steps, η = 0.5. PBGD uses the exact oracle (and the exact v-step for PBGD-B) where the problem has
/// one and <see cref="SolverSettings.ExactOracle"/> allows it, else the warm-started iterative oracle (or, with
/// <see cref="SolverSettings.LbfgsOracle"/>, L-BFGS to a tolerance). RXGF and the
/// baselines report g* with the exact oracle where there is one, else the iterative one, outside their counted work.
/// </summary>
public static class SolverFactory
{
    /// <summary>Builds the solver.</summary>
    /// <param name="problem">The problem it will solve.</param>
    /// <param name="settings">Which solver and how.</param>
    /// <param name="u0">The start the baselines' steps are derived at.</param>
    /// <param name="v0">The start's lower variable.</param>
    /// <param name="reportingProblem">The problem the reports' oracle sees (the unwrapped one, so its work is not counted
    /// against a method under a counting wrapper); null: <paramref name="problem"/>.</param>
    public static IBilevelSolver Create(IBilevelProblem problem, SolverSettings settings, ReadOnlySpan<double> u0, ReadOnlySpan<double> v0,
        IBilevelProblem? reportingProblem = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(settings);
        var schedule = PenaltySchedule.Parse(settings.Gamma);
        var reporting = reportingProblem ?? problem;
        switch (settings.Algorithm)
        {
            case BilevelAlgorithm.Blockwise:
            case BilevelAlgorithm.Jacobi:
            {
                ILowerLevelOracle oracle = settings.ExactOracle && problem.GetCapability<IExactLowerLevel>() is not null
                    ? new ExactLowerLevelOracle(problem)
                    : settings.LbfgsOracle
                        ? new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = settings.InnerToleranceFloor })
                        : Iterative(problem, settings);
                var options = new PbgdOptions
                {
                    Penalty = schedule, StepSize = settings.StepSize, StepScale = settings.StepScale,
                    ScaleStepByInverseGamma = settings.ScaleStepByInverseGamma, GradientTolerance = settings.GradientTolerance,
                    UpperStep = settings.UpperStep, InnerToleranceFactor = settings.InnerToleranceFactor,
                    InnerToleranceFloor = settings.InnerToleranceFloor,
                }.WithShared(settings);
                return settings.Algorithm == BilevelAlgorithm.Blockwise ? new PbgdBlockwise(problem, oracle, options) : new PbgdJacobi(problem, oracle, options);
            }
            case BilevelAlgorithm.Rxgf:
                return new Rxgf(problem, Reporting(reporting, settings), settings.Rxgf.WithShared(settings));
            case BilevelAlgorithm.F2sa:
            case BilevelAlgorithm.Bome:
            {
                var s = reporting.EstimateSmoothness(u0, v0);
                double step = 1 / (s.Upper + s.Lower), inner = 1 / s.LowerInV;
                var derived = settings.Algorithm == BilevelAlgorithm.F2sa
                    ? settings.F2sa ?? new BaselineOptions { Multiplier = schedule, UpperStep = step, LowerStep = step, InnerStep = inner, InnerSteps = 1 }
                    : settings.Bome ?? new BaselineOptions { UpperStep = step, LowerStep = step, InnerStep = inner, InnerSteps = 10, Eta = 0.5 };
                var options = derived.WithShared(settings);
                return settings.Algorithm == BilevelAlgorithm.F2sa
                    ? new F2sa(problem, Reporting(reporting, settings), options)
                    : new Bome(problem, Reporting(reporting, settings), options);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Algorithm, "Unknown algorithm.");
        }
    }

    private static IterativeLowerLevelOracle Iterative(IBilevelProblem problem, SolverSettings settings) =>
        new(problem, new IterativeOracleOptions { Steps = settings.OracleSteps, StepSize = settings.OracleStepSize, WarmStart = settings.WarmStart });

    // The reports' oracle: exact where the problem has an exact lower level.
    private static ILowerLevelOracle Reporting(IBilevelProblem problem, SolverSettings settings) =>
        problem.GetCapability<IExactLowerLevel>() is not null ? new ExactLowerLevelOracle(problem) : Iterative(problem, settings);

    // The limits, logging, observer and checkpoint sink every solver shares.
    private static T WithShared<T>(this T options, SolverSettings s) where T : SolverOptions => options with
    {
        MaxIterations = s.MaxIterations, TimeBudget = s.TimeBudget, LogEvery = s.LogEvery, Observer = s.Observer,
        Checkpoint = s.Checkpoint, CheckpointEvery = s.Checkpoint is null ? 0 : s.CheckpointEvery,
        CheckpointInterval = s.Checkpoint is null ? null : s.CheckpointInterval,
    };
}
