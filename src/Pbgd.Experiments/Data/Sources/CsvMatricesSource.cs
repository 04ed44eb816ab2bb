namespace Pbgd.Data;

/// <summary><c>csv:XTRAIN,YTRAIN,XVAL,YVAL</c>: four numeric CSV matrices, read with <see cref="CsvMatrixReader"/>;
/// their shapes are checked by the problem they are given to.</summary>
public sealed class CsvMatricesSource : IDatasetSource<RegressionRequest, RegressionSplit>
{
    /// <inheritdoc />
    public string Scheme => "csv";

    /// <inheritdoc />
    public string Syntax => "csv:XTRAIN,YTRAIN,XVAL,YVAL";

    /// <inheritdoc />
    public string Description => "four numeric CSV matrices: training features and targets, validation features and targets";

    /// <inheritdoc />
    public string? ArgumentProblem(DatasetSpec spec) =>
        spec.List is { Count: 4 } files && files.All(f => f.Length > 0) ? null : "needs four files";

    /// <inheritdoc />
    public RegressionSplit Load(DatasetSpec spec, RegressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        var m = spec.List.Select(file => CsvMatrixReader.Read(file, request.Reading)).ToArray();
        return new RegressionSplit(m[0], m[1], m[2], m[3]);
    }
}
