using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Experiments.Setup;

/// <summary>
/// How <see cref="SolverFactory"/> builds a solver for an experiment: one record for all five, so a command can hold
/// any of them. Rules the factory derives (steps of the baselines from the problem's smoothness, the oracle) are
/// documented there.
/// </summary>
public sealed record SolverSettings
{
    /// <summary>Which solver.</summary>
    public BilevelAlgorithm Algorithm { get; init; } = BilevelAlgorithm.Blockwise;

    /// <summary>PBGD's penalty schedule (<see cref="Schedules.PenaltySchedule.Parse"/> syntax), also F²SA's multiplier λ_k
    /// unless <see cref="F2sa"/> says otherwise.</summary>
    public string Gamma { get; init; } = "10";

    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>Wall-clock budget (null: none).</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Record every k-th iteration.</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>PBGD: a fixed step α (null: derived from the smoothness estimates).</summary>
    public double? StepSize { get; init; }

    /// <summary>PBGD: multiplier c of the derived step.</summary>
    public double StepScale { get; init; } = 1.0;

    /// <summary>PBGD: multiply the step by min(1, 1/γ) (V-PBGD).</summary>
    public bool ScaleStepByInverseGamma { get; init; }

    /// <summary>PBGD's upper step (fixed gradient step, L-BFGS or BB with a line search).</summary>
    public UpperStepRule UpperStep { get; init; } = UpperStepRule.Gradient;

    /// <summary>PBGD: stop when the projected-gradient norm of L_γ ≤ tol·(1 + |L_γ|) (null: never).</summary>
    public double? GradientTolerance { get; init; }

    /// <summary>PBGD's lower-level oracle: exact where the problem has an exact lower level (else the iterative one).</summary>
    public bool ExactOracle { get; init; } = true;

    /// <summary>PBGD's oracle where no exact one is used: L-BFGS on g(u, ·) to a tolerance (<see cref="LowerLevel.LbfgsLowerLevelOracle"/>;
    /// a line-search upper step sets it from the outer gradient norm) instead of the iterative oracle's T gradient steps.</summary>
    public bool LbfgsOracle { get; init; }

    /// <summary>PBGD under a line-search upper step: κ of the inexact inner solves' tolerances (<see cref="PbgdOptions.InnerToleranceFactor"/>).</summary>
    public double InnerToleranceFactor { get; init; } = new PbgdOptions().InnerToleranceFactor;

    /// <summary>PBGD under a line-search upper step: the inner solves' smallest tolerance (<see cref="PbgdOptions.InnerToleranceFloor"/>),
    /// also the L-BFGS oracle's own tolerance.</summary>
    public double InnerToleranceFloor { get; init; } = new PbgdOptions().InnerToleranceFloor;

    /// <summary>The iterative oracle's steps per iteration (PBGD's ω, and the reports of g* where no exact solve exists).</summary>
    public int OracleSteps { get; init; } = 1;

    /// <summary>The iterative oracle's step β (null: 1/ℓ_g in v).</summary>
    public double? OracleStepSize { get; init; }

    /// <summary>The iterative oracle warm-starts from the previous ω.</summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>RXGF's own options (its limits are replaced by the shared ones).</summary>
    public RxgfOptions Rxgf { get; init; } = new();

    /// <summary>F²SA's options; null derives them from the problem's smoothness at the start.</summary>
    public BaselineOptions? F2sa { get; init; }

    /// <summary>BOME's options; null derives them as for F²SA, with T = 10 inner steps and η = 0.5.</summary>
    public BaselineOptions? Bome { get; init; }

    /// <summary>Called after every measured iteration (progress, extra metrics).</summary>
    public IterationObserver? Observer { get; init; }

    /// <summary>Receives checkpoints (null: none).</summary>
    public Action<SolverCheckpoint>? Checkpoint { get; init; }

    /// <summary>With <see cref="Checkpoint"/>: every k iterations.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>With <see cref="Checkpoint"/>: also after this much time since the last.</summary>
    public TimeSpan? CheckpointInterval { get; init; }
}
