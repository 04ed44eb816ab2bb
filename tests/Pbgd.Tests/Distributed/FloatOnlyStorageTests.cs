using Pbgd.Distributed;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Distributed;

/// <summary>
/// The float-only storage mode (<see cref="DataPrecision.SingleOnly"/>) keeps X_trn in float alone and computes in double
/// wherever the double path does, on the float values widened exactly: a run is therefore the run on X_trn rounded to
/// float — to the bit — of the double path (normal equations; PBGD-B's values and gradients) or of the float32-copy path
/// (conjugate gradients' products; the cross-entropy passes), on one process and on ranks as threads, and its data take
/// half the bytes of the double matrix.
/// </summary>
public sealed class FloatOnlyStorageTests
{
    private const int Train = 1100, Validation = 250, Features = 24, Classes = 5, Iterations = 10;

    public static TheoryData<string, int> Cases => new()
    {
        { "squared-auto", 1 }, { "squared-auto", 2 }, { "squared-cg", 1 }, { "squared-cg", 3 }, { "squared-lbfgs", 2 }, { "ce-jacobi", 1 }, { "ce-jacobi", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatOnlyRepeatsTheRunOnTheFloatRoundedDataToTheBit(string configuration, int ranks)
    {
        var data = HyperCleaningGenerator.Realistic(Train, Validation, Features, Classes, 0.4, seed: 4);
        var rounded = new Matrix(Train, Features, data.XTrain.Data.Select(v => (double)(float)v).ToArray());
        var reference = Run(configuration, rounded, data, SingleProcess.Instance, floatOnly: false);
        var results = ranks == 1
            ? [Run(configuration, rounded, data, SingleProcess.Instance, floatOnly: true)]
            : ThreadWorld.Run(ranks, comm => Run(configuration, rounded, data, comm, floatOnly: true));
        Assert.Equal(reference.U, results[0].U);
        Assert.Equal(reference.V, results[0].V);
        Assert.Equal(reference.Values, results[0].Values);
    }

    [Fact]
    public void FloatOnlyDataTakeHalfTheBytesOfTheDoubleMatrix()
    {
        var x = new Matrix(1000, 785);
        var single = SingleRows.From(x);
        Assert.Equal(4L * 1000 * 785, single.Bytes);
        Assert.Equal(0.5, single.Bytes / (8.0 * x.Rows * x.Columns));
    }

    [Fact]
    public void DoubleMatricesAreRefusedForFloatOnlyAndFloatOnlyForOtherPrecisions()
    {
        var data = HyperCleaningGenerator.Realistic(300, 80, 6, 3, 0.3, seed: 1);
        Assert.Throws<ArgumentException>(() => new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation,
            new HyperCleaningSquaredOptions { Precision = DataPrecision.SingleOnly }));
        Assert.Throws<ArgumentException>(() => new HyperCleaningSquaredProblem(SingleRows.From(data.XTrain), data.YTrain, data.XValidation, data.YValidation,
            new HyperCleaningSquaredOptions { Precision = DataPrecision.Single }, null));
        Assert.Throws<ArgumentException>(() => new HyperCleaningCrossEntropyProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation,
            0, 10, DataPrecision.SingleOnly, null));
    }

    private sealed record Outcome(double[] U, double[] V, double[] Values);

    // floatOnly: X_trn as float (SingleOnly); otherwise the rounded double matrix with the precision whose float passes
    // are the same (cg and cross-entropy read a float32 copy under Single).
    private static Outcome Run(string configuration, Matrix rounded, HyperCleaningInstance data, ICommunicator comm, bool floatOnly)
    {
        var shard = RowShard.ForRank(Train, comm);
        var x = new Matrix(shard.Rows, Features, rounded.Span.Slice(shard.Partition.FirstRow * Features, shard.Rows * Features).ToArray());
        var y = new Matrix(shard.Rows, Classes, data.YTrain.Span.Slice(shard.Partition.FirstRow * Classes, shard.Rows * Classes).ToArray());
        bool squared = configuration.StartsWith("squared");
        var copyPrecision = configuration is "squared-cg" or "ce-jacobi" ? DataPrecision.Single : DataPrecision.Double;
        IBilevelProblem problem = squared
            ? floatOnly
                ? new HyperCleaningSquaredProblem(SingleRows.From(x), y, data.XValidation, data.YValidation, Options(configuration, DataPrecision.SingleOnly), shard)
                : new HyperCleaningSquaredProblem(x, y, data.XValidation, data.YValidation, Options(configuration, copyPrecision), shard)
            : floatOnly
                ? new HyperCleaningCrossEntropyProblem(SingleRows.From(x), y, data.XValidation, data.YValidation, 0.01, 10, shard)
                : new HyperCleaningCrossEntropyProblem(x, y, data.XValidation, data.YValidation, 0.01, 10, copyPrecision, shard);
        var options = new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(10), MaxIterations = Iterations,
            UpperStep = configuration.EndsWith("lbfgs") ? UpperStepRule.Lbfgs : UpperStepRule.Gradient,
        };
        IBilevelSolver solver = squared
            ? new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options)
            : new PbgdJacobi(problem, new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Steps = 2 }), options with { StepScale = 0.5 });
        var result = solver.Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        var u = new double[comm.Rank == 0 ? Train : 0];
        shard.GatherRows(result.U, u);
        var values = result.History.Records.ToArray().SelectMany(r => new[] { r.Upper, r.Lower, r.LowerOptimal, r.GradientNorm }).ToArray();
        return new Outcome(u, result.V, values);
    }

    // The float-only mode takes any chain; the copy precision Single only one with cg (the reference of squared-cg).
    private static HyperCleaningSquaredOptions Options(string configuration, DataPrecision precision) => new()
    {
        ExactSolver = configuration == "squared-cg" ? "cg" : "auto",
        Precision = precision,
    };
}
