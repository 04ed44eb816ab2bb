using Pbgd.LeastSquares;
using Pbgd.Linalg;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The cost model auto weighs the normal equations with, evaluated by hand on N = 30, m = 4, c = 2 (flop-equivalents;
/// a pass over X counts 3 per byte):
/// normal equations: Gram N·m(m+1) + 2N·m·c = 600 + 480 (none when kept for these weights), Cholesky and solves
/// m³/3 + 2m²c = 64/3 + 64, refinement pass 3·N·m·(bytes per value).
/// conjugate gradients: 3·(mean passes of the recent solves, 10 before any)·N·m·(8, or 4 for float products), plus the
/// preconditioner (N·m(m+1)/2 + 4m³/3)/12 = (300 + 256/3)/12; none for system 1 handed out after system 2 at ψ, λ.
public class ExpectedWorkTests
{
    private const int N = 30, NVal = 8, M = 4, C = 2;
    private const double Factor = 64.0 / 3 + 64, Gram = 600 + 480, Preconditioner = (300 + 256.0 / 3) / 12;

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * expected, $"{actual:R}, expected {expected:R}");

    private static double Work(LeastSquaresChain chain, string solver, LeastSquaresSystem system) =>
        ((ISolveCost)chain.Solvers.Single(s => s.Name == solver)).ExpectedWork(system);

    [Fact]
    public void TheNormalEquationsCountTheGramOnlyForNewWeights()
    {
        var data = RealisticData(N, NVal, M, C, seed: 2);
        var chain = LeastSquaresRegistry.Build("normal,svd", data);
        var psi = Weights(N, seed: 1);
        Near(Gram + Factor + 3 * N * M * 8, Work(chain, "normal", LeastSquaresSystem.Lower(psi, 0)));
        Solve(chain, psi, 2, 0, new double[M * C]);
        Near(Factor + 3 * N * M * 8, Work(chain, "normal", LeastSquaresSystem.Lower(psi, 0.5)));
        Near(Factor + 3 * N * M * 8, Work(chain, "normal", LeastSquaresSystem.Penalized(psi, 7, 0)));
        var other = (double[])psi.Clone();
        other[N - 1] += 1e-3;
        Near(Gram + Factor + 3 * N * M * 8, Work(chain, "normal", LeastSquaresSystem.Lower(other, 0)));

        // X kept in float only: the refinement pass reads 4 bytes a value.
        var floatOnly = new LeastSquaresData(SingleRows.From(data.XTrain, "xTrain"), data.YTrain, data.XValidation, data.YValidation, null);
        Near(Gram + Factor + 3 * N * M * 4, Work(LeastSquaresRegistry.Build("normal,svd", floatOnly), "normal", LeastSquaresSystem.Lower(psi, 0)));
    }

    [Fact]
    public void ConjugateGradientsCountTheirRecentPassesAndNothingForAHandedOutSolution()
    {
        var data = RealisticData(N, NVal, M, C, seed: 2);
        var chain = LeastSquaresRegistry.Build("cg,svd", data);
        var psi = Weights(N, seed: 1);
        var lower = LeastSquaresSystem.Lower(psi, 0.1);
        Near(3 * 10 * N * M * 8 + Preconditioner, Work(chain, "cg", lower)); // the prior: 10 passes
        var single = LeastSquaresRegistry.Build("cg,svd", data, new LeastSquaresOptions { SinglePrecisionProducts = true });
        Near(3 * 10 * N * M * 4 + Preconditioner, Work(single, "cg", lower));

        Solve(chain, psi, 3, 0.1, new double[M * C]);
        Assert.Equal(0, Work(chain, "cg", lower));                                         // W*(ψ) came with system 2
        var passes = chain.Find<ConjugateGradientSolver>()!.SaveState()["recentPasses"]!.AsArray().Select(p => p!.GetValue<int>()).ToArray();
        Assert.Single(passes);
        Near(3 * passes[0] * N * M * 8 + Preconditioner, Work(chain, "cg", LeastSquaresSystem.Penalized(psi, 3, 0.1)));
        Near(3 * passes[0] * N * M * 8 + Preconditioner, Work(chain, "cg", LeastSquaresSystem.Lower(psi, 0.2))); // another λ
        var other = (double[])psi.Clone();
        other[0] *= 0.5;
        Near(3 * passes[0] * N * M * 8 + Preconditioner, Work(chain, "cg", LeastSquaresSystem.Lower(other, 0.1)));

        // Two more solves: the mean of the three.
        Solve(chain, other, double.NaN, 0.1, new double[M * C]);
        Solve(chain, psi, 5, 0.1, new double[M * C]);
        passes = chain.Find<ConjugateGradientSolver>()!.SaveState()["recentPasses"]!.AsArray().Select(p => p!.GetValue<int>()).ToArray();
        Assert.Equal(3, passes.Length);
        Near(3 * (passes.Sum() / 3.0) * N * M * 8 + Preconditioner, Work(chain, "cg", LeastSquaresSystem.Penalized(psi, 5, 0.1)));
    }

    [Fact]
    public void TheRecentPassesKeepTheLastEight()
    {
        var data = RealisticData(N, NVal, M, C, seed: 2);
        var chain = LeastSquaresRegistry.Build("cg,svd", data);
        var psi = Weights(N, seed: 1);
        var random = new Random(3);
        var history = new List<int>();
        for (int k = 0; k < 10; k++)
        {
            Drift(psi, random);
            Solve(chain, psi, double.NaN, 0, new double[M * C]);
            var recent = chain.Find<ConjugateGradientSolver>()!.SaveState()["recentPasses"]!.AsArray().Select(p => p!.GetValue<int>()).ToArray();
            Assert.Equal(Math.Min(k + 1, 8), recent.Length);
            history.Add(recent[^1]);
            Assert.Equal(history.TakeLast(8), recent); // oldest first, the oldest dropped beyond eight
        }
    }
}
