using Pbgd.LeastSquares;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// <summary>
/// auto weighs the normal equations against conjugate gradients ("normal@cost"): the Gram update costs O(N·m²) per new u,
/// cg a few passes over X of O(N·m) each, so on well-conditioned data auto keeps the normal equations for few features
/// and goes to cg for many (the normal equations are then never formed), counts the passes cg took and carries them in
/// its checkpoint, and a chain written by hand keeps its order.
/// </summary>
public sealed class CostModelTests
{
    private static (HyperCleaningSquaredProblem Problem, SolverResult Result) Run(int features, string chain, int iterations = 6)
    {
        var d = HyperCleaningGenerator.Realistic(1200, 300, features, 4, 0.3, seed: 3);
        var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { ExactSolver = chain });
        var result = new PbgdBlockwise(p, new ExactLowerLevelOracle(p), new PbgdOptions { Penalty = PenaltySchedule.Constant(10), MaxIterations = iterations })
            .Run(new double[p.UpperDimension], new double[p.LowerDimension]);
        return (p, result);
    }

    [Fact]
    public void FewFeaturesKeepTheNormalEquations()
    {
        var (p, _) = Run(features: 20, "auto");
        Assert.True(p.SolveCounts["normal"] > 0);
        Assert.Equal(0, p.SolveCounts["cg"]);
        Assert.Equal(0, p.ExactSolver.CostSkips["normal"]);
    }

    [Fact]
    public void ManyFeaturesGoToConjugateGradientsWithoutFormingTheGram()
    {
        var (p, result) = Run(features: 400, "auto");
        Assert.Equal(0, p.ExactSolver.Attempts["normal"]);
        Assert.True(p.SolveCounts["cg"] > 0);
        Assert.True(p.ExactSolver.CostSkips["normal"] > 0);
        // The same iterates as the cg preset, which puts cg first.
        var (_, cg) = Run(features: 400, "cg");
        Assert.Equal(cg.U, result.U);
        Assert.Equal(cg.V, result.V);
        // A chain of one's own is tried in its order.
        var (own, _) = Run(features: 400, "normal,cg,qr,svd", iterations: 2);
        Assert.True(own.SolveCounts["normal"] > 0);
    }

    [Fact]
    public void TheCostGateIsWrittenAndReadAsPartOfTheChain()
    {
        var spec = LeastSquaresChainSpec.Parse("normal@cost:50, cg ,svd");
        Assert.Equal("normal@cost:50,cg,svd", spec.Text);
        Assert.True(spec.Links[0].CostGated);
        Assert.Equal(50, spec.Links[0].RetryAfter);
        Assert.Equal(LeastSquaresChainSpec.Parse("auto"), LeastSquaresChainSpec.Parse("normal@cost:50,cg,qr,svd"));
        Assert.NotEqual(LeastSquaresChainSpec.Parse("auto"), LeastSquaresChainSpec.Parse("normal:50,cg,qr,svd"));
        var e = Assert.Throws<ArgumentException>(() => LeastSquaresChainSpec.Parse("cg@cost,svd"));
        Assert.Contains("only the normal equations have a cost to weigh", e.Message);
    }

    [Fact]
    public void TheRecentPassesRideInTheCheckpoint()
    {
        var (p, _) = Run(features: 400, "auto");
        var state = p.ExactSolver.Find<ConjugateGradientSolver>()!.SaveState();
        var saved = Pbgd.Checkpoints.StateJson.FromNode<ConjugateGradientState>(state, "test");
        Assert.NotNull(saved.RecentPasses);
        Assert.InRange(saved.RecentPasses!.Length, 1, 8);
        Assert.All(saved.RecentPasses, passes => Assert.True(passes >= 2, $"{passes} passes"));
        var (fresh, _) = Run(features: 400, "auto", iterations: 0);
        fresh.ExactSolver.Find<ConjugateGradientSolver>()!.RestoreState(state);
        var again = Pbgd.Checkpoints.StateJson.FromNode<ConjugateGradientState>(fresh.ExactSolver.Find<ConjugateGradientSolver>()!.SaveState(), "test");
        Assert.Equal(saved.RecentPasses, again.RecentPasses);
    }
}
