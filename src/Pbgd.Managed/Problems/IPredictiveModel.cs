using Pbgd.Linalg;

namespace Pbgd.Problems;

/// <summary>
/// Optional capability: the lower variable is a model that predicts outputs for new features (hyper-cleaning's linear
/// and logistic models), so an experiment can score it on a test set without knowing which model it is.
/// </summary>
public interface IPredictiveModel
{
    /// <summary>c, the number of outputs per row.</summary>
    int OutputCount { get; }

    /// <summary>The model's outputs (class scores) for new features.</summary>
    /// <param name="x">Features, rows×m (the problem's m).</param>
    /// <param name="v">The fitted lower variable.</param>
    /// <param name="scores">Output, rows×c.</param>
    void Scores(Matrix x, ReadOnlySpan<double> v, Span<double> scores);
}

/// <summary>
/// Optional capability: a problem whose exact lower-level solves go through a chain of least-squares solvers reports
/// how many each member answered, for summaries.
/// </summary>
public interface IExactSolveCounts
{
    /// <summary>Solutions by solver name, every member of the chain listed (a resumed run's include earlier ones).</summary>
    IReadOnlyDictionary<string, long> SolveCounts { get; }

    /// <summary>The counts in words, e.g. "200 by conjugate gradients (normwise backward error ≤ 1E-11)".</summary>
    string DescribeSolveCounts();
}
