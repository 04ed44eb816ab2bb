using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// Representation learning's rank reports (FullRank means rank = min(rows, h) of the design each solve factors) and
/// argument checks, and the projections onto U of the problems with a box.
public class RankFlagsAndProjectionTests
{
    // N = 3, N' = 5, m = 6 and h = 4 < m, so a generic W1 gives designs of full column rank h.
    private static Matrix Gaussian(int rows, int columns, Random random)
    {
        var a = new Matrix(rows, columns);
        Pbgd.Synthetic.Gaussian.Fill(random, a.Data);
        return a;
    }

    private static (RepresentationLearningProblem P, double[] W1) Narrow(int hidden)
    {
        var random = new Random(8);
        var (xt, yt, xv, yv) = (Gaussian(3, 6, random), Gaussian(3, 2, random), Gaussian(5, 6, random), Gaussian(5, 2, random));
        return (new RepresentationLearningProblem(xt, yt, xv, yv, hidden), Gaussian(6, hidden, random).Data);
    }

    [Fact]
    public void PenalizedSolvesReportFullRankExactlyWhenTheStackedDesignHasRankH()
    {
        // [X_val W1; √γ X_trn W1] is 8×h. With h = 2 (< N = 3) a generic W1 gives rank 2 = min(8, 2): full rank, and the
        // lower design X_trn W1 (3×2) too. A W1 of rank 1 gives rank 1 for both: not full.
        var (p, w1) = Narrow(2);
        var v = new double[2 * 2];
        var info = p.MinimizePenalized(w1, 5, v);
        Assert.Equal((LowerSolveInfo.MinimumNorm, 2, true), (info.Solver, info.Rank, info.FullRank));
        info = p.SolveLower(w1, v);
        Assert.Equal((2, true), (info.Rank, info.FullRank));

        var rankOne = new double[6 * 2];
        for (int j = 0; j < 6; j++) (rankOne[2 * j], rankOne[2 * j + 1]) = (w1[2 * j], 3 * w1[2 * j]);
        info = p.MinimizePenalized(rankOne, 5, v);
        Assert.Equal((1, false), (info.Rank, info.FullRank));
        info = p.SolveLower(rankOne, v);
        Assert.Equal((1, false), (info.Rank, info.FullRank));
    }

    [Fact]
    public void WithMoreHiddenUnitsThanRowsFullRankMeansRankN()
    {
        // h = 4 > N = 3: the lower design X_trn W1 (3×4) has rank at most N = 3 = min(3, 4), which a generic W1 attains;
        // the stacked design (8×4) has rank 4 = min(8, 4).
        var (p, w1) = Narrow(4);
        var v = new double[4 * 2];
        var info = p.SolveLower(w1, v);
        Assert.Equal((3, true), (info.Rank, info.FullRank));
        info = p.MinimizePenalized(w1, 0.5, v);
        Assert.Equal((4, true), (info.Rank, info.FullRank));
    }

    [Theory]
    [InlineData(1.0)] // the boundary: a threshold of σ_max itself would call every design rank-deficient
    [InlineData(double.NaN)]
    [InlineData(-1e-10)]
    public void RankTolerancesOutsideTheOpenUnitIntervalAreRefused(double tolerance)
    {
        var random = new Random(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new RepresentationLearningProblem(Gaussian(3, 6, random), Gaussian(3, 2, random), Gaussian(5, 6, random), Gaussian(5, 2, random), 4, tolerance));
        Assert.Equal("rankTolerance", error.ParamName);
        Assert.Contains("The rank tolerance must lie in (0, 1).", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RepresentationLearningRefusesANonFinitePenalty(double gamma)
    {
        var (p, w1) = Narrow(4);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => p.MinimizePenalized(w1, gamma, new double[8]));
        Assert.Equal("gamma", error.ParamName);
    }

    [Fact]
    public void RepresentationLearningHasNoBox()
    {
        var (p, _) = Narrow(4);
        double[] u = [-1e6, 3, 1e6];
        p.ProjectUpper(u);
        Assert.Equal([-1e6, 3, 1e6], u);
    }

    [Fact]
    public void HyperCleaningProjectsOntoTheBoxOfItsRadius()
    {
        // U = [−R, R]^N with R = 2: entries outside are clipped to ±R, entries inside (the ends included) kept.
        var d = HyperCleaningGenerator.Realistic(6, 4, 3, 2, 0.3, seed: 1);
        double[] before = [-3.5, -2, 0.25, 2, 7, -1.999];
        double[] expected = [-2, -2, 0.25, 2, 2, -1.999];
        var squared = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { Radius = 2 });
        var crossEntropy = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 0, radius: 2);
        foreach (IBilevelProblem p in new IBilevelProblem[] { squared, crossEntropy })
        {
            var u = (double[])before.Clone();
            p.ProjectUpper(u);
            Assert.Equal(expected, u);
        }
    }

    [Fact]
    public void TheVpbgdToyProjectsOntoZeroToThree()
    {
        var toy = new VpbgdToy();
        foreach (var (x, expected) in new[] { (-0.5, 0.0), (0.0, 0.0), (1.7, 1.7), (3.0, 3.0), (4.2, 3.0) })
        {
            double[] u = [x];
            toy.ProjectUpper(u);
            Assert.Equal(expected, u[0]);
        }
    }
}
