using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// Label corruption of the hyper-cleaning protocols (docs/algorithms.md §4): round(rate·N) samples, chosen by a seeded
/// permutation, get a label drawn uniformly from 0…C−1. The draw may hit the true label; such a sample counts as
/// clean, which the result's <see cref="LabeledData.CleanMask"/> records (observed == true).
/// </summary>
public static class LabelCorruption
{
    /// <summary>Corrupts a copy of the labels.</summary>
    /// <param name="data">The (training) data; its labels are taken as the truth unless it already has true labels.</param>
    /// <param name="rate">Fraction of samples redrawn, 0…1.</param>
    /// <param name="random">The generator; it advances by one permutation of N and one draw per redrawn sample.</param>
    /// <param name="classCount">C to draw from; null for the data's own.</param>
    /// <returns>The data with observed labels in <see cref="LabeledData.Labels"/> and the truth in <see cref="LabeledData.TrueLabels"/>;
    /// features are shared, not copied.</returns>
    public static LabeledData Corrupt(LabeledData data, double rate, SplitMix64 random, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        if (!(rate >= 0 && rate <= 1))
            throw InvalidValueException.Invariant(nameof(rate), $"the corruption rate must lie in [0, 1], not {rate}.");
        int classes = classCount ?? data.ClassCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, data.ClassCount, nameof(classCount));
        var truth = data.TrueLabels ?? data.Labels;
        var observed = (int[])data.Labels.Clone();
        int n = observed.Length, redrawn = RedrawCount(rate, n);
        var victims = random.Permutation(n);
        for (int k = 0; k < redrawn; k++) observed[victims[k]] = random.Next(classes);
        return data with { Labels = observed, TrueLabels = (int[])truth.Clone(), ClassCount = classes };
    }

    /// <summary>How many of <paramref name="n"/> samples a rate redraws: round(rate·n), halves to even.</summary>
    /// <param name="rate">Fraction, 0…1.</param>
    /// <param name="n">Samples.</param>
    public static int RedrawCount(double rate, int n) => (int)Math.Round(rate * n);
}
