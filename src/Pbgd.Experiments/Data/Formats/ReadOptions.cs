using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// How a text reader reads one file: the one options record of <see cref="CsvDatasetReader"/>,
/// <see cref="LibsvmReader"/> and <see cref="CsvMatrixReader"/> (each takes <c>Read(path, options)</c>). A reader
/// uses the fields that mean something for its format, as each field says, and ignores the others. A data source
/// derives the options of a test or validation file from the training file's (<c>options with { LabelMap = map }</c>).
/// <see cref="IdxReader"/> reads a pair of binary files with a fixed class count and no label column or map, so it
/// takes only <see cref="LoadLimits"/>.
/// </summary>
public sealed record ReadOptions
{
    /// <summary>The defaults: last column is the label, header detected, new label map, no padding, default limits.</summary>
    public static ReadOptions Default { get; } = new();

    /// <summary>Allocation limits (every reader).</summary>
    public LoadLimits Limits { get; init; } = LoadLimits.Default;

    /// <summary>CSV classification: the label column, by header name or 0-based index (−1 = last).</summary>
    public string LabelColumn { get; init; } = "-1";

    /// <summary>CSV: whether the first row is a header; null to detect it (a header has a non-numeric field).</summary>
    public bool? HasHeader { get; init; }

    /// <summary>Classification: the training file's label map when reading a test or validation file, so that the
    /// classes agree; null to build one from the file.</summary>
    public LabelMap? LabelMap { get; init; }

    /// <summary>LIBSVM: pad to at least this many features (a test file may use fewer than the training file).</summary>
    public int MinimumFeatures { get; init; }

    /// <summary>Checks the values, naming the property at fault.</summary>
    /// <exception cref="InvalidValueException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Limits, nameof(Limits));
        ArgumentNullException.ThrowIfNull(LabelColumn, nameof(LabelColumn));
        if (MinimumFeatures < 0)
            throw new InvalidValueException(nameof(MinimumFeatures), $"the minimum feature count must be ≥ 0, not {MinimumFeatures}.");
    }
}
