using Pbgd.Linalg;

namespace Pbgd.Problems;

/// Validates the training and validation matrices of the hyper-cleaning and representation-learning models (shapes agree,
/// sets non-empty, entries finite); every mismatch names the argument.
internal static class HyperCleaningDataValidator
{
    internal static void Validate(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
    {
        ArgumentNullException.ThrowIfNull(xTrain);
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(xValidation);
        ArgumentNullException.ThrowIfNull(yValidation);
        if (xTrain.Rows == 0 || xTrain.Columns == 0)
            throw new ArgumentException("The training set is empty.", nameof(xTrain));
        if (yTrain.Rows != xTrain.Rows)
            throw new ArgumentException($"yTrain has {yTrain.Rows} rows but xTrain has {xTrain.Rows}.", nameof(yTrain));
        if (yTrain.Columns == 0) throw new ArgumentException("yTrain has no columns.", nameof(yTrain));
        if (xValidation.Rows == 0) throw new ArgumentException("The validation set is empty.", nameof(xValidation));
        if (xValidation.Columns != xTrain.Columns)
            throw new ArgumentException($"xValidation has {xValidation.Columns} features but xTrain has {xTrain.Columns}.", nameof(xValidation));
        if (yValidation.Rows != xValidation.Rows || yValidation.Columns != yTrain.Columns)
            throw new ArgumentException(
                $"yValidation is {yValidation.Rows}×{yValidation.Columns}; expected {xValidation.Rows}×{yTrain.Columns}.", nameof(yValidation));
        RequireFinite(xTrain, nameof(xTrain));
        RequireFinite(yTrain, nameof(yTrain));
        RequireFinite(xValidation, nameof(xValidation));
        RequireFinite(yValidation, nameof(yValidation));
    }

    private static void RequireFinite(Matrix matrix, string name)
    {
        var span = matrix.Span;
        for (int k = 0; k < span.Length; k++)
            if (!double.IsFinite(span[k]))
                throw new ArgumentException($"{name}[{k / matrix.Columns}, {k % matrix.Columns}] is {span[k]}; data must be finite.", name);
    }
}
