using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// MNIST-layout IDX folders (the four files, raw or .gz, 10 classes): a fetched data set by name in the data folder
/// (<c>mnist</c>, <c>fashion-mnist</c>), which falls back to the embedded synthetic set when it has not been fetched,
/// or any folder (<c>idx:DIR</c>), which must hold the files. The test set is split off the training file unless the
/// request asks for the official test files.
/// </summary>
public sealed class IdxSource : IDatasetSource<ClassificationRequest, LoadedDataset>
{
    // The fetched data set's name, or null for idx:DIR.
    private readonly string? _name;

    private IdxSource(string? name, string scheme, string syntax, string description)
    {
        _name = name;
        Scheme = scheme;
        Syntax = syntax;
        Description = description;
    }

    /// <summary>A fetched data set: <c>DATA/name</c>, where DATA is the request's data root.</summary>
    /// <param name="name">The data set's name, which is also its scheme and folder.</param>
    /// <param name="description">One line for help texts.</param>
    public static IdxSource Fetched(string name, string description) => new(name, name, name, description);

    /// <summary><c>idx:DIR</c>: the files of any folder.</summary>
    public static IdxSource Folder { get; } = new(null, "idx", "idx:DIR", "the four MNIST-layout IDX files (raw or .gz) in folder DIR");

    /// <inheritdoc />
    public string Scheme { get; }

    /// <inheritdoc />
    public string Syntax { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public string? ArgumentProblem(DatasetSpec spec) => _name is null
        ? string.IsNullOrEmpty(spec.Arguments) ? "needs a folder" : null
        : spec.Arguments is null ? null : "takes no arguments";

    /// <inheritdoc />
    /// <exception cref="DirectoryNotFoundException">An <c>idx:</c> folder lacks one of the four files.</exception>
    /// <exception cref="InvalidValueException">The request names a validation file (ParamName
    /// <c>ValidationFile</c>).</exception>
    public LoadedDataset Load(DatasetSpec spec, ClassificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        // Refused before the fallback too: the synthetic stand-in has no use for it either.
        if (request.ValidationFile is not null)
            throw new InvalidValueException(nameof(request.ValidationFile),
                $"a validation file is supported with libsvm: and csv: data sets, not with {spec}.");
        string folder = _name is null ? spec.Arguments! : DatasetLocator.FolderFor(_name, request.DataRoot);
        if (!DatasetLocator.IsComplete(folder))
        {
            if (_name is null)
                throw new DirectoryNotFoundException(
                    $"{folder} does not hold the four IDX files ({string.Join(", ", DatasetLocator.IdxFiles)}, raw or .gz).");
            return new LoadedDataset(SyntheticClustersSource.Prepare(request.Preparation), DatasetSpec.Parse(SyntheticClustersSource.SchemeName))
            {
                Fallback = new DatasetFallback(_name, folder),
            };
        }
        // The name in the summary: the data set's, or the folder's path.
        string name = _name ?? folder;
        var limits = request.Reading.Limits;
        if (request.Communicator is { } communicator) return new LoadedDataset(LoadShare(folder, name, request, communicator), spec);
        var train = DatasetLocator.LoadTrain(folder, limits, name);
        var test = request.OfficialTest ? DatasetLocator.LoadTest(folder, limits, name) : null;
        return new LoadedDataset(DatasetPreparation.Prepare(train, test, null, request.Preparation), spec);
    }

    // A data-parallel run's share: every label (one byte each) and the image header, then only the image rows this
    // process needs (its training rows, the validation and test sets), each read at its own offset.
    private static PreparedDataset LoadShare(string folder, string name, ClassificationRequest request, Pbgd.Distributed.ICommunicator communicator)
    {
        const int Classes = 10;
        var limits = request.Reading.Limits;
        var (images, labelsPath) = DatasetLocator.PartFiles(folder, "train");
        var labels = IdxReader.ReadLabels(labelsPath, limits);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= Classes)
                throw DataFormatException.AtByte(labelsPath, 8 + i, $"label {labels[i]} is outside 0…{Classes - 1}.", labelsPath.EndsWith(".gz", StringComparison.Ordinal));
        var header = IdxReader.ReadImageHeader(images);
        if (header.Count != labels.Length)
            throw DataFormatException.AtByte(images, 4, $"{header.Count} images, but the label file has {labels.Length} labels.", header.Compressed);
        var test = request.OfficialTest ? DatasetLocator.LoadTest(folder, limits, name) : null;
        var plan = ShardedPreparation.Plan(labels.Length, validationFromSource: true, testFromSource: test is null, request.Preparation, Classes, communicator);
        var sink = new ShardedPreparation.RowSink(plan, header.Rows * header.Columns);
        IdxReader.ReadImageRows(images, plan.NeededRows(), (i, pixels) => sink.Put(i, pixels, labels[i]), limits);
        return ShardedPreparation.Assemble(sink, null, test, Classes, request.Preparation, name);
    }
}
