using Pbgd.Experiments;
using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// Turns loaded data into a hyper-cleaning data set (ALGORITHMS.md §4): one seeded permutation split, label
/// corruption by uniform redraw (a redraw may hit the true label; the clean mask records observed == true),
/// feature scaling fitted on the training split, one-hot targets.
/// </summary>
public static class DatasetPreparation
{
    /// <summary>Prepares train/validation/test from one file (test taken from it too when <paramref name="test"/> is null).</summary>
    /// <param name="source">The loaded training file.</param>
    /// <param name="test">A separate test file (the official test set), or null to split the test set off the source.</param>
    /// <param name="validation">A trusted validation file, or null to split it off the source.</param>
    /// <param name="config">Sizes, corruption, scaling, seed, bias.</param>
    public static HyperCleaningDataset Prepare(LabeledData source, LabeledData? test, LabeledData? validation, HyperCleaningConfig config)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        int needed = config.Train + (validation is null ? config.Validation : 0) + (test is null ? config.Test : 0);
        if (needed > source.Features.Rows)
            throw new ArgumentException(
                $"--train {config.Train}{(validation is null ? $" + --val {config.Validation}" : "")}{(test is null ? $" + --test {config.Test}" : "")} = {needed} samples, but {source.Source} has {source.Features.Rows}.",
                nameof(config));
        int m = source.Features.Columns;
        foreach (var other in new[] { test, validation })
            if (other is not null && other.Features.Columns != m)
                throw new ArgumentException($"{other.Source} has {other.Features.Columns} features but {source.Source} has {m}.", nameof(config));
        int classes = Math.Max(source.ClassCount, Math.Max(test?.ClassCount ?? 0, validation?.ClassCount ?? 0));

        var random = new SplitMix64((ulong)config.Seed);
        var order = random.Permutation(source.Features.Rows);
        int next = 0;
        int[] Take(int count) { var idx = order.AsSpan(next, count).ToArray(); next += count; return idx; }
        var trainIdx = Take(config.Train);
        var (xTrain, trueTrain) = Rows(source, trainIdx);
        var (xVal, yValLabels) = validation is null ? Rows(source, Take(config.Validation)) : Head(validation, config.Validation);
        var (xTest, testLabels) = test is null ? Rows(source, Take(config.Test)) : Head(test, config.Test);

        // Corrupt exactly round(rate·N) training labels, chosen by a second seeded permutation.
        var observed = (int[])trueTrain.Clone();
        int corrupt = (int)Math.Round(config.Corruption * config.Train);
        var victims = random.Permutation(config.Train);
        for (int k = 0; k < corrupt; k++) observed[victims[k]] = random.Next(classes);
        var clean = new bool[config.Train];
        for (int i = 0; i < clean.Length; i++) clean[i] = observed[i] == trueTrain[i];

        Scale(config.Scaling, xTrain, xVal, xTest);
        var data = new HyperCleaningDataset(xTrain, OneHot(observed, classes), observed, clean, xVal, OneHot(yValLabels, classes),
            xTest, testLabels, classes,
            $"{source.Source}: {config.Train}/{xVal.Rows}/{xTest.Rows} split (seed {config.Seed}), {corrupt} labels redrawn ({clean.Count(c => !c)} actually wrong), scaling {config.Scaling}");
        return config.BiasFeature && config.Loss == HyperCleaningLoss.Squared ? HyperCleaningExperiment.WithBiasFeature(data) : data;
    }

    /// <summary>Applies a scaling in place: /255, or standardisation with the first matrix's column means and
    /// deviations (zero-variance columns, like MNIST's blank pixels, are centred and left at 0).</summary>
    /// <param name="scaling">The scaling.</param>
    /// <param name="train">The matrix the statistics are fitted on.</param>
    /// <param name="others">Matrices transformed with the same statistics.</param>
    public static void Scale(FeatureScaling scaling, Matrix train, params Matrix[] others)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (scaling == FeatureScaling.None) return;
        int m = train.Columns;
        var mean = new double[m];
        var scale = new double[m];
        if (scaling == FeatureScaling.Divide255) Array.Fill(scale, 1.0 / 255);
        else
        {
            for (int i = 0; i < train.Rows; i++) for (int j = 0; j < m; j++) mean[j] += train[i, j];
            for (int j = 0; j < m; j++) mean[j] /= Math.Max(1, train.Rows);
            var variance = new double[m];
            for (int i = 0; i < train.Rows; i++) for (int j = 0; j < m; j++) variance[j] += Math.Pow(train[i, j] - mean[j], 2);
            for (int j = 0; j < m; j++)
            {
                double sd = Math.Sqrt(variance[j] / Math.Max(1, train.Rows));
                scale[j] = sd > 0 ? 1 / sd : 0;
            }
        }
        foreach (var x in others.Prepend(train))
            for (int i = 0; i < x.Rows; i++)
            {
                var row = x.Row(i);
                for (int j = 0; j < m; j++) row[j] = (row[j] - mean[j]) * scale[j];
            }
    }

    /// <summary>One-hot rows for labels in [0, classes).</summary>
    /// <param name="labels">Labels.</param>
    /// <param name="classes">c.</param>
    public static Matrix OneHot(int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var y = new Matrix(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++) y[i, labels[i]] = 1;
        return y;
    }

    private static (Matrix X, int[] Labels) Rows(LabeledData data, int[] indices)
    {
        var x = new Matrix(indices.Length, data.Features.Columns);
        var labels = new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            data.Features.Row(indices[k]).CopyTo(x.Row(k));
            labels[k] = data.Labels[indices[k]];
        }
        return (x, labels);
    }

    private static (Matrix X, int[] Labels) Head(LabeledData data, int count) =>
        Rows(data, Enumerable.Range(0, Math.Min(count, data.Features.Rows)).ToArray());
}
