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

    /// The checks for X_trn kept in float only (the float-only storage mode).
    internal static void Validate(SingleRows xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation)
    {
        ArgumentNullException.ThrowIfNull(xTrain);
        // The shapes through a 0×m stand-in for X_trn (no double copy), then X_trn's own values.
        Validate(new Matrix(0, xTrain.Columns), new Matrix(0, yTrain.Columns), xValidation, yValidation, trainRows: xTrain.Rows, yTrain);
        var values = xTrain.Span;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"xTrain[{i / xTrain.Columns}, {i % xTrain.Columns}] is {values[i]}; data must be finite.", nameof(xTrain));
    }

    private static void Validate(Matrix xShape, Matrix yShape, Matrix xValidation, Matrix yValidation, int trainRows, Matrix yTrain)
    {
        ArgumentNullException.ThrowIfNull(yTrain);
        ArgumentNullException.ThrowIfNull(xValidation);
        ArgumentNullException.ThrowIfNull(yValidation);
        if (trainRows == 0 || xShape.Columns == 0) throw new ArgumentException("The training set is empty.", "xTrain");
        if (yTrain.Rows != trainRows) throw new ArgumentException($"yTrain has {yTrain.Rows} rows but xTrain has {trainRows}.", nameof(yTrain));
        if (yTrain.Columns == 0) throw new ArgumentException("yTrain has no columns.", nameof(yTrain));
        if (xValidation.Rows == 0) throw new ArgumentException("The validation set is empty.", nameof(xValidation));
        if (xValidation.Columns != xShape.Columns)
            throw new ArgumentException($"xValidation has {xValidation.Columns} features but xTrain has {xShape.Columns}.", nameof(xValidation));
        if (yValidation.Rows != xValidation.Rows || yValidation.Columns != yTrain.Columns)
            throw new ArgumentException(
                $"yValidation is {yValidation.Rows}×{yValidation.Columns}; expected {xValidation.Rows}×{yTrain.Columns}.", nameof(yValidation));
        RequireFinite(yTrain, nameof(yTrain));
        RequireFinite(xValidation, nameof(xValidation));
        RequireFinite(yValidation, nameof(yValidation));
        _ = yShape;
    }

    private static void RequireFinite(Matrix matrix, string name)
    {
        var span = matrix.Span;
        for (int k = 0; k < span.Length; k++)
            if (!double.IsFinite(span[k]))
                throw new ArgumentException($"{name}[{k / matrix.Columns}, {k % matrix.Columns}] is {span[k]}; data must be finite.", name);
    }
}
