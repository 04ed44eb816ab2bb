using Pbgd.Distributed;
using Pbgd.Linalg;
using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>
/// <see cref="DatasetPreparation.Prepare"/> for a process that holds only its rows of the training set (a data-parallel
/// run). The seeded split and the label corruption depend only on the sizes and the seed, so every process draws them
/// itself, exactly as one process would (<see cref="Plan"/>), and then reads just the source rows it needs — its training
/// rows and the whole validation and test sets (<see cref="Assemble"/>). The prepared rows are the single process's rows
/// [first, first + rows) of the training set, to the bit.
/// </summary>
public static class ShardedPreparation
{
    /// <summary>What one process reads and how it corrupts it.</summary>
    /// <param name="Shard">The training rows this process holds.</param>
    /// <param name="TrainRows">Source rows of this process's training rows, in training order.</param>
    /// <param name="ValidationRows">Source rows of the validation set (null: from its own file).</param>
    /// <param name="TestRows">Source rows of the test set (null: from its own file).</param>
    /// <param name="Redrawn">Per local training row, the redrawn label, or −1 when the label is kept.</param>
    /// <param name="RedrawCount">Labels redrawn over the whole training set.</param>
    public sealed record RowPlan(RowShard Shard, int[] TrainRows, int[]? ValidationRows, int[]? TestRows, int[] Redrawn, int RedrawCount)
    {
        /// <summary>Every source row this process reads, ascending, without repeats.</summary>
        public int[] NeededRows() =>
            TrainRows.Concat(ValidationRows ?? []).Concat(TestRows ?? []).Distinct().Order().ToArray();
    }

    /// <summary>The split and corruption one process would draw, restricted to this process's training rows.</summary>
    /// <param name="sourceRows">Samples in the training file.</param>
    /// <param name="validationFromSource">Whether the validation set is split off the training file.</param>
    /// <param name="testFromSource">Whether the test set is split off the training file.</param>
    /// <param name="spec">Sizes, corruption, seed.</param>
    /// <param name="classes">c (the corruption draws labels in 0 … c − 1).</param>
    /// <param name="communicator">The processes sharing the training rows.</param>
    /// <exception cref="InvalidValueException">The file has fewer samples than asked for (ParamName <c>Train</c>), or the
    /// training set cannot be shared by that many processes (ParamName <c>Train</c>).</exception>
    public static RowPlan Plan(int sourceRows, bool validationFromSource, bool testFromSource, PreparationSpec spec, int classes,
        ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(communicator);
        spec.Validate();
        int needed = spec.Train + (validationFromSource ? spec.Validation : 0) + (testFromSource ? spec.Test : 0);
        if (needed > sourceRows)
            throw new InvalidValueException(nameof(spec.Train),
                $"{spec.Train} training{(validationFromSource ? $" + {spec.Validation} validation" : "")}{(testFromSource ? $" + {spec.Test} test" : "")} = {needed} samples were asked for, but the file has {sourceRows}.");
        RowShard shard;
        try { shard = RowShard.ForRank(spec.Train, communicator); }
        catch (ArgumentException e) { throw new InvalidValueException(nameof(spec.Train), e.Message, e); }

        // DatasetPreparation's draw order: the split permutation, then the corruption's permutation and redraws.
        var random = new SplitMix64((ulong)spec.Seed);
        var sizes = new List<int> { spec.Train };
        if (validationFromSource) sizes.Add(spec.Validation);
        if (testFromSource) sizes.Add(spec.Test);
        var pieces = DatasetSplit.Cut(sourceRows, random, [.. sizes]);
        int first = shard.Partition.FirstRow, rows = shard.Rows;
        var trainRows = pieces[0].AsSpan(first, rows).ToArray();
        int redrawCount = LabelCorruption.RedrawCount(spec.Corruption, spec.Train);
        var victims = random.Permutation(spec.Train);
        var redrawn = new int[rows];
        Array.Fill(redrawn, -1);
        for (int k = 0; k < redrawCount; k++)
        {
            int label = random.Next(classes);
            int i = victims[k] - first;
            if ((uint)i < (uint)rows) redrawn[i] = label;
        }
        return new RowPlan(shard, trainRows, validationFromSource ? pieces[1] : null, testFromSource ? pieces[^1] : null, redrawn, redrawCount);
    }

    /// <summary>Where the source rows a process reads go: straight into its training, validation and test matrices (no
    /// intermediate copy of the rows).</summary>
    public sealed class RowSink
    {
        private readonly Dictionary<int, (int Piece, int Index)> _where = new();
        private readonly Matrix[] _x;
        private readonly int[][] _labels;
        private readonly bool[][] _filled;

