using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>Features and integer class labels, as loaded from a file or after a transformation.</summary>
/// <param name="Features">N×m, row-major.</param>
/// <param name="Labels">Observed labels in [0, ClassCount) (after corruption, the corrupted ones).</param>
/// <param name="ClassCount">Number of classes C.</param>
/// <param name="Source">Name or file the data came from, for messages and summaries.</param>
public sealed record LabeledData(Matrix Features, int[] Labels, int ClassCount, string Source)
{
    /// <summary>The true labels when the observed ones were corrupted by a known process; null when the truth is
    /// unknown (a file as loaded), so that cleaning metrics are omitted rather than invented.</summary>
    public int[]? TrueLabels { get; init; }

    /// <summary>Per sample, whether the observed label equals the true one (a redraw that hit the truth is clean);
    /// null when <see cref="TrueLabels"/> is. A new array on each call.</summary>
    public bool[]? CleanMask
    {
        get
        {
            if (TrueLabels is not { } truth) return null;
            var clean = new bool[Labels.Length];
            for (int i = 0; i < clean.Length; i++) clean[i] = Labels[i] == truth[i];
            return clean;
        }
    }

    /// <summary>Number of samples N.</summary>
    public int Count => Labels.Length;

    /// <summary>What the reader noticed but accepted (e.g. a LIBSVM index repeated on a line: the last value kept), in
    /// words, for the caller to show as warnings.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Checks that labels, true labels and rows agree and that labels lie in range; returns this.</summary>
    /// <exception cref="DataFormatException">A count or label is inconsistent.</exception>
    internal LabeledData Validated()
    {
        if (Labels.Length != Features.Rows)
            throw new DataFormatException(Source, "labels", $"{Features.Rows} feature rows but {Labels.Length} labels.");
        if (TrueLabels is not null && TrueLabels.Length != Labels.Length)
            throw new DataFormatException(Source, "labels", $"{Labels.Length} labels but {TrueLabels.Length} true labels.");
        for (int i = 0; i < Labels.Length; i++)
            if ((uint)Labels[i] >= (uint)ClassCount || (TrueLabels is not null && (uint)TrueLabels[i] >= (uint)ClassCount))
                throw new DataFormatException(Source, $"sample {i}", $"label {Labels[i]} is outside [0, {ClassCount}).");
        return this;
    }

    /// <summary>The samples at the given indices, in that order (true labels too, when known).</summary>
    /// <param name="indices">Row indices in [0, N).</param>
    public LabeledData Subset(ReadOnlySpan<int> indices)
    {
        var x = new Matrix(indices.Length, Features.Columns);
        var labels = new int[indices.Length];
        var truth = TrueLabels is null ? null : new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Labels.Length)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"index outside the {Labels.Length} samples of {Source}.");
            Features.Row(i).CopyTo(x.Row(k));
            labels[k] = Labels[i];
            if (truth is not null) truth[k] = TrueLabels![i];
        }
        return this with { Features = x, Labels = labels, TrueLabels = truth };
    }
}
