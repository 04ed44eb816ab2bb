using System.Text.Json.Nodes;
using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The cost gate of "normal@cost" on N = 250, m = 240, c = 2, where (ExpectedWorkTests' formulas) the normal equations
/// expect 250·(240·241 + 2·240·2 + 24·240) + 240³/3 + 2·240²·2 ≈ 2.09e7 and cg before any solve
/// 3·10·250·240·8 + (250·240·241/2 + 4·240³/3)/12 ≈ 1.65e7: the gate passes the solve to cg. It weighs the gated link
/// against the next link that would take the system: while cg is being skipped after a failure that is the SVD, which
/// has no cost model, so the normal equations are tried.
public class CostGateTests
{
    private const int N = 250, NVal = 20, M = 240, C = 2;

    [Fact]
    public void TheGatePassesToCheaperConjugateGradientsUnlessTheyAreBeingSkipped()
    {
        var data = RealisticData(N, NVal, M, C, seed: 5);
        var psi = Weights(N, seed: 2);
        var gated = LeastSquaresRegistry.Build("normal@cost,cg:2,svd", data);
        var info = Solve(gated, psi, double.NaN, 1.0, new double[M * C]);
        Assert.Equal("cg", info.Solver);
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 1, ["cg"] = 0, ["svd"] = 0 }, gated.CostSkips);
        Assert.Equal(0, gated.Attempts["normal"]);

        // The same chain with cg skipped for two more solves (as after a failure): nothing to weigh against.
        var state = JsonNode.Parse(LeastSquaresRegistry.Build("normal@cost,cg:2,svd", data).SaveState().ToJsonString())!;
        state["links"]!["cg"]!["skipsLeft"] = 2;
        var skipping = LeastSquaresRegistry.Build("normal@cost,cg:2,svd", data);
        skipping.RestoreState(state);
        var w = new double[M * C];
        Assert.Equal("normal", Solve(skipping, psi, double.NaN, 1.0, w).Solver);
        Assert.Equal(0, skipping.CostSkips["normal"]);
        Assert.True(RelativeDifference(w, PlainLoopSolution(data, psi, double.NaN, 1.0)) <= 1e-9);

        // Without the gate the normal equations are tried first whatever they cost.
        Assert.Equal("normal", Solve(LeastSquaresRegistry.Build("normal,cg,svd", data), psi, double.NaN, 1.0, new double[M * C]).Solver);
    }
}
