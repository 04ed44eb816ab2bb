using Pbgd.Validation;
namespace Pbgd.Data;

/// <summary><c>libsvm:TRAIN[,TEST]</c>: LIBSVM/svmlight files with integer labels; the test set from TEST when given
/// (else split off TRAIN), the validation set from the request's validation file when given (else split off TRAIN).
/// Every file is read with the training file's label map, and all are widened to the widest one's features (a file
/// densifies to its own largest index).</summary>
public sealed class LibsvmSource : IDatasetSource<ClassificationRequest, LoadedDataset>
{
    /// <inheritdoc />
    public string Scheme => "libsvm";

    /// <inheritdoc />
    public string Syntax => "libsvm:TRAIN[,TEST]";

    /// <inheritdoc />
    public string Description => "LIBSVM/svmlight text with integer labels; the test set from TEST when given, else split off TRAIN";

    /// <inheritdoc />
    public string? ArgumentProblem(DatasetSpec spec) =>
        spec.List is { Count: 1 or 2 } files && files.All(f => f.Length > 0) ? null : "needs a training file and, optionally, a test file";

    /// <inheritdoc />
    public LoadedDataset Load(DatasetSpec spec, ClassificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        var files = spec.List;
        if (request.OfficialTest && files.Count < 2)
            throw new InvalidValueException(nameof(request.OfficialTest),
                $"'{spec}' names no test file, so there is no official test set: name one (libsvm:TRAIN,TEST), or let the test set be split off the training file.");
        var (train, map) = LibsvmReader.Read(files[0], request.Reading);
        var others = request.Reading with { LabelMap = map, MinimumFeatures = train.Features.Columns };
        var validation = request.ValidationFile is { } file ? LibsvmReader.Read(file, others).Data : null;
        var test = files.Count > 1 ? LibsvmReader.Read(files[1], others).Data : null;
        int m = Math.Max(train.Features.Columns, Math.Max(validation?.Features.Columns ?? 0, test?.Features.Columns ?? 0));
        var prepared = DatasetPreparation.Prepare(Widen(train, m)!, Widen(test, m), Widen(validation, m), request.Preparation);
        return new LoadedDataset(prepared, spec) { Notes = [.. train.Notes, .. validation?.Notes ?? [], .. test?.Notes ?? []] };
    }

    // The data with zero features appended up to m (itself when it has m already).
    private static LabeledData? Widen(LabeledData? data, int m)
    {
        if (data is null || data.Features.Columns == m) return data;
        var x = new Linalg.Matrix(data.Features.Rows, m);
        for (int i = 0; i < x.Rows; i++) data.Features.Row(i).CopyTo(x.Row(i));
        return data with { Features = x };
    }
}
