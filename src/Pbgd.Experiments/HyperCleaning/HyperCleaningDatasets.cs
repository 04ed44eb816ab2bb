using Pbgd.Data;

namespace Pbgd.Experiments;

/// <summary>Turns a configuration's <c>Dataset</c> into a prepared <see cref="PreparedDataset"/>.</summary>
public static class HyperCleaningDatasets
{
    /// <summary>
    /// Loads, splits, corrupts and scales the configured data set. The default MNIST falls back to the embedded
    /// synthetic data set, and says so through <paramref name="log"/>, when it has not been fetched.
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="dataDirectory">Where fetched data sets live (null: ./data or $PBGD_DATA_DIR).</param>
    /// <param name="log">Receives one line per decision worth telling the user.</param>
    public static PreparedDataset Prepare(HyperCleaningConfig config, string? dataDirectory, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        config.Validate();
        if (config.Dataset == "synthetic") return HyperCleaningExperiment.Synthetic(config);
        var spec = config.Dataset;
        LabeledData? validation = null;
        if (spec is "mnist" or "fashion-mnist" || spec.StartsWith("idx:", StringComparison.Ordinal))
        {
            string root = dataDirectory ?? Environment.GetEnvironmentVariable("PBGD_DATA_DIR") ?? "data";
            string folder = spec.StartsWith("idx:", StringComparison.Ordinal) ? spec[4..] : Path.Combine(root, spec);
            if (!DatasetFetcher.IsComplete(folder))
            {
                if (spec.StartsWith("idx:", StringComparison.Ordinal))
                    throw new DirectoryNotFoundException($"--dataset {spec}: {folder} does not hold the four IDX files ({string.Join(", ", DatasetFetcher.IdxFiles)}, raw or .gz).");
                log($"{spec} not found in {Path.GetFullPath(folder)} (fetch it with 'pbgd data fetch {spec}'): " +
                    "using the embedded synthetic data set instead.");
                return HyperCleaningExperiment.Synthetic(config with { Dataset = "synthetic" });
            }
            LabeledData Load(string images, string labels) => new LabeledData(
                IdxReader.ReadImages(DatasetFetcher.Locate(folder, images)!), IdxReader.ReadLabels(DatasetFetcher.Locate(folder, labels)!), 10,
                spec.StartsWith("idx:", StringComparison.Ordinal) ? folder : spec).Validated();
            var train = Load("train-images-idx3-ubyte", "train-labels-idx1-ubyte");
            if (config.ValidationFile is not null) throw new ArgumentException("--val-file is supported with libsvm: and csv: data sets.", nameof(config));
            var test = config.OfficialTest ? Load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte") : null;
            return DatasetPreparation.Prepare(train, test, null, config.Preparation);
        }
        if (spec.StartsWith("libsvm:", StringComparison.Ordinal))
        {
            var files = spec[7..].Split(',');
            var (train, map) = LibsvmReader.Read(files[0]);
            var others = new ReadOptions { LabelMap = map, MinimumFeatures = train.Features.Columns };
            if (config.ValidationFile is { } vf) validation = LibsvmReader.Read(vf, others).Data;
            var test = files.Length > 1 ? LibsvmReader.Read(files[1], others).Data : null;
            return DatasetPreparation.Prepare(Pad(train, validation, test), test is null ? null : Pad(test, train), validation is null ? null : Pad(validation, train), config.Preparation);
        }
        if (spec.StartsWith("csv:", StringComparison.Ordinal))
        {
            var reading = new ReadOptions { LabelColumn = config.LabelColumn };
            var (train, map) = CsvDatasetReader.Read(spec[4..], reading);
            if (config.ValidationFile is { } vf) validation = CsvDatasetReader.Read(vf, reading with { LabelMap = map }).Data;
            return DatasetPreparation.Prepare(train, null, validation, config.Preparation);
        }
        throw new ArgumentException($"--dataset: '{spec}' is not mnist, fashion-mnist, idx:DIR, libsvm:TRAIN[,TEST], csv:FILE or synthetic.", nameof(config));
    }

    // LIBSVM files densify to their own largest index; widen the narrower ones so all splits share m.
    private static LabeledData Pad(LabeledData data, params LabeledData?[] others)
    {
        int m = Math.Max(data.Features.Columns, others.Max(o => o?.Features.Columns ?? 0));
        if (m == data.Features.Columns) return data;
        var x = new Linalg.Matrix(data.Features.Rows, m);
        for (int i = 0; i < x.Rows; i++) data.Features.Row(i).CopyTo(x.Row(i));
        return data with { Features = x };
    }
}
