using System.Text.Json.Nodes;
using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// What a restored conjugate-gradient state brings back besides the solutions (which ChainStateTests follows bit for
/// bit): the recent passes the cost model averages (or its prior of 10 when a checkpoint predates them), the factors
/// (none when the state has no factorRidge: the next solve refreshes; system 2's at factorGamma, so a γ within 10 % of
/// it keeps that factor).
public class ConjugateGradientRestoreTests
{
    private const int N = 30, NVal = 8, M = 4, C = 2;
    private const double Preconditioner = (300 + 256.0 / 3) / 12; // (N·m(m+1)/2 + 4m³/3)/12, as in ExpectedWorkTests

    private static (LeastSquaresChain Chain, ConjugateGradientSolver Cg) Build()
    {
        var chain = Only("cg", RealisticData(N, NVal, M, C, seed: 2));
        return (chain, chain.Find<ConjugateGradientSolver>()!);
    }

    private static double Work(ConjugateGradientSolver cg) =>
        ((ISolveCost)cg).ExpectedWork(LeastSquaresSystem.Penalized(Weights(N, seed: 9), 3, 0));

    // A used solver's state, through text.
    private static JsonNode UsedState()
    {
        var (chain, cg) = Build();
        var psi = Weights(N, seed: 1);
        Solve(chain, psi, 10, 0.1, new double[M * C]);
        psi[3] *= 0.5;
        Solve(chain, psi, double.NaN, 0.1, new double[M * C]);
        var state = JsonNode.Parse(cg.SaveState().ToJsonString())!;
        state["lastSlow"] = false; // whatever the steps were, no refresh is asked for by a slow solve
        return state;
    }

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * expected, $"{actual:R}, expected {expected:R}");

    [Fact]
    public void TheRecentPassesAreRestoredOrTheirPriorWhenAbsent()
    {
        var state = UsedState();
        state["recentPasses"] = new JsonArray(4, 7);
        var (_, cg) = Build();
        cg.RestoreState(state);
        Near(3 * 5.5 * N * M * 8 + Preconditioner, Work(cg));
        state.AsObject().Remove("recentPasses"); // a checkpoint from before the cost model
        cg.RestoreState(state);
        Near(3 * 10 * N * M * 8 + Preconditioner, Work(cg));
        cg.RestoreState(UsedState());
        cg.RestoreState(ConjugateGradientSolverStateOfAFreshSolver());
        Assert.False(cg.Started);
        Near(3 * 10 * N * M * 8 + Preconditioner, Work(cg)); // a fresh solver's history is empty
    }

    private static JsonNode ConjugateGradientSolverStateOfAFreshSolver() => Build().Cg.SaveState();

    [Fact]
    public void AStateWithoutFactorsRefreshesAtTheNextSolveAndOneWithThemDoesNot()
    {
        var withFactors = UsedState();
        var withoutFactors = withFactors.DeepClone();
        withoutFactors["factorRidge"] = null;
        withoutFactors["factorGamma"] = null;
        var psi = Weights(N, seed: 4);
        var (chainA, a) = Build();
        var (chainB, b) = Build();
        a.RestoreState(withFactors);
        b.RestoreState(withoutFactors);
        Assert.Equal((0, 0), (a.Refreshes, b.Refreshes));
        Solve(chainA, psi, double.NaN, 0.1, new double[M * C]);
        Solve(chainB, psi, double.NaN, 0.1, new double[M * C]);
        Assert.Equal((0, 1), (a.Refreshes, b.Refreshes));
    }

    [Fact]
    public void SystemTwosFactorIsRestoredAtItsGamma()
    {
        var state = UsedState();
        state["lowerSolvedAtWeights"] = false;
        Assert.Equal(10, state["factorGamma"]!.GetValue<double>());
        var (chain, cg) = Build();
        cg.RestoreState(state);
        Solve(chain, Weights(N, seed: 4), 10.5, 0.1, new double[M * C]); // within 10 % of 10: the restored factor serves
        Assert.Equal(10, cg.SaveState()["factorGamma"]!.GetValue<double>());
        Assert.Equal(0, cg.Refreshes);
    }
}
