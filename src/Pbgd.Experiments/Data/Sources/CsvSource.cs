using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary><c>csv:FILE</c>: a numeric CSV file, one sample a row, the label in the column the request's reading
/// options name (header name or index; the last by default). The validation set comes from the request's validation
/// file, read with the same column and the training file's label map, or is split off FILE; so is the test set.</summary>
public sealed class CsvSource : IDatasetSource<ClassificationRequest, LoadedDataset>
{
    /// <inheritdoc />
    public string Scheme => "csv";

    /// <inheritdoc />
    public string Syntax => "csv:FILE";

    /// <inheritdoc />
    public string Description => "numeric CSV, one sample a row; the label column by header name or index (the last by default)";

    /// <inheritdoc />
    public string? ArgumentProblem(DatasetSpec spec) => string.IsNullOrEmpty(spec.Arguments) ? "needs a file" : null;

    /// <inheritdoc />
    /// <exception cref="InvalidValueException">The validation file has another feature count (ParamName
    /// <c>ValidationFile</c>), or the label column is outside a file (ParamName <c>LabelColumn</c>).</exception>
    public LoadedDataset Load(DatasetSpec spec, ClassificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        if (request.OfficialTest)
            throw new InvalidValueException(nameof(request.OfficialTest),
                "a csv data set has one file and no official test set; its test set is split off the training file.");
        var (train, map) = CsvDatasetReader.Read(spec.Arguments!, request.Reading);
        LabeledData? validation = null;
        if (request.ValidationFile is { } file)
        {
            validation = CsvDatasetReader.Read(file, request.Reading with { LabelMap = map }).Data;
            if (validation.Features.Columns != train.Features.Columns)
                throw new InvalidValueException(nameof(request.ValidationFile),
                    $"{file} has {validation.Features.Columns} features but {train.Source} has {train.Features.Columns}.");
        }
        return new LoadedDataset(DatasetPreparation.Prepare(train, null, validation, request.Preparation), spec);
    }
}
