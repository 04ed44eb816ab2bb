using Pbgd.Distributed;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Distributed;

/// <summary>
/// Whole PBGD runs on training rows spread over K "processes" (threads with <see cref="ThreadWorld"/>'s communicator):
/// for K = 1, 2, 3 the iterates, every recorded value and the gathered weights equal the ordinary single-process run's to
/// the bit — PBGD-B with the exact solvers (auto = normal equations here, cg), PBGD-B with the L-BFGS upper step,
/// PBGD-J with the iterative oracle on the cross-entropy model, and PBGD-J with L-BFGS over the joint (u, v).
/// </summary>
public sealed class DistributedSolverTests
{
    private const int Train = 1300, Validation = 300, Features = 12, Classes = 4, Iterations = 12;

    // "-wide": m = 160, so the Gram matrices and the CG products are long enough to travel up the tree point to point
    // (the others are all-gathered).
    public static TheoryData<string> Configurations => new()
    {
        "squared-auto", "squared-cg", "squared-lbfgs", "ce-jacobi-iterative", "ce-jacobi-lbfgs", "squared-cg-single", "squared-auto-wide", "squared-cg-wide",
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void AnySplitOfTheRowsRepeatsTheSingleProcessRunToTheBit(string configuration)
    {
        var data = HyperCleaningGenerator.Realistic(Train, Validation, configuration.EndsWith("wide") ? 160 : Features, Classes, 0.4, seed: 11);
        var reference = Run(configuration, data, SingleProcess.Instance, local: true);
        foreach (int k in new[] { 1, 2, 3 })
        {
            var results = k == 1 ? [Run(configuration, data, SingleProcess.Instance, local: false)] : ThreadWorld.Run(k, comm => Run(configuration, data, comm, local: false));
            var r = results[0];
            Assert.Equal(Bits(reference.V), Bits(r.V));
            Assert.Equal(Bits(reference.U), Bits(r.U));
            Assert.Equal(Bits(reference.Values), Bits(r.Values));
            foreach (var other in results) Assert.Equal(Bits(r.V), Bits(other.V));
        }
    }

    private sealed record Outcome(double[] U, double[] V, double[] Values);

    // local: the problem built the ordinary way (no shard given); otherwise on this rank's rows of the shard.
    private static Outcome Run(string configuration, HyperCleaningInstance data, ICommunicator comm, bool local)
    {
        var shard = local ? RowShard.Local(Train) : RowShard.ForRank(Train, comm);
        var xTrain = Rows(data.XTrain, shard);
        var yTrain = Rows(data.YTrain, shard);
        IBilevelProblem problem = configuration.StartsWith("squared")
            ? local
                ? new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation, Squared(configuration))
                : new HyperCleaningSquaredProblem(xTrain, yTrain, data.XValidation, data.YValidation, Squared(configuration), shard)
            : local
                ? new HyperCleaningCrossEntropyProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation, 0.01)
                : new HyperCleaningCrossEntropyProblem(xTrain, yTrain, data.XValidation, data.YValidation, 0.01, 10, DataPrecision.Double, shard);
        var options = new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(10), MaxIterations = Iterations,
            UpperStep = configuration.EndsWith("lbfgs") ? UpperStepRule.Lbfgs : UpperStepRule.Gradient,
        };
        IBilevelSolver solver = configuration.StartsWith("squared")
            ? new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options)
            : new PbgdJacobi(problem, new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Steps = 2 }), options with { StepScale = 0.5 });
        var u0 = new double[problem.UpperDimension];
        var result = solver.Run(u0, new double[problem.LowerDimension]);
        var u = new double[comm.Rank == 0 ? Train : 0];
        shard.GatherRows(result.U, u);
        var values = result.History.Records.ToArray().SelectMany(r => new[] { r.Upper, r.Lower, r.LowerOptimal, r.GradientNorm, r.StepSize }).ToArray();
        return new Outcome(u, result.V, values);
    }

    private static HyperCleaningSquaredOptions Squared(string configuration) => new()
    {
        ExactSolver = configuration.Contains("-cg") ? "cg" : "auto",
        Precision = configuration.EndsWith("single") ? DataPrecision.Single : DataPrecision.Double,
    };

    private static Matrix Rows(Matrix x, RowShard shard) =>
        new(shard.Rows, x.Columns, x.Span.Slice(shard.Partition.FirstRow * x.Columns, shard.Rows * x.Columns).ToArray());

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
