using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// A seeded train/validation/test split: one random permutation of the source's rows, cut into consecutive
/// pieces in that order (the V-PBGD protocol takes 5 000/5 000/10 000 this way from MNIST's 60 000-sample training
/// file), or train/validation from the permutation and the test set from its own file.
/// </summary>
/// <param name="Train">Training samples.</param>
/// <param name="Validation">Validation samples.</param>
/// <param name="Test">Test samples.</param>
/// <param name="TrainIndices">Source rows of <paramref name="Train"/>.</param>
/// <param name="ValidationIndices">Source rows of <paramref name="Validation"/>.</param>
/// <param name="TestIndices">Rows of <paramref name="Test"/> in the source, or in the test file when one was given.</param>
public sealed record DatasetSplit(LabeledData Train, LabeledData Validation, LabeledData Test,
    int[] TrainIndices, int[] ValidationIndices, int[] TestIndices)
{
    /// <summary>Splits one data set three ways.</summary>
    /// <param name="source">The data to split.</param>
    /// <param name="train">Training size, ≥ 1.</param>
    /// <param name="validation">Validation size, ≥ 1.</param>
    /// <param name="test">Test size, ≥ 1; train + validation + test ≤ N.</param>
    /// <param name="random">The generator; it advances by one permutation of N.</param>
    /// <exception cref="InvalidValueException">A size is below 1 or the sizes exceed N (names the parameter).</exception>
    public static DatasetSplit Create(LabeledData source, int train, int validation, int test, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(random);
        CheckSizes(source, (train, nameof(train)), (validation, nameof(validation)), (test, nameof(test)));
        var pieces = Cut(source.Count, random, train, validation, test);
        return new DatasetSplit(source.Subset(pieces[0]), source.Subset(pieces[1]), source.Subset(pieces[2]), pieces[0], pieces[1], pieces[2]);
    }

    /// <summary>Splits train and validation off one data set and takes the first <paramref name="test"/> rows of a
    /// separate test file (the official test set).</summary>
    /// <param name="source">The data to split.</param>
    /// <param name="train">Training size, ≥ 1.</param>
    /// <param name="validation">Validation size, ≥ 1; train + validation ≤ N.</param>
    /// <param name="testFile">The test data, with the source's feature count.</param>
    /// <param name="test">Test size, 1 … rows of the test file.</param>
    /// <param name="random">The generator; it advances by one permutation of N.</param>
    /// <exception cref="InvalidValueException">A size is out of range or the feature counts differ (names the parameter).</exception>
    public static DatasetSplit Create(LabeledData source, int train, int validation, LabeledData testFile, int test, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(testFile);
        ArgumentNullException.ThrowIfNull(random);
        CheckSizes(source, (train, nameof(train)), (validation, nameof(validation)));
        CheckSizes(testFile, (test, nameof(test)));
        if (testFile.Features.Columns != source.Features.Columns)
            throw new InvalidValueException(nameof(testFile),
                $"{testFile.Source} has {testFile.Features.Columns} features but {source.Source} has {source.Features.Columns}.");
        var pieces = Cut(source.Count, random, train, validation);
        var head = Enumerable.Range(0, test).ToArray();
        return new DatasetSplit(source.Subset(pieces[0]), source.Subset(pieces[1]), testFile.Subset(head), pieces[0], pieces[1], head);
    }

    /// <summary>One permutation of 0…n−1 from <paramref name="random"/>, cut into consecutive pieces of the given
    /// sizes. The single place that decides which rows go where, so every caller gets the same split for a seed.</summary>
    internal static int[][] Cut(int n, SplitMix64 random, params int[] sizes)
    {
        var order = random.Permutation(n);
        var pieces = new int[sizes.Length][];
        int next = 0;
        for (int k = 0; k < sizes.Length; k++)
        {
            pieces[k] = order.AsSpan(next, sizes[k]).ToArray();
            next += sizes[k];
        }
        return pieces;
    }

    private static void CheckSizes(LabeledData data, params (int Size, string Name)[] sizes)
    {
        long total = 0;
        var terms = new List<string>();
        foreach (var (size, name) in sizes)
        {
            if (size < 1) throw new InvalidValueException(name, $"{name} must be at least 1 (an empty split), not {size}.");
            total += size;
            terms.Add($"{name} {size}");
            if (total > data.Count)
                throw new InvalidValueException(name, $"{string.Join(" + ", terms)} = {total} samples, but {data.Source} has {data.Count}.");
        }
    }
}
