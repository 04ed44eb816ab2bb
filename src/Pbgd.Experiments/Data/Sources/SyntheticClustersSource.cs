using Pbgd.Linalg;
using Pbgd.Synthetic;
using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary><c>synthetic</c>: the embedded classification set, seeded Gaussian class clusters (m = 64, 10 classes)
/// with the requested sizes and corruption; no file needed, and the stand-in for a data set that has not been
/// fetched.</summary>
public sealed class SyntheticClustersSource : IDatasetSource<ClassificationRequest, LoadedDataset>
{
    /// <summary>The scheme, also the spec of a fallback.</summary>
    public const string SchemeName = "synthetic";

    private const int Features = 64, Classes = 10;

    /// <inheritdoc />
    public string Scheme => SchemeName;

    /// <inheritdoc />
    public string Syntax => SchemeName;

    /// <inheritdoc />
    public string Description => $"seeded Gaussian class clusters (m = {Features}, {Classes} classes) of the requested sizes; no file needed";

    /// <inheritdoc />
    public string? ArgumentProblem(DatasetSpec spec) => spec.Arguments is null ? null : "takes no arguments";

    /// <inheritdoc />
    public LoadedDataset Load(DatasetSpec spec, ClassificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(request);
        // The clusters come with their own validation set: a file given for it would be ignored, so it is refused.
        if (request.ValidationFile is not null)
            throw new InvalidValueException(nameof(request.ValidationFile),
                $"a validation file is supported with libsvm: and csv: data sets, not with {SchemeName} (it generates its own validation set).");
        return new LoadedDataset(request.Communicator is { } communicator ? Prepare(request.Preparation, communicator) : Prepare(request.Preparation), spec);
    }

    /// <summary><see cref="Prepare(PreparationSpec)"/>'s data set, of which this process keeps only its share of the
    /// training rows (a data-parallel run): the same draws, the other rows drawn and dropped.</summary>
    /// <param name="spec">Sizes, corruption, seed, bias column.</param>
    /// <param name="communicator">The processes sharing the training rows.</param>
    /// <exception cref="Pbgd.Validation.InvalidValueException">More processes than the training rows' parts (ParamName <c>Train</c>).</exception>
    public static PreparedDataset Prepare(PreparationSpec spec, Pbgd.Distributed.ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(communicator);
        spec.Validate();
        Pbgd.Distributed.RowShard shard;
        try { shard = Pbgd.Distributed.RowShard.ForRank(spec.Train, communicator); }
        catch (ArgumentException e) { throw new Pbgd.Validation.InvalidValueException(nameof(spec.Train), e.Message, e); }
        var instance = HyperCleaningGenerator.RealisticRows(spec.Train, spec.Validation + Math.Max(spec.Test, 0), Features,
            Classes, spec.Corruption, spec.Seed, separation: 0.6, shard.Partition.FirstRow, shard.Rows);
        return Assemble(spec, instance, shard);
    }

    /// <summary>The data set for a preparation: its sizes, corruption, seed and bias column (the scaling does not
    /// apply: the clusters are generated at unit scale).</summary>
    /// <param name="spec">Sizes, corruption, seed, bias column.</param>
    public static PreparedDataset Prepare(PreparationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var instance = HyperCleaningGenerator.Realistic(spec.Train, spec.Validation + Math.Max(spec.Test, 0), Features,
            Classes, spec.Corruption, spec.Seed, separation: 0.6);
        return Assemble(spec, instance, shard: null);
    }

    // The generator draws validation and test rows as one block: split it, and add labels and the bias column.
    private static PreparedDataset Assemble(PreparationSpec spec, HyperCleaningInstance instance, Pbgd.Distributed.RowShard? shard)
    {
        var labels = ArgMax(instance.YTrain);
        var xv = instance.XValidation;
        var xVal = new Matrix(spec.Validation, Features, xv.Data.AsSpan(0, spec.Validation * Features).ToArray());
        var yVal = new Matrix(spec.Validation, Classes, instance.YValidation.Data.AsSpan(0, spec.Validation * Classes).ToArray());
        var xTest = new Matrix(spec.Test, Features, xv.Data.AsSpan(spec.Validation * Features).ToArray());
        var testLabels = ArgMax(new Matrix(spec.Test, Classes, instance.YValidation.Data.AsSpan(spec.Validation * Classes).ToArray()));
        var data = new PreparedDataset(instance.XTrain, instance.YTrain, labels, instance.CleanMask, xVal, yVal, xTest,
            testLabels, Classes, $"synthetic (seeded Gaussian clusters, m = {Features}, c = {Classes}, seed {spec.Seed})");
        if (shard is not null) data = data with { Shard = shard };
        return spec.BiasColumn ? data.WithBiasColumn() : data;
    }

    private static int[] ArgMax(Matrix y)
    {
        var labels = new int[y.Rows];
        for (int i = 0; i < y.Rows; i++)
        {
            var row = y.Row(i);
            int best = 0;
            for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
            labels[i] = best;
        }
        return labels;
    }
}
