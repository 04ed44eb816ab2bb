using Pbgd.Synthetic;

namespace Pbgd.Data;

/// <summary><c>synthetic</c>: a seeded Gaussian representation-learning instance of the requested sizes
/// (<see cref="RepresentationLearningGenerator"/>), with the full-rank start drawn from the same stream.</summary>
public sealed class SyntheticRegressionSource : IDatasetSource<RegressionRequest, RegressionSplit>
{
    /// <inheritdoc />
    public string Scheme => "synthetic";

    /// <inheritdoc />
    public string Syntax => "synthetic";

    /// <inheritdoc />
    public string Description => "a seeded Gaussian instance of the requested sizes, with its full-rank start";

    /// <inheritdoc />
    public string? ArgumentProblem(DatasetSpec spec) => spec.Arguments is null ? null : "takes no arguments";

    /// <inheritdoc />
    public RegressionSplit Load(DatasetSpec spec, RegressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var d = RepresentationLearningGenerator.Create(request.Train, request.Validation, request.Features, request.Hidden, request.Outputs, request.Seed);
        return new RegressionSplit(d.XTrain, d.YTrain, d.XValidation, d.YValidation) { Start = (d.W1, d.W2) };
    }
}
