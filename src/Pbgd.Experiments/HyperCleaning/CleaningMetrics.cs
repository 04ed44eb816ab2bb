namespace Pbgd.Experiments;

/// <summary>
/// Cleaning quality (docs/algorithms.md §4): a sample is clean when its observed label is its true label (a redraw that
/// hits the truth is clean) and predicted clean when u_i ≥ 0 (ψ ≥ ½).
/// </summary>
/// <param name="Precision">Of the samples predicted clean, the fraction that are clean.</param>
/// <param name="Recall">Of the clean samples, the fraction predicted clean.</param>
/// <param name="F1">Harmonic mean of the two.</param>
public readonly record struct CleaningMetrics(double Precision, double Recall, double F1)
{
    /// <summary>Scores the prediction u ≥ 0 against the true clean mask.</summary>
    /// <param name="u">The learned logits u.</param>
    /// <param name="cleanMask">True where the observed label is correct.</param>
    public static CleaningMetrics Compute(ReadOnlySpan<double> u, ReadOnlySpan<bool> cleanMask) => Compute(u, cleanMask, null);

    /// <summary>The metrics over every process's samples of a data-parallel run (u and the mask hold this process's
    /// share; the counts are summed exactly over the processes). Collective when <paramref name="communicator"/> is set.</summary>
    /// <param name="u">This process's weights.</param>
    /// <param name="cleanMask">This process's clean flags.</param>
    /// <param name="communicator">The processes (null: this one holds every sample).</param>
    public static CleaningMetrics Compute(ReadOnlySpan<double> u, ReadOnlySpan<bool> cleanMask, Pbgd.Distributed.ICommunicator? communicator)
    {
        if (u.Length != cleanMask.Length)
            throw new ArgumentException($"u has {u.Length} entries but the clean mask has {cleanMask.Length}.", nameof(cleanMask));
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < u.Length; i++)
        {
            bool predicted = u[i] >= 0;
            if (predicted && cleanMask[i]) tp++;
            else if (predicted) fp++;
            else if (cleanMask[i]) fn++;
        }
        if (communicator is { Size: > 1 })
        {
            Span<long> counts = stackalloc long[3] { tp, fp, fn };
            communicator.Sum(counts);
            (tp, fp, fn) = (counts[0], counts[1], counts[2]);
        }
        double precision = tp + fp == 0 ? 0 : tp / (double)(tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new CleaningMetrics(precision, recall, f1);
    }

    /// <summary>Fraction of rows whose highest score is the label.</summary>
    /// <param name="scores">rows×c scores, row-major.</param>
    /// <param name="labels">One label per row.</param>
    public static double Accuracy(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (labels.IsEmpty) return double.NaN;
        if (scores.Length % labels.Length != 0)
            throw new ArgumentException($"{scores.Length} scores do not split into {labels.Length} rows.", nameof(scores));
        int c = scores.Length / labels.Length, correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * c, c);
            int best = 0;
            for (int j = 1; j < c; j++) if (row[j] > row[best]) best = j;
            if (best == labels[i]) correct++;
        }
        return correct / (double)labels.Length;
    }
}
