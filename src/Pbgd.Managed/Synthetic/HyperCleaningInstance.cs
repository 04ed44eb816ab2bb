using Pbgd.Linalg;

namespace Pbgd.Synthetic;

/// <summary>A hyper-cleaning data set: training data with (possibly corrupted) targets and a trusted validation set.</summary>
/// <param name="XTrain">Training features, N×m.</param>
/// <param name="YTrain">Observed training targets, N×c.</param>
/// <param name="XValidation">Validation features, N'×m.</param>
/// <param name="YValidation">Validation targets, N'×c.</param>
/// <param name="CleanMask">Per training sample: whether its observed target equals the true one (null when unknown).</param>
public sealed record HyperCleaningInstance(Matrix XTrain, Matrix YTrain, Matrix XValidation, Matrix YValidation, bool[]? CleanMask);
