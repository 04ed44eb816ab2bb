using Pbgd.LeastSquares;
using Pbgd.Linalg;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// Conjugate gradients on one feature, where everything is known by hand: each output's system is 1×1, so the first
/// step lands on b/a up to rounding whatever the preconditioner and the start (one step, three passes: residual, A·P,
/// residual), system 2 is (x_valᵀy_val + γxᵀΨy)/(x_valᵀx_val + γ(xᵀΨx + λ)), and a start that already solves the system
/// takes no step at all — which shows the start itself: W₂ + ½(W₂ − W₁) after two accepted solves.
public class OneFeatureCgTests
{
    private const int N = 40, NVal = 10, C = 2;

    // proportional: y_i1 = 2·y_i0, so every solution's output 1 is twice output 0 (up to rounding).
    private static LeastSquaresData Data(bool proportional = false)
    {
        var random = new Random(5);
        var (x, y, xv, yv) = (new Matrix(N, 1), new Matrix(N, C), new Matrix(NVal, 1), new Matrix(NVal, C));
        for (int i = 0; i < N; i++) (x[i, 0], y[i, 0], y[i, 1]) = (random.NextDouble() - 0.5, random.NextDouble(), random.NextDouble() - 1);
        if (proportional) for (int i = 0; i < N; i++) y[i, 1] = 2 * y[i, 0];
        for (int i = 0; i < NVal; i++) (xv[i, 0], yv[i, 0], yv[i, 1]) = (random.NextDouble() - 0.5, random.NextDouble(), random.NextDouble());
        return new LeastSquaresData(x, y, xv, yv);
    }

    // Σψx², Σψx·y_q over the training rows (ψ = 1 and the validation rows when psi is null).
    private static (double A, double[] B) Sums(LeastSquaresData d, double[]? psi)
    {
        var (x, y) = psi is null ? (d.XValidation, d.YValidation) : (d.XTrain, d.YTrain);
        double a = 0;
        var b = new double[C];
        for (int i = 0; i < x.Rows; i++)
        {
            double w = psi?[i] ?? 1;
            a += w * x[i, 0] * x[i, 0];
            for (int q = 0; q < C; q++) b[q] += w * x[i, 0] * y[i, q];
        }
        return (a, b);
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-11 * Math.Abs(expected), $"{what} = {actual:R}, expected {expected:R}");

    [Fact]
    public void EachSolveTakesOneStepAndLandsOnTheClosedForm()
    {
        var data = Data();
        var chain = LeastSquaresRegistry.Build("cg,svd", data);
        var cg = chain.Find<ConjugateGradientSolver>()!;
        var psi = Weights(N, seed: 2);
        var random = new Random(5);
        const double Ridge = 0.3, Gamma = 4;
        for (int solve = 1; solve <= 3; solve++)
        {
            Drift(psi, random);
            var (a, b) = Sums(data, psi);
            var (av, bv) = Sums(data, null);
            var (w2, w1) = (new double[C], new double[C]);
            Assert.Equal("cg", Solve(chain, psi, Gamma, Ridge, w2).Solver);
            Assert.Equal(1, cg.LastSteps);
            Solve(chain, psi, double.NaN, Ridge, w1); // handed out from the same passes: no step, no solve
            Assert.Equal((solve, solve), cg.Totals);
            for (int q = 0; q < C; q++)
            {
                Close((bv[q] + Gamma * b[q]) / (av + Gamma * (a + Ridge)), w2[q], $"solve {solve}: W₂[{q}]");
                Close(b[q] / (a + Ridge), w1[q], $"solve {solve}: W₁[{q}]");
            }
        }
        Assert.Equal([3, 3, 3], cg.SaveState()["recentPasses"]!.AsArray().Select(p => p!.GetValue<int>()));
        Assert.Equal(1, cg.Refreshes);
    }

    [Fact]
    public void TheThirdStartIsTheSecondSolutionPlusHalfTheLastChange()
    {
        var data = Data(proportional: true);
        var chain = LeastSquaresRegistry.Build("cg,svd", data);
        var cg = chain.Find<ConjugateGradientSolver>()!;
        var psi1 = Weights(N, seed: 2);
        var psi2 = psi1.Select((v, i) => i % 2 == 0 ? v * 0.9 : v).ToArray();
        var (w1, w2) = (new double[C], new double[C]);
        Solve(chain, psi1, double.NaN, 0, w1);
        Solve(chain, psi2, double.NaN, 0, w2);
        Assert.Equal(1, cg.LastSteps);
        var start = new[] { w2[0] + 0.5 * (w2[0] - w1[0]), w2[1] + 0.5 * (w2[1] - w1[1]) };
        // Weights at which the start solves the system: move one weight ψ_k by t so that
        // (B + t·x_k·y_k)/(A + t·x_k²) = start for output 0; output 1 = 2·output 0 follows to rounding. The solution does
        // not depend on the start, but the work does: a start that solves the system takes no step and one pass.
        var (a, b) = Sums(data, psi2);
        int k = Enumerable.Range(0, N).MaxBy(i => Math.Abs(data.XTrain[i, 0]));
        double xk = data.XTrain[k, 0], yk = data.YTrain[k, 0];
        double t = (start[0] * a - b[0]) / (xk * yk - start[0] * xk * xk);
        var psi3 = (double[])psi2.Clone();
        psi3[k] += t;
        Assert.InRange(psi3[k], 0.0, 2.0);
        var w3 = new double[C];
        Solve(chain, psi3, double.NaN, 0, w3);
        Assert.Equal(0, cg.LastSteps);
        Assert.Equal(start, w3); // the true residual accepted the start as it was
        Assert.Equal([3, 3, 1], cg.SaveState()["recentPasses"]!.AsArray().Select(p => p!.GetValue<int>()));
    }
}
