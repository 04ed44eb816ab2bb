using Pbgd.Linalg;
using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// Turns loaded data into a hyper-cleaning data set (docs/algorithms.md §4) by composing the transformations: one
/// seeded permutation split (<see cref="DatasetSplit"/>), label corruption by uniform redraw
/// (<see cref="LabelCorruption"/>), feature scaling fitted on the training split (<see cref="FeatureScaler"/>),
/// one-hot targets, and the optional bias column.
/// </summary>
public static class DatasetPreparation
{
    /// <summary>Prepares train/validation/test from one file (test taken from it too when <paramref name="test"/> is null).</summary>
    /// <param name="source">The loaded training file.</param>
    /// <param name="test">A separate test file (the official test set), or null to split the test set off the source.</param>
    /// <param name="validation">A trusted validation file, or null to split it off the source.</param>
    /// <param name="spec">Sizes, corruption, scaling, seed, bias.</param>
    /// <exception cref="InvalidValueException">The spec is out of range (<see cref="PreparationSpec.Validate"/>), the
    /// source has fewer samples than asked for (ParamName <c>Train</c>), or a separate file has another feature count
    /// (ParamName <c>test</c> or <c>validation</c>).</exception>
    public static PreparedDataset Prepare(LabeledData source, LabeledData? test, LabeledData? validation, PreparationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        int needed = spec.Train + (validation is null ? spec.Validation : 0) + (test is null ? spec.Test : 0);
        if (needed > source.Features.Rows)
            throw new InvalidValueException(nameof(spec.Train),
                $"{spec.Train} training{(validation is null ? $" + {spec.Validation} validation" : "")}{(test is null ? $" + {spec.Test} test" : "")} = {needed} samples were asked for, but {source.Source} has {source.Features.Rows}.");
        int m = source.Features.Columns;
        foreach (var (other, name) in new[] { (test, nameof(test)), (validation, nameof(validation)) })
            if (other is not null && other.Features.Columns != m)
                throw new InvalidValueException(name, $"{other.Source} has {other.Features.Columns} features but {source.Source} has {m}.");
        int classes = Math.Max(source.ClassCount, Math.Max(test?.ClassCount ?? 0, validation?.ClassCount ?? 0));
        if (classes < 2)
            throw new InvalidDataException($"{source.Source}: every sample has the same label (one class); hyper-cleaning needs at least two classes.");

        // Draw order (fixed: results are reproducible from the seed across versions): the split permutation,
        // then the corruption's permutation and redraws.
        var random = new SplitMix64((ulong)spec.Seed);
        var sizes = new List<int> { spec.Train };
        if (validation is null) sizes.Add(spec.Validation);
        if (test is null) sizes.Add(spec.Test);
        var pieces = DatasetSplit.Cut(source.Features.Rows, random, [.. sizes]);
        var trainSet = source.Subset(pieces[0]);
        var valSet = validation is null ? source.Subset(pieces[1]) : Head(validation, spec.Validation);
        var testSet = test is null ? source.Subset(pieces[^1]) : Head(test, spec.Test);

        var corrupted = LabelCorruption.Corrupt(trainSet, spec.Corruption, random, classes);
        int redrawn = LabelCorruption.RedrawCount(spec.Corruption, spec.Train);
        var clean = corrupted.CleanMask!;

        Scale(spec.Scaling, corrupted.Features, valSet.Features, testSet.Features);
        var data = new PreparedDataset(corrupted.Features, OneHot(corrupted.Labels, classes), corrupted.Labels, clean,
            valSet.Features, OneHot(valSet.Labels, classes), testSet.Features, testSet.Labels, classes,
            $"{source.Source}: {spec.Train}/{valSet.Count}/{testSet.Count} split (seed {spec.Seed}), {redrawn} labels redrawn ({clean.Count(c => !c)} actually wrong), scaling {spec.Scaling}");
        return spec.BiasColumn ? data.WithBiasColumn() : data;
    }

    /// <summary>Applies a scaling in place: /255, or standardisation with the first matrix's column means and
    /// deviations (zero-variance columns, like MNIST's blank pixels, are centred and left at 0).</summary>
    /// <param name="scaling">The scaling.</param>
    /// <param name="train">The matrix the statistics are fitted on.</param>
    /// <param name="others">Matrices transformed with the same statistics.</param>
    /// <returns>The fitted scaler (null for <see cref="FeatureScaling.None"/>).</returns>
    public static FeatureScaler? Scale(FeatureScaling scaling, Matrix train, params Matrix[] others)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(others);
        FeatureScaler? scaler = scaling switch
        {
            FeatureScaling.None => null,
            FeatureScaling.Divide255 => FeatureScaler.Divide(train.Columns, 255),
            FeatureScaling.Standardize => train.Rows == 0 ? null : FeatureScaler.Standardize(train),
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "unknown scaling."),
        };
        if (scaler is null) return null;
        scaler.Apply(train);
        foreach (var x in others) scaler.Apply(x);
        return scaler;
    }

    /// <summary>One-hot rows for labels in [0, classes).</summary>
    /// <param name="labels">Labels.</param>
    /// <param name="classes">c.</param>
    public static Matrix OneHot(int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var y = new Matrix(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label {i} is outside [0, {classes}).");
            y[i, labels[i]] = 1;
        }
        return y;
    }

    // The first rows of a separate file (all of them when it has fewer: the CLI's default --test 10000 must work
    // with a smaller official test file).
    private static LabeledData Head(LabeledData data, int count) =>
        data.Subset(Enumerable.Range(0, Math.Min(count, data.Count)).ToArray());
}
