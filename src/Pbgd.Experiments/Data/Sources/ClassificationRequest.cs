namespace Pbgd.Data;

/// <summary>What a caller adds to a classification spec: how to prepare the loaded samples and the options the
/// file formats read.</summary>
/// <param name="Preparation">Sizes, corruption, scaling, seed and bias column.</param>
public sealed record ClassificationRequest(PreparationSpec Preparation)
{
    /// <summary>A trusted validation file in the data set's format (libsvm:, csv:), or null to split the validation
    /// set off the training data. The other sources do not use one: the IDX folders refuse it, the synthetic set
    /// ignores it.</summary>
    public string? ValidationFile { get; init; }

    /// <summary>IDX folders: take the test set from the folder's own test files instead of the training file.</summary>
    public bool OfficialTest { get; init; }

    /// <summary>How the text formats read their files (the CSV label column, load limits); the sources set the label
    /// map and feature count of test and validation files themselves.</summary>
    public ReadOptions Reading { get; init; } = ReadOptions.Default;

    /// <summary>The folder of fetched data sets, or null for <see cref="DatasetLocator.DataRoot(string?)"/>'s choice.</summary>
    public string? DataRoot { get; init; }
}

/// <summary>What a classification source delivered.</summary>
/// <param name="Data">The prepared split.</param>
/// <param name="Spec">The data set actually loaded: the requested one, or <c>synthetic</c> after a fallback.</param>
public sealed record LoadedDataset(PreparedDataset Data, DatasetSpec Spec)
{
    /// <summary>Set when the requested data set was not there and the embedded synthetic set stands in for it.</summary>
    public DatasetFallback? Fallback { get; init; }

    /// <summary>What the readers noticed but accepted (e.g. repeated LIBSVM indices), in words, for warnings.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A named data set that has not been fetched, replaced by the embedded synthetic set. The facts only: a
/// front end says how to fetch it.</summary>
/// <param name="Requested">The data set's name (<c>mnist</c>, <c>fashion-mnist</c>).</param>
/// <param name="Folder">Where it was looked for.</param>
public sealed record DatasetFallback(string Requested, string Folder);
