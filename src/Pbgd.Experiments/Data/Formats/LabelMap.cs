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
}
