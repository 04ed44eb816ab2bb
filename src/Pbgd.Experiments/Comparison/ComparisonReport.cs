using Pbgd.Experiments.Setup;
using Pbgd.Solvers;

namespace Pbgd.Experiments.Comparison;

/// <summary>When a solver first met both targets of <see cref="ComparisonSettings"/>.</summary>
/// <param name="Iteration">The iteration.</param>
/// <param name="Seconds">Seconds since that solver's start.</param>
/// <param name="Work">The work done until then.</param>
public readonly record struct TargetHit(int Iteration, double Seconds, WorkCounts Work);

/// <summary>One solver's outcome.</summary>
/// <param name="Solver">Which solver.</param>
/// <param name="Result">Its result (history, final record, stop reason).</param>
/// <param name="Work">The work it asked of the problem.</param>
/// <param name="Target">When it met the targets; null if it never did.</param>
/// <param name="Quality">Task quality at its final point; null when the instance has no measure.</param>
/// <param name="FinalLowerGap">g − g* at the final point with the exact g* (the same measure for every solver); null when
/// the problem has no exact lower level.</param>
public sealed record ComparisonRow(BilevelAlgorithm Solver, SolverResult Result, WorkCounts Work, TargetHit? Target, QualityScores? Quality,
    double? FinalLowerGap);

/// <summary>Every solver's outcome on one instance.</summary>
/// <param name="Instance">The instance.</param>
/// <param name="Settings">The settings used.</param>
/// <param name="StartLower">g(u⁰, v⁰), the scale of the lower-gap target.</param>
/// <param name="Rows">One row per solver, in the settings' order.</param>
/// <param name="LowerExact">Whether g* is exact (the problem has an exact lower level). Without it g − g* is an iterative
/// oracle's estimate, which can even be negative, so no target is checked.</param>
public sealed record ComparisonReport(ComparisonInstance Instance, ComparisonSettings Settings, double StartLower, IReadOnlyList<ComparisonRow> Rows,
    bool LowerExact);
