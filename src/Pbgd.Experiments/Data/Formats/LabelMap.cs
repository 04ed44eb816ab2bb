namespace Pbgd.Data;

/// <summary>Maps a file's integer class labels (e.g. −1/+1, or 1…10) onto 0…C−1 in ascending order; a test
/// file reuses the training file's map so that the classes agree.</summary>
public sealed class LabelMap
{
    private readonly Dictionary<long, int> _index;

    /// <summary>Builds the map from the distinct labels seen.</summary>
    /// <param name="labels">The labels as written in the file.</param>
    public LabelMap(IEnumerable<long> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Values = labels.Distinct().Order().ToArray();
        _index = Values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
    }

    /// <summary>The original label of each class, ascending.</summary>
    public IReadOnlyList<long> Values { get; }

    /// <summary>Class index of an original label, or −1 when unseen.</summary>
    /// <param name="label">The label as written in the file.</param>
    public int IndexOf(long label) => _index.TryGetValue(label, out int i) ? i : -1;

    /// <summary>Whether a number read from a file is an integer class label (at most 10¹⁵ in magnitude, so that it is
    /// exact as a long).</summary>
    /// <param name="label">The finite number read.</param>
    internal static bool IsClassLabel(double label) => label == Math.Floor(label) && Math.Abs(label) <= 1e15;

    /// <summary>The class indices of a file's labels under <paramref name="map"/> (the training file's), or under a map
    /// built from them when it is null. Refuses more than <paramref name="maxClasses"/> classes, and a label the map
    /// has not seen, naming the line (and column) it stands on.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="raw">The labels as written.</param>
    /// <param name="lines">The line of each label.</param>
    /// <param name="map">The training file's map, or null.</param>
    /// <param name="maxClasses">The class limit (<see cref="LoadLimits.MaxClasses"/>).</param>
    /// <param name="column">The labels' 1-based column, for messages; null when the format has none.</param>
    /// <exception cref="DataFormatException">Too many classes, or an unseen label.</exception>
    internal static (int[] Labels, LabelMap Map) Index(string path, IReadOnlyList<long> raw, IReadOnlyList<long> lines,
        LabelMap? map, int maxClasses, int? column = null)
    {
        map ??= new LabelMap(raw);
        if (map.Values.Count > maxClasses)
            throw new DataFormatException(path, "labels", $"{map.Values.Count} classes exceed the limit of {maxClasses}.");
        var labels = new int[raw.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = map.IndexOf(raw[i]);
            if (labels[i] < 0)
                throw DataFormatException.AtLine(path, lines[i], $"label {raw[i]} does not occur in the training file.", column);
        }
        return (labels, map);
    }
}
