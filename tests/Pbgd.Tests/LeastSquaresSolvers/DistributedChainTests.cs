using Pbgd.Distributed;
using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Tests.Distributed;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The chain on training rows spread over two "processes" (ThreadWorld): the normal equations and conjugate gradients
/// give the single-process solutions to the bit (and so the plain-loop reference), their cost model counts the rows of
/// every process, and QR and the SVD, which need every row in one place, refuse naming themselves and the process count.
public class DistributedChainTests
{
    private const int N = 600, NVal = 10, M = 4, C = 2; // two fixed parts of at least 256 rows

    private static Matrix Rows(Matrix x, RowShard shard) =>
        new(shard.Rows, x.Columns, x.Span.Slice(shard.Partition.FirstRow * x.Columns, shard.Rows * x.Columns).ToArray());

    private static LeastSquaresData Local(LeastSquaresData data, RowShard shard) =>
        new(Rows(data.XTrain, shard), Rows(data.YTrain, shard), data.XValidation, data.YValidation, shard);

    [Theory]
    [InlineData("normal")]
    [InlineData("cg")]
    public void TwoProcessesSolveAsOneToTheBit(string solver)
    {
        var data = RealisticData(N, NVal, M, C, seed: 4);
        var psi = Weights(N, seed: 8);
        var single = Only(solver, data);
        var expected = new[] { 6.0, double.NaN }.Select(gamma =>
        {
            var w = new double[M * C];
            Solve(single, psi, gamma, 0.1, w);
            return w;
        }).ToArray();
        double work = ((ISolveCost)single.Solvers[0]).ExpectedWork(LeastSquaresSystem.Penalized(psi, 2, 0.1));
        Assert.True(RelativeDifference(expected[0], PlainLoopSolution(data, psi, 6, 0.1)) <= 1e-7);

        var ranks = ThreadWorld.Run(2, comm =>
        {
            var shard = RowShard.ForRank(N, comm);
            var chain = Only(solver, Local(data, shard));
            var local = psi.AsSpan(shard.Partition.FirstRow, shard.Rows).ToArray();
            var solutions = new[] { 6.0, double.NaN }.Select(gamma =>
            {
                var w = new double[M * C];
                Solve(chain, local, gamma, 0.1, w);
                return w;
            }).ToArray();
            return (solutions, ((ISolveCost)chain.Solvers[0]).ExpectedWork(LeastSquaresSystem.Penalized(local, 2, 0.1)), shard.Rows);
        });
        Assert.Equal(N, ranks.Sum(r => r.Rows));
        Assert.True(ranks.All(r => r.Rows < N));
        foreach (var (solutions, rankWork, _) in ranks)
        {
            for (int k = 0; k < 2; k++) Assert.Equal(expected[k], solutions[k]);
            Assert.Equal(work, rankWork); // N over every process
        }
    }

    [Theory]
    [InlineData("qr", "QR")]
    [InlineData("svd", "SVD")]
    public void QrAndTheSvdRefuseRowsSpreadOverProcesses(string solver, string named)
    {
        var data = RealisticData(N, NVal, M, C, seed: 4);
        var outcomes = ThreadWorld.RunAll(2, comm =>
        {
            var shard = RowShard.ForRank(N, comm);
            var chain = Only(solver, Local(data, shard));
            var w = new double[M * C];
            Solve(chain, Weights(shard.Rows, seed: 1), double.NaN, 0.1, w);
            return 0;
        });
        foreach (var (_, error) in outcomes)
        {
            var refusal = Assert.IsType<NotSupportedException>(error);
            Assert.Contains($"the {named} exact solver needs every training row in one process; with the rows spread over 2 processes", refusal.Message);
        }
    }
}
