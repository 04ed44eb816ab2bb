using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>What a caller adds to a regression spec: the sizes and seed a generated instance needs (files bring
/// their own sizes) and the options the text formats read.</summary>
/// <param name="Train">Generated: training samples N.</param>
/// <param name="Validation">Generated: validation samples N'.</param>
/// <param name="Features">Generated: features m.</param>
/// <param name="Outputs">Generated: outputs n.</param>
/// <param name="Hidden">Width h of the representation the start is drawn for.</param>
/// <param name="Seed">Seed of a generated instance.</param>
public sealed record RegressionRequest(int Train, int Validation, int Features, int Outputs, int Hidden, int Seed)
{
    /// <summary>How the text formats read their files.</summary>
    public ReadOptions Reading { get; init; } = ReadOptions.Default;
}

/// <summary>Training and validation matrices of a multi-output regression (representation learning's data).</summary>
/// <param name="XTrain">X_trn, N×m.</param>
/// <param name="YTrain">Y_trn, N×n.</param>
/// <param name="XValidation">X_val, N'×m.</param>
/// <param name="YValidation">Y_val, N'×n.</param>
public sealed record RegressionSplit(Matrix XTrain, Matrix YTrain, Matrix XValidation, Matrix YValidation)
{
    /// <summary>The start that comes with generated data (the generator draws W1 (m×h, full rank) and W2 (h×n) from
    /// the same seeded stream as the data); null for files, whose start the experiment draws.</summary>
    public (Matrix W1, Matrix W2)? Start { get; init; }
}
