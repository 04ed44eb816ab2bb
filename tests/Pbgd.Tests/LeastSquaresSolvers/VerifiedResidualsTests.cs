using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// What conjugate gradients' verifying pass hands out (VerifiedResiduals) against plain loops over the data at the two
/// solutions: XᵀΨ(XW − Y) and ‖y_i − Wᵀx_i‖² per row for W₁ and W₂; and when it answers at all.
public class VerifiedResidualsTests
{
    private const int N = 40, NVal = 12, M = 5, C = 2;

    // XᵀΨ(XW − Y) (m×c) and ‖y_i − Wᵀx_i‖² by plain loops.
    private static (double[] Gradient, double[] RowSquares) Plain(LeastSquaresData d, double[] psi, double[] w)
    {
        var gradient = new double[M * C];
        var squares = new double[N];
        for (int i = 0; i < N; i++)
            for (int q = 0; q < C; q++)
            {
                double z = 0;
                for (int j = 0; j < M; j++) z += d.XTrain[i, j] * w[j * C + q];
                double r = z - d.YTrain[i, q];
                squares[i] += r * r;
                for (int j = 0; j < M; j++) gradient[j * C + q] += psi[i] * d.XTrain[i, j] * r;
            }
        return (gradient, squares);
    }

    private static void Close(double[] expected, double[] actual, string what)
    {
        double scale = expected.Max(Math.Abs);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * scale, $"{what}[{k}] = {actual[k]:R}, expected {expected[k]:R}");
    }

    [Fact]
    public void TheRecalledNumbersAreThoseOfPlainLoopsAtBothSolutions()
    {
        var data = RealisticData(N, NVal, M, C, seed: 8);
        var chain = LeastSquaresRegistry.Build("cg", data);
        var psi = Weights(N, seed: 5);
        var (penalized, lower) = (new double[M * C], new double[M * C]);
        Assert.False(chain.TryRecallVerifiedResiduals(psi, penalized, lower, [], [], new double[N], new double[N])); // nothing recorded yet
        Solve(chain, psi, 4, 0.2, penalized);
        Solve(chain, psi, double.NaN, 0.2, lower); // handed out from the same passes
        var memo = chain.Find<ConjugateGradientSolver>()!.VerifiedResiduals!;
        Assert.Equal(0, memo.Recalls);

        var (gp, gl, rp, rl) = (new double[M * C], new double[M * C], new double[N], new double[N]);
        Assert.True(chain.TryRecallVerifiedResiduals(psi, penalized, lower, gp, gl, rp, rl));
        var (expectedGp, expectedRp) = Plain(data, psi, penalized);
        var (expectedGl, expectedRl) = Plain(data, psi, lower);
        Close(expectedGp, gp, "XᵀΨ(XW₂ − Y)");
        Close(expectedGl, gl, "XᵀΨ(XW₁ − Y)");
        Close(expectedRp, rp, "‖y − W₂ᵀx‖²");
        Close(expectedRl, rl, "‖y − W₁ᵀx‖²");
        Assert.Equal(1, memo.Recalls);

        // Gradients not wanted (empty spans): the row squares alone are written.
        var (rp2, rl2) = (new double[N], new double[N]);
        Assert.True(memo.TryRecall(psi, penalized, lower, [], [], rp2, rl2));
        Assert.Equal(rp, rp2);
        Assert.Equal(rl, rl2);
        Assert.Equal(2, memo.Recalls);

        // Solutions of another length, or another value in either, give no answer and write nothing.
        var untouched = new double[N];
        Assert.False(memo.TryRecall(psi, penalized[..^1], lower, [], [], untouched, new double[N]));
        Assert.False(memo.TryRecall(psi, penalized, lower[..^1], [], [], untouched, new double[N]));
        var moved = (double[])lower.Clone();
        moved[^1] += 1e-9;
        Assert.False(memo.TryRecall(psi, penalized, moved, [], [], untouched, new double[N]));
        Assert.False(memo.TryRecall(psi[..^1], penalized, lower, [], [], untouched, new double[N]));
        Assert.All(untouched, v => Assert.Equal(0.0, v));
        Assert.Equal(2, memo.Recalls);
    }

    [Fact]
    public void AChainWithoutConjugateGradientsRecallsNothing()
    {
        var data = RealisticData(N, NVal, M, C, seed: 8);
        var chain = LeastSquaresRegistry.Build("normal,svd", data);
        var psi = Weights(N, seed: 5);
        var (penalized, lower) = (new double[M * C], new double[M * C]);
        Solve(chain, psi, 4, 0, penalized);
        Solve(chain, psi, double.NaN, 0, lower);
        Assert.False(chain.TryRecallVerifiedResiduals(psi, penalized, lower, [], [], new double[N], new double[N]));
    }
}
