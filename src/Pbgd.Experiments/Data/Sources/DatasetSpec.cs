namespace Pbgd.Data;

/// <summary>
/// A data set as named on a command line or in a configuration: <c>scheme[:arguments]</c>, e.g. <c>mnist</c>,
/// <c>idx:/data/digits</c>, <c>libsvm:train.svm,test.svm</c>. Parsing splits at the first colon only, so the
/// arguments may hold colons (a Windows path); which schemes exist and what their arguments mean is the business of
/// a <see cref="DatasetRegistry{TRequest, TResult}"/> and its sources.
/// </summary>
/// <param name="Scheme">The text before the first colon, or the whole text.</param>
/// <param name="Arguments">The text after the first colon (possibly empty); null when there is no colon.</param>
public sealed record DatasetSpec(string Scheme, string? Arguments)
{
    /// <summary>Splits <c>scheme[:arguments]</c> at its first colon.</summary>
    /// <param name="text">The spec.</param>
    public static DatasetSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':');
        return colon < 0 ? new DatasetSpec(text, null) : new DatasetSpec(text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The arguments split at commas (the files of <c>libsvm:TRAIN,TEST</c>); empty when there are none.</summary>
    public IReadOnlyList<string> List => Arguments is null ? [] : Arguments.Split(',');

    /// <summary>The spec as written: <c>scheme</c> or <c>scheme:arguments</c>.</summary>
    public override string ToString() => Arguments is null ? Scheme : $"{Scheme}:{Arguments}";
}
