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
        if (request.Communicator is { } communicator) return new LoadedDataset(LoadShare(files, request, communicator), spec);
        var (train, map) = LibsvmReader.Read(files[0], request.Reading);
        var others = request.Reading with { LabelMap = map, MinimumFeatures = train.Features.Columns };
        var validation = request.ValidationFile is { } file ? LibsvmReader.Read(file, others).Data : null;
        var test = files.Count > 1 ? LibsvmReader.Read(files[1], others).Data : null;
        int m = Math.Max(train.Features.Columns, Math.Max(validation?.Features.Columns ?? 0, test?.Features.Columns ?? 0));
        var prepared = DatasetPreparation.Prepare(Widen(train, m)!, Widen(test, m), Widen(validation, m), request.Preparation);
        return new LoadedDataset(prepared, spec) { Notes = [.. train.Notes, .. validation?.Notes ?? [], .. test?.Notes ?? []] };
    }

    // A data-parallel run's share: a light pass over the training file (count, labels, widest index), the other files
    // read whole, then a full parse of only the training file's samples this process needs.
    private static PreparedDataset LoadShare(IReadOnlyList<string> files, ClassificationRequest request, Pbgd.Distributed.ICommunicator communicator)
    {
        var outline = LibsvmShare.Scan(files[0], request.Reading);
        var others = request.Reading with { LabelMap = outline.Map, MinimumFeatures = outline.Columns };
        var validation = request.ValidationFile is { } file ? LibsvmReader.Read(file, others).Data : null;
        var test = files.Count > 1 ? LibsvmReader.Read(files[1], others).Data : null;
        int m = Math.Max(outline.Columns, Math.Max(validation?.Features.Columns ?? 0, test?.Features.Columns ?? 0));
        int classes = Math.Max(outline.Map.Values.Count, Math.Max(test?.ClassCount ?? 0, validation?.ClassCount ?? 0));
        var plan = ShardedPreparation.Plan(outline.Samples, validation is null, test is null, request.Preparation, classes, communicator);
        if ((long)(plan.TrainRows.Length + (plan.ValidationRows?.Length ?? 0) + (plan.TestRows?.Length ?? 0)) * m > request.Reading.Limits.MaxValues)
            throw DataFormatException.AtLine(files[0], 1, $"densifying this process's samples × {m} features exceeds the limit of {request.Reading.Limits.MaxValues} values.");
        var sink = new ShardedPreparation.RowSink(plan, m);
        LibsvmShare.Read(files[0], request.Reading, outline.Map, m, sink.Wants, sink.Put);
        return ShardedPreparation.Assemble(sink, Widen(validation, m), Widen(test, m), classes, request.Preparation, files[0]);
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
