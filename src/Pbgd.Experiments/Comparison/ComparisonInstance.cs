using Pbgd.Problems;

namespace Pbgd.Experiments.Comparison;

/// <summary>A problem and a start shared by every compared solver, with whatever references are known for it.</summary>
/// <param name="Name">For titles, e.g. "representation learning (N = 3, N' = 5, m = 6, h = 8)".</param>
/// <param name="Problem">The problem.</param>
/// <param name="U0">The common start u⁰.</param>
/// <param name="V0">The common start v⁰.</param>
public sealed record ComparisonInstance(string Name, IBilevelProblem Problem, double[] U0, double[] V0)
{
    /// <summary>A reference value of f (F* or f*_gen), or null when none is known.</summary>
    public double? UpperReference { get; init; }

    /// <summary>What <see cref="UpperReference"/> is, e.g. "f*_gen".</summary>
    public string UpperReferenceName { get; init; } = "f*";

    /// <summary>Quality of a final point for the table (test accuracy and cleaning F1 for hyper-cleaning); null for none.</summary>
    public Func<double[], double[], QualityScores>? Quality { get; init; }
}

/// <summary>Task quality of a point.</summary>
/// <param name="TestAccuracy">Test accuracy in [0, 1] (NaN when there is no test set).</param>
/// <param name="F1">Cleaning F1 (NaN when the clean mask is unknown).</param>
public readonly record struct QualityScores(double TestAccuracy, double F1);
