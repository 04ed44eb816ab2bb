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
    /// <summary>The held-out model selection (null without <see cref="HyperCleaningConfig.Holdout"/>): the selected iterate,
    /// whose u and v the outputs write, and the figures of the selected and the last iterate.</summary>
    public HoldoutSelection? Selection { get; init; }

    /// <summary>u of the iterate the outputs hold: the selected one with a held-out set, else the last.</summary>
    public double[] OutputU => Selection?.U ?? Result.U;

    /// <summary>v of the iterate the outputs hold.</summary>
    public double[] OutputV => Selection?.V ?? Result.V;
}

/// <summary>The outcome of held-out model selection.</summary>
/// <param name="Fraction">The fraction of the validation set held out.</param>
/// <param name="Rows">Held-out rows.</param>
/// <param name="Selected">The iterate with the smallest held-out loss among the logged ones and the last.</param>
/// <param name="Last">The last iterate.</param>
/// <param name="U">u of the selected iterate.</param>
/// <param name="V">v of the selected iterate.</param>
public sealed record HoldoutSelection(double Fraction, int Rows, IterateQuality Selected, IterateQuality Last, double[] U, double[] V);
