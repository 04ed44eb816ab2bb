using Pbgd.Linalg;

namespace Pbgd.Experiments;

/// <summary>A prepared hyper-cleaning data set: features already scaled, targets one-hot.</summary>
/// <param name="XTrain">Training features, N×m.</param>
/// <param name="YTrain">Observed (possibly corrupted) one-hot training targets, N×c.</param>
/// <param name="TrainLabels">Observed training labels.</param>
/// <param name="CleanMask">Per training sample, whether the observed label is the true one; null when unknown
/// (then cleaning metrics are omitted, not invented).</param>
/// <param name="XValidation">Trusted validation features, N'×m.</param>
/// <param name="YValidation">Validation one-hot targets, N'×c.</param>
/// <param name="XTest">Test features (may have 0 rows).</param>
/// <param name="TestLabels">Test labels.</param>
/// <param name="ClassCount">c.</param>
/// <param name="Description">Where the data came from, for the summary.</param>
public sealed record HyperCleaningDataset(
    Matrix XTrain, Matrix YTrain, int[] TrainLabels, bool[]? CleanMask,
    Matrix XValidation, Matrix YValidation, Matrix XTest, int[] TestLabels, int ClassCount, string Description);
