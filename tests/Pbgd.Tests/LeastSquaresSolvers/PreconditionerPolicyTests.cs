using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// When conjugate gradients rebuild their preconditioner, counted exactly on small well-conditioned systems (every solve
/// here takes at most a handful of steps, below the slow-solve threshold unless a test lowers it): after RefreshEvery
/// solves, after a solve of more than SlowSteps steps, when λ changes; and system 2's factor when γ moves by more than
/// 10 %. And the steps themselves where they are known exactly: one feature and one output make CG exact in one step.
public class PreconditionerPolicyTests
{
    private const int N = 40, NVal = 10, M = 5, C = 2;

    private static (LeastSquaresChain Chain, ConjugateGradientSolver Cg) Build()
    {
        var chain = LeastSquaresRegistry.Build("cg,svd", RealisticData(N, NVal, M, C, seed: 6));
        return (chain, chain.Find<ConjugateGradientSolver>()!);
    }

    private static double? FactorGamma(ConjugateGradientSolver cg) => cg.SaveState()["factorGamma"]?.GetValue<double>();

    [Fact]
    public void TheFactorIsRebuiltEveryTwelveSolvesExactly()
    {
        var (chain, cg) = Build();
        var psi = Weights(N, seed: 2);
        var random = new Random(5);
        var refreshedAt = new List<int>();
        for (int solve = 1; solve <= 14; solve++)
        {
            Drift(psi, random);
            int before = cg.Refreshes;
            Assert.Equal("cg", Solve(chain, psi, double.NaN, 0, new double[M * C]).Solver);
            Assert.True(cg.LastSteps <= 10, $"solve {solve} took {cg.LastSteps} steps");
            if (cg.Refreshes > before) refreshedAt.Add(solve);
        }
        // The first solve builds it; twelve solves later (the 13th: solves since refresh = 12 ≥ 12) it is rebuilt.
        Assert.Equal([1, 13], refreshedAt);
        Assert.Equal((14, cg.Totals.Steps), cg.Totals);
        Assert.Equal(0, cg.Fallbacks);
    }

    [Fact]
    public void ANewRidgeRebuildsTheFactor()
    {
        var (chain, cg) = Build();
        var psi = Weights(N, seed: 2);
        var random = new Random(5);
        Solve(chain, psi, double.NaN, 0.1, new double[M * C]);
        Drift(psi, random);
        Solve(chain, psi, double.NaN, 0.1, new double[M * C]);
        Assert.Equal(1, cg.Refreshes);
        Drift(psi, random);
        Solve(chain, psi, double.NaN, 0.2, new double[M * C]); // λ changed
        Assert.Equal(2, cg.Refreshes);
        Assert.Equal(0.2, cg.SaveState()["factorRidge"]!.GetValue<double>());
    }

    // The weights of solve k (1, 2, …) of a fixed drifting sequence.
    private static double[] WeightsAt(int k)
    {
        var psi = Weights(N, seed: 2);
        var random = new Random(5);
        for (int j = 0; j < k; j++) Drift(psi, random);
        return psi;
    }

    [Fact]
    public void ASolveOfExactlySlowStepsIsNotSlowAndOneOfMoreIs()
    {
        // Three identical solvers (the solves repeat to the bit): the first learns how many steps solve 2 takes, the
        // second puts the threshold exactly there before solve 2, the third one below.
        var (learnChain, learn) = Build();
        var (atChain, at) = Build();
        var (belowChain, below) = Build();
        foreach (var chain in new[] { learnChain, atChain, belowChain }) Solve(chain, WeightsAt(1), double.NaN, 0, new double[M * C]);
        Solve(learnChain, WeightsAt(2), double.NaN, 0, new double[M * C]);
        int steps = learn.LastSteps;
        Assert.True(steps >= 1);
        at.SlowSteps = steps;
        below.SlowSteps = steps - 1;
        Solve(atChain, WeightsAt(2), double.NaN, 0, new double[M * C]);
        Solve(belowChain, WeightsAt(2), double.NaN, 0, new double[M * C]);
        Assert.Equal((steps, steps), (at.LastSteps, below.LastSteps));
        Assert.False(at.SaveState()["lastSlow"]!.GetValue<bool>());
        Assert.True(below.SaveState()["lastSlow"]!.GetValue<bool>());
        Assert.Equal((1, 1), (at.Refreshes, below.Refreshes));
        Solve(atChain, WeightsAt(3), double.NaN, 0, new double[M * C]);
        Solve(belowChain, WeightsAt(3), double.NaN, 0, new double[M * C]);
        Assert.Equal((1, 2), (at.Refreshes, below.Refreshes)); // only after the slow solve
    }

    [Fact]
    public void ASlowSolveMakesTheNextOneRefresh()
    {
        var (chain, cg) = Build();
        cg.SlowSteps = 0; // every solve that takes a step is slow
        var psi = Weights(N, seed: 2);
        var random = new Random(5);
        for (int solve = 1; solve <= 3; solve++)
        {
            Drift(psi, random);
            Solve(chain, psi, double.NaN, 0, new double[M * C]);
            Assert.True(cg.LastSteps >= 1);
            Assert.Equal(solve, cg.Refreshes);
        }
    }

    [Fact]
    public void SystemTwosFactorFollowsGammaOnlyBeyondTenPercent()
    {
        var (chain, cg) = Build();
        var psi = Weights(N, seed: 2);
        Solve(chain, psi, 10, 0, new double[M * C]);
        Assert.Equal(10, FactorGamma(cg));
        Solve(chain, psi, 11, 0, new double[M * C]);    // |11 − 10| = 1 = 10 % of 10: kept
        Assert.Equal(10, FactorGamma(cg));
        Solve(chain, psi, 9, 0, new double[M * C]);     // |9 − 10| = 1: kept
        Assert.Equal(10, FactorGamma(cg));
        Solve(chain, psi, 11.5, 0, new double[M * C]);  // 15 % above: refactored at 11.5
        Assert.Equal(11.5, FactorGamma(cg));
        Solve(chain, psi, 10.3, 0, new double[M * C]);  // 10.4 % below 11.5: refactored
        Assert.Equal(10.3, FactorGamma(cg));
        Assert.Equal(1, cg.Refreshes);
        Solve(chain, psi, double.NaN, 0.5, new double[M * C]); // a refresh (λ changed) drops system 2's factor
        Assert.Null(FactorGamma(cg));
    }
}
