using Pbgd.Solvers;

namespace Pbgd.Experiments;

/// <summary>The outcome of a hyper-cleaning run: the solver result and what a user came for.</summary>
/// <param name="Config">Every value the run used.</param>
/// <param name="DatasetDescription">Where the data came from.</param>
/// <param name="Result">The solver's result (u, v, stop reason, history).</param>
/// <param name="TestAccuracy">Accuracy of argmax(scores) on the test set (NaN without one).</param>
/// <param name="Cleaning">Precision, recall, F1 of the clean prediction; null without a clean mask.</param>
/// <param name="FeatureCount">m (including a bias feature).</param>
/// <param name="ClassCount">c.</param>
/// <param name="LowerGapIsEstimate">True with the iterative oracle: g − g* is then an estimate.</param>
/// <param name="Quality">Test accuracy and cleaning F1 at the logged iterations.</param>
/// <param name="Problem">The problem that was solved (for scoring new data with the fitted model).</param>
public sealed record HyperCleaningReport(
    HyperCleaningConfig Config, string DatasetDescription, SolverResult Result, double TestAccuracy,
    CleaningMetrics? Cleaning, int FeatureCount, int ClassCount, bool LowerGapIsEstimate, QualityTrace Quality,
    Pbgd.Problems.IBilevelProblem Problem)
{
    /// <summary>A data-parallel run's weights u of every process, in sample order, on rank 0 (null elsewhere and in a
    /// single-process run, whose <see cref="SolverResult.U"/> holds them all).</summary>
    public double[]? AllWeights { get; init; }

    /// <summary>The clean flags matching <see cref="AllWeights"/> (null when unknown, elsewhere or single-process).</summary>
    public bool[]? AllCleanMask { get; init; }

    /// <summary>Whether this process writes the outputs (rank 0 of a data-parallel run, or the single process).</summary>
    public bool WritesOutputs { get; init; } = true;
}