        /// <summary>Allocates the matrices for the plan's rows, m features each.</summary>
        /// <param name="plan">The plan.</param>
        /// <param name="m">Features per row.</param>
        public RowSink(RowPlan plan, int m)
        {
            ArgumentNullException.ThrowIfNull(plan);
            Plan = plan;
            Features = m;
            var pieces = new[] { plan.TrainRows, plan.ValidationRows ?? [], plan.TestRows ?? [] };
            _x = pieces.Select(p => new Matrix(p.Length, m)).ToArray();
            _labels = pieces.Select(p => new int[p.Length]).ToArray();
            _filled = pieces.Select(p => new bool[p.Length]).ToArray();
            for (int piece = 0; piece < 3; piece++)
                for (int k = 0; k < pieces[piece].Length; k++) _where[pieces[piece][k]] = (piece, k);
        }

        /// <summary>The plan.</summary>
        public RowPlan Plan { get; }

        /// <summary>Features per row.</summary>
        public int Features { get; }

        /// <summary>Whether this process needs source row <paramref name="sourceRow"/>.</summary>
        /// <param name="sourceRow">A sample's index in the source file.</param>
        public bool Wants(int sourceRow) => _where.ContainsKey(sourceRow);

        /// <summary>Stores a needed row (features beyond <see cref="Features"/> must be zero-padded by the caller).</summary>
        /// <param name="sourceRow">Its index in the source file.</param>
        /// <param name="features">Its features (at most <see cref="Features"/>; the rest stay 0).</param>
        /// <param name="label">Its class.</param>
        public void Put(int sourceRow, ReadOnlySpan<double> features, int label)
        {
            var (piece, index) = _where[sourceRow];
            features.CopyTo(_x[piece].Row(index));
            _labels[piece][index] = label;
            _filled[piece][index] = true;
        }

        internal LabeledData Piece(int piece, string source)
        {
            int missing = Array.IndexOf(_filled[piece], false);
            if (missing >= 0) throw new InvalidOperationException($"a needed row of {source} was not read (piece {piece}, position {missing}).");
            return new LabeledData(_x[piece], _labels[piece], 0, source);
        }
    }

    /// <summary>
    /// The prepared data of this process from the rows it read: its training rows (corrupted as planned), and the
    /// validation and test sets; scaled and one-hot as <see cref="DatasetPreparation.Prepare"/> does, the bias column
    /// appended when asked. Collective (the count of wrong labels in the description is over every process).
    /// </summary>
    /// <param name="sink">The rows read.</param>
    /// <param name="validation">The validation set's own file (its head is taken), or null when split off the source.</param>
    /// <param name="test">The test set's own file, or null when split off the source.</param>
    /// <param name="classes">c.</param>
    /// <param name="spec">Sizes, corruption, scaling, seed, bias.</param>
    /// <param name="source">The source's name, for the description.</param>
    public static PreparedDataset Assemble(RowSink sink, LabeledData? validation, LabeledData? test, int classes, PreparationSpec spec, string source)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(spec);
        var plan = sink.Plan;
        if (spec.Scaling == FeatureScaling.Standardize && plan.Shard.IsDistributed)
            throw new InvalidValueException(nameof(spec.Scaling),
                "standardised features are fitted on every training row, which no process holds in a data-parallel run; use the /255 scaling or none (the benchopt protocol is single-process).");
        int m = sink.Features;
        var train = sink.Piece(0, source);
        var valSet = plan.ValidationRows is not null ? sink.Piece(1, source) : Head(validation!, spec.Validation);
        var testSet = plan.TestRows is not null ? sink.Piece(2, source) : Head(test!, spec.Test);
        foreach (var (other, name) in new[] { (valSet, "validation"), (testSet, "test") })
            if (other.Features.Columns != m)
                throw new InvalidValueException(name, $"{other.Source} has {other.Features.Columns} features but {source} has {m}.");

        var truth = train.Labels;
        var observed = (int[])truth.Clone();
        for (int i = 0; i < observed.Length; i++)
            if (plan.Redrawn[i] >= 0) observed[i] = plan.Redrawn[i];
        var clean = new bool[observed.Length];
        long wrong = 0;
        for (int i = 0; i < clean.Length; i++)
        {
            clean[i] = observed[i] == truth[i];
            if (!clean[i]) wrong++;
        }
        Span<long> count = stackalloc long[1] { wrong };
        plan.Shard.Communicator.Sum(count);

        DatasetPreparation.Scale(spec.Scaling, train.Features, valSet.Features, testSet.Features);
        var data = new PreparedDataset(train.Features, DatasetPreparation.OneHot(observed, classes), observed, clean,
            valSet.Features, DatasetPreparation.OneHot(valSet.Labels, classes), testSet.Features, testSet.Labels, classes,
            $"{source}: {spec.Train}/{valSet.Count}/{testSet.Count} split (seed {spec.Seed}), {plan.RedrawCount} labels redrawn ({count[0]} actually wrong), scaling {spec.Scaling}")
        {
            Shard = plan.Shard,
        };
        return spec.BiasColumn ? data.WithBiasColumn() : data;
    }

    private static LabeledData Head(LabeledData data, int count) =>
        data.Subset(Enumerable.Range(0, Math.Min(count, data.Count)).ToArray());
}
