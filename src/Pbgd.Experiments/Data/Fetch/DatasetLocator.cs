namespace Pbgd.Data;

/// <summary>
/// Finds an already-fetched IDX data set: <c>&lt;root&gt;/&lt;name&gt;</c> holding the four MNIST-layout files (raw or
/// .gz), where the root is an explicit argument, else the <c>PBGD_DATA_DIR</c> environment variable, else
/// <c>./data</c>.
/// </summary>
public static class DatasetLocator
{
    /// <summary>The environment variable that overrides the data root.</summary>
    public const string EnvironmentVariable = "PBGD_DATA_DIR";

    /// <summary>The data root when neither an argument nor the environment names one (relative to the working directory).</summary>
    public const string DefaultRoot = "data";

    /// <summary>The four IDX files of a data set, without the optional .gz suffix.</summary>
    public static IReadOnlyList<string> IdxFiles { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The data root: <paramref name="root"/>, else $PBGD_DATA_DIR, else ./data.</summary>
    /// <param name="root">An explicit root, or null.</param>
    public static string DataRoot(string? root = null) => DataRoot(root, Environment.GetEnvironmentVariable);

    /// <summary>Where a data set lives (whether or not it is there).</summary>
    /// <param name="name">Folder name, e.g. mnist or fashion-mnist.</param>
    /// <param name="root">An explicit root, or null.</param>
    public static string FolderFor(string name, string? root = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Path.Combine(DataRoot(root), name);
    }

    /// <summary>The folder of a fetched data set, or null when any of its four files is missing.</summary>
    /// <param name="name">Folder name, e.g. mnist or fashion-mnist.</param>
    /// <param name="root">An explicit root, or null.</param>
    public static string? Find(string name, string? root = null)
    {
        string folder = FolderFor(name, root);
        return IsComplete(folder) ? folder : null;
    }

    /// <summary>Whether a folder holds all four IDX files (raw or gzip).</summary>
    /// <param name="folder">The folder.</param>
    public static bool IsComplete(string folder) => IdxFiles.All(f => Locate(folder, f) is not null);

    /// <summary>The path of an IDX file in a folder, raw or .gz, or null.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="file">The name without .gz.</param>
    public static string? Locate(string folder, string file)
    {
        foreach (var candidate in new[] { Path.Combine(folder, file), Path.Combine(folder, file + ".gz") })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>Loads the training pair (train-images/train-labels) of a folder, 10 classes.</summary>
    /// <param name="folder">A complete folder.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    /// <param name="name">The data's name in messages and summaries; null for "FOLDERNAME train".</param>
    public static LabeledData LoadTrain(string folder, LoadLimits? limits = null, string? name = null) => Load(folder, "train", limits, name);

    /// <summary>Loads the official test pair (t10k-images/t10k-labels) of a folder, 10 classes.</summary>
    /// <param name="folder">A complete folder.</param>
    /// <param name="limits">Allocation limits; null for the defaults.</param>
    /// <param name="name">The data's name in messages and summaries; null for "FOLDERNAME t10k".</param>
    public static LabeledData LoadTest(string folder, LoadLimits? limits = null, string? name = null) => Load(folder, "t10k", limits, name);

    /// <summary>The root with an injectable environment, for tests (the real one is shared by parallel tests).</summary>
    /// <summary>The image and label files of a part ("train" or "t10k") of an IDX folder.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    internal static (string Images, string Labels) PartFiles(string folder, string part)
    {
        string Need(string file) => Locate(folder, file)
            ?? throw new FileNotFoundException($"{folder}: no {file} (raw or .gz); fetch the data set first.", Path.Combine(folder, file));
        return (Need($"{part}-images-idx3-ubyte"), Need($"{part}-labels-idx1-ubyte"));
    }

    internal static string DataRoot(string? root, Func<string, string?> environment) =>
        root ?? (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultRoot);

    private static LabeledData Load(string folder, string part, LoadLimits? limits, string? name)
    {
        string Need(string file) => Locate(folder, file)
            ?? throw new FileNotFoundException($"{folder}: no {file} (raw or .gz); fetch the data set first.", Path.Combine(folder, file));
        return IdxReader.ReadDataset(Need($"{part}-images-idx3-ubyte"), Need($"{part}-labels-idx1-ubyte"), classCount: 10,
            name: name ?? $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))} {part}", limits: limits);
    }
}
