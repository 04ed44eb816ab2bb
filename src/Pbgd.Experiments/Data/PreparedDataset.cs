using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>A classification data set ready for a hyper-cleaning run: features scaled, targets one-hot, training labels
/// corrupted by a known process (so the clean mask is known), validation and test sets split off.</summary>
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
public sealed record PreparedDataset(
    Matrix XTrain, Matrix YTrain, int[] TrainLabels, bool[]? CleanMask,
    Matrix XValidation, Matrix YValidation, Matrix XTest, int[] TestLabels, int ClassCount, string Description)
{
    /// <summary>When the training rows are spread over processes (a data-parallel run): the rows this process holds.
    /// <see cref="XTrain"/>, <see cref="YTrain"/>, <see cref="TrainLabels"/> and <see cref="CleanMask"/> then hold those
    /// rows only; the validation and test sets are every process's. Null: this process holds every row.</summary>
    public Pbgd.Distributed.RowShard? Shard { get; init; }

    /// <summary>X_trn kept in float only (a float-only run, <c>DataPrecision.SingleOnly</c>): <see cref="XTrain"/> then
    /// has no rows (only its column count), so the double values can be freed. Null otherwise.</summary>
    public Pbgd.Linalg.SingleRows? XTrainSingle { get; init; }

    /// <summary>N over every process.</summary>
    public int GlobalTrainCount => Shard?.GlobalRows ?? XTrainSingle?.Rows ?? XTrain.Rows;

    /// <summary>A copy with a constant-one feature appended to every feature matrix (a bias for a model without its own).</summary>
    public PreparedDataset WithBiasColumn() =>
        this with { XTrain = BiasColumn.Append(XTrain), XValidation = BiasColumn.Append(XValidation), XTest = BiasColumn.Append(XTest) };
}
