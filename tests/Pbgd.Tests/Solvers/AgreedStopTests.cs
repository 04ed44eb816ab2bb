using Pbgd.Distributed;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Pbgd.Tests.Distributed;

namespace Pbgd.Tests.Solvers;

/// Over several processes (threads with ThreadWorld's communicator, training rows split in two), a decision taken from one
/// process's clock or signal is taken by all (the loop's Agree): a cancellation, a time budget and a checkpoint interval
/// seen on rank 0 only stop or checkpoint both ranks at the same iteration; and the line-search step measures the same
/// norms and fingerprint over the split u as one process over the whole.
public sealed class AgreedStopTests
{
    private const int Train = 520; // two fixed parts of at least 256 rows, one per rank
    private static readonly HyperCleaningInstance Data = HyperCleaningGenerator.Realistic(Train, 20, 3, 2, 0.4, seed: 5);

    private static Matrix Rows(Matrix x, RowShard shard) =>
        new(shard.Rows, x.Columns, x.Span.Slice(shard.Partition.FirstRow * x.Columns, shard.Rows * x.Columns).ToArray());

    private static IBilevelProblem Problem(ICommunicator? comm)
    {
        if (comm is null) return new HyperCleaningSquaredProblem(Data.XTrain, Data.YTrain, Data.XValidation, Data.YValidation);
        var shard = RowShard.ForRank(Train, comm);
        return new HyperCleaningSquaredProblem(Rows(Data.XTrain, shard), Rows(Data.YTrain, shard), Data.XValidation, Data.YValidation,
            new HyperCleaningSquaredOptions(), shard);
    }

    private static SolverResult Run(IBilevelProblem problem, PbgdOptions options, CancellationToken token = default) =>
        new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options).Run(new double[problem.UpperDimension], new double[problem.LowerDimension], token);

    [Fact]
    public void OneRanksCancellationStopsBothAtTheSameIteration()
    {
        var results = ThreadWorld.Run(2, comm =>
        {
            using var cancel = new CancellationTokenSource();
            var r = Run(Problem(comm), new PbgdOptions
            {
                MaxIterations = 20,
                Observer = (in IterationRecord rec, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => { if (comm.Rank == 0 && rec.Iteration == 3) cancel.Cancel(); },
            }, cancel.Token);
            return (r.StopReason, r.Iterations);
        });
        Assert.All(results, r => Assert.Equal((StopReason.Cancelled, 3), r));
    }

    [Fact]
    public void OneRanksTimeBudgetStopsBoth()
    {
        var results = ThreadWorld.Run(2, comm =>
        {
            var r = Run(Problem(comm), new PbgdOptions { MaxIterations = 20, TimeBudget = comm.Rank == 0 ? TimeSpan.FromTicks(1) : null });
            return (r.StopReason, r.Iterations);
        });
        Assert.All(results, r => Assert.Equal((StopReason.TimeBudget, 0), r));
    }

    [Fact]
    public void OneRanksCheckpointIntervalCheckpointsBoth()
    {
        var results = ThreadWorld.Run(2, comm =>
        {
            var periodic = new List<int>();
            Run(Problem(comm), new PbgdOptions
            {
                MaxIterations = 3, CheckpointInterval = comm.Rank == 0 ? TimeSpan.FromTicks(1) : TimeSpan.FromDays(1),
                Checkpoint = c => { if (c.Stopped is null) periodic.Add(c.Iteration); },
                Observer = (in IterationRecord _, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => Thread.Sleep(1),
            });
            return string.Join(",", periodic);
        });
        Assert.All(results, r => Assert.Equal("1,2,3", r));
    }

    [Fact]
    public void TheLineSearchMeasuresTheSplitUAsTheWhole()
    {
        var options = new PbgdOptions { MaxIterations = 4, UpperStep = UpperStepRule.Lbfgs };
        var whole = Problem(null);
        var single = Run(whole, options);
        string fingerprint = new PbgdBlockwise(whole, new ExactLowerLevelOracle(whole), options).OptionsFingerprint;
        var split = ThreadWorld.Run(2, comm =>
        {
            var problem = Problem(comm);
            var solver = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options);
            return (solver.OptionsFingerprint, Records: Run(problem, options).History.Records.ToArray());
        });
        foreach (var (f, records) in split)
        {
            Assert.Equal(fingerprint, f); // u's global length, not the rank's share
            Assert.Equal(single.History.Count, records.Length);
            for (int k = 0; k < records.Length; k++)
                foreach (var (want, got) in new[]
                {
                    (single.History[k].GradientNorm, records[k].GradientNorm), (single.History[k].UpperBlockGradientNorm, records[k].UpperBlockGradientNorm),
                    (single.History[k].StepSize, records[k].StepSize), (single.History[k].Penalized, records[k].Penalized),
                })
                    Assert.Equal(want, got, 1e-10 * Math.Max(1, Math.Abs(want)));
        }
    }
}
