using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// Every data set source of the library, by kind. Adding a data format is one source file (an
/// <see cref="IDatasetSource{TRequest, TResult}"/>) and one line here; its syntax and description then appear in
/// the commands' help and in the error that lists the valid specs.
/// </summary>
public static class DatasetRegistry
{
    /// <summary>Labeled classification data, split, corrupted and scaled for hyper-cleaning (<c>hyperclean</c>,
    /// <c>compare</c>).</summary>
    public static DatasetRegistry<ClassificationRequest, LoadedDataset> Classification { get; } = new(
        IdxSource.Fetched("mnist", "MNIST from the data folder (DATA/mnist); the embedded synthetic set when it has not been fetched"),
        IdxSource.Fetched("fashion-mnist", "Fashion-MNIST from the data folder (DATA/fashion-mnist); the embedded synthetic set when it has not been fetched"),
        IdxSource.Folder,
        new LibsvmSource(),
        new CsvSource(),
        new SyntheticClustersSource());

    /// <summary>Real-valued training and validation matrices (<c>replearn</c>). A registry of its own because its
    /// sources deliver a different result: four matrices and, from the generator, a start; no labels to corrupt,
    /// no split to draw.</summary>
    public static DatasetRegistry<RegressionRequest, RegressionSplit> Regression { get; } = new(
        new SyntheticRegressionSource(),
        new CsvMatricesSource());
}

/// <summary>The sources of one kind of data set, by scheme: parses a spec once, with an error that lists every valid
/// choice, and hands it to its source.</summary>
/// <typeparam name="TRequest">What the caller adds to the spec.</typeparam>
/// <typeparam name="TResult">What the sources deliver.</typeparam>
public sealed class DatasetRegistry<TRequest, TResult>
{
    private readonly IDatasetSource<TRequest, TResult>[] _sources;

    /// <summary>Creates a registry.</summary>
    /// <param name="sources">The sources, in the order help texts list them; schemes must be distinct.</param>
    public DatasetRegistry(params IDatasetSource<TRequest, TResult>[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.GroupBy(s => s.Scheme).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"the scheme '{twice.Key}' is registered twice.", nameof(sources));
        _sources = [.. sources];
    }

    /// <summary>The sources, in registration order.</summary>
    public IReadOnlyList<IDatasetSource<TRequest, TResult>> Sources => _sources;

    /// <summary>The syntaxes joined by " | " (<c>mnist | … | synthetic</c>), for a short help text.</summary>
    public string Syntaxes => string.Join(" | ", _sources.Select(s => s.Syntax));

    /// <summary>One line per source, its syntax and description in aligned columns, for help texts and errors.</summary>
    public IReadOnlyList<string> Choices
    {
        get
        {
            int width = _sources.Max(s => s.Syntax.Length);
            return _sources.Select(s => $"{s.Syntax.PadRight(width)}  {s.Description}").ToArray();
        }
    }

    /// <summary>Parses a spec and checks that its scheme is registered and its arguments have the source's form.</summary>
    /// <param name="text">The spec, <c>scheme[:arguments]</c>.</param>
    /// <param name="paramName">The property or parameter the spec came from, for the exception.</param>
    /// <exception cref="InvalidValueException">Unknown scheme, or arguments of the wrong form; the message lists the
    /// valid specs with their descriptions, or gives the source's syntax.</exception>
    public DatasetSpec Parse(string? text, string paramName)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidValueException(paramName, $"no data set given; the choices are:{Listing()}");
        var spec = DatasetSpec.Parse(text);
        var source = Find(spec.Scheme)
            ?? throw new InvalidValueException(paramName, $"'{text}' is not a known data set; the choices are:{Listing()}");
        if (source.ArgumentProblem(spec) is { } problem)
            throw new InvalidValueException(paramName, $"'{text}': {spec.Scheme} {problem}; the syntax is {source.Syntax} ({source.Description}).");
        return spec;
    }

    /// <summary>Loads the data set a parsed spec names.</summary>
    /// <param name="spec">A spec from <see cref="Parse"/>.</param>
    /// <param name="request">The caller's side of the request.</param>
    public TResult Load(DatasetSpec spec, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var source = Find(spec.Scheme) ?? throw new ArgumentException($"'{spec}' was not parsed by this registry.", nameof(spec));
        return source.Load(spec, request);
    }

    private IDatasetSource<TRequest, TResult>? Find(string scheme) => _sources.FirstOrDefault(s => s.Scheme == scheme);

    private string Listing() => string.Concat(Choices.Select(line => "\n  " + line));
}
