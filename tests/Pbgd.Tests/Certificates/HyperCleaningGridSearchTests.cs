using Pbgd.Certificates;
using Pbgd.Linalg;
using Pbgd.Problems;

namespace Pbgd.Tests.Certificates;

/// The grid-search certificate of tiny squared hyper-cleaning instances: its nested objective F(u) = f(W*(u)) against
/// closed forms (Cramer's rule for W*(u), with the tests' plain-loop sigmoid), its grid against a plain enumeration,
/// and its local searches against the closed-form minimiser of a one-weight instance.
public class HyperCleaningGridSearchTests
{
    private static double Psi(double u) => Pbgd.Tests.Problems.PlainReference.Sigmoid(u);

    // One training row x = 1, y = 2 with ridge 1: W*(u) = 2ψ/(ψ + 1) ∈ (0, 1). Validation rows x = (1, 2),
    // y = (0.6, 1.1): the unconstrained validation fit is w* = Σxy/Σx² = 2.8/5 = 0.56, reached at ψ* = λw*/(xy − w*x²)
    // = 0.56/1.44, so min F = ½((0.6 − 0.56)² + (1.1 − 1.12)²) = 0.001 at u* = log(ψ*/(1 − ψ*)), inside R = 10.
    private static readonly double PsiStar = 0.56 / 1.44;
    private static readonly double UStar = Math.Log(PsiStar / (1 - PsiStar));
    private const double FStar = 0.001;

    private static HyperCleaningGridSearch OneWeight(double radius = 10) => new(
        new Matrix(1, 1, [1.0]), new Matrix(1, 1, [2.0]), new Matrix(2, 1, [1.0, 2.0]), new Matrix(2, 1, [0.6, 1.1]),
        new HyperCleaningSquaredOptions { Ridge = 1, Radius = radius });

    [Fact]
    public void NestedObjectiveOfAOneFeatureInstanceIsTheClosedForm()
    {
        // m = 1: W*(u) = Σψ_i x_i y_i / (Σψ_i x_i² + λ) per output column; F from it by plain loops (1e−14 relative).
        double[] xt = [0.5, -1.5, 2.0], yt = [1, 0, 0.5, -1, 2, 1]; // three rows, two outputs
        double[] xv = [1.0, -0.5], yv = [0.3, -0.2, 1.5, 0.7];
        double ridge = 0.25;
        var search = new HyperCleaningGridSearch(new Matrix(3, 1, xt), new Matrix(3, 2, yt), new Matrix(2, 1, xv), new Matrix(2, 2, yv),
            new HyperCleaningSquaredOptions { Ridge = ridge, Radius = 3 });
        double[] u = [0.7, -2.0, 1.1];
        double den = ridge;
        for (int i = 0; i < 3; i++) den += Psi(u[i]) * xt[i] * xt[i];
        double expected = 0;
        for (int j = 0; j < 2; j++)
        {
            double num = 0;
            for (int i = 0; i < 3; i++) num += Psi(u[i]) * xt[i] * yt[2 * i + j];
            double w = num / den;
            for (int i = 0; i < 2; i++) expected += 0.5 * Math.Pow(yv[2 * i + j] - xv[i] * w, 2);
        }
        Assert.Equal(expected, search.Evaluate(u), 1e-14 * expected);
    }

    [Fact]
    public void NestedObjectiveOfAThreeFeatureInstanceIsCramersRule()
    {
        // m = 3 with a tiny first diagonal (rows ≈ orthogonal to e₁), so the elimination must pivot; W*(u) by Cramer's rule
        // on G = XᵀΨX + λI, b = XᵀΨy (1e−12 relative). Entries of u beyond the radius count as ±R.
        double[] xt = [0.01, 3, 1, 0.02, -1, 2, 0.0, 0.5, -1, 0.03, 2, 2];
        double[] yt = [1, -2, 0.5, 3];
        double[] xv = [1, 1, 1, 0.5, -1, 2];
        double[] yv = [2, -1];
        double ridge = 1e-3, radius = 4;
        var search = new HyperCleaningGridSearch(new Matrix(4, 3, xt), new Matrix(4, 1, yt), new Matrix(2, 3, xv), new Matrix(2, 1, yv),
            new HyperCleaningSquaredOptions { Ridge = ridge, Radius = radius });
        double[] u = [0.3, 25.0, -1.2, -9.0];
        double[] clamped = [0.3, radius, -1.2, -radius];
        var g = new double[9];
        var b = new double[3];
        for (int i = 0; i < 4; i++)
        {
            double p = Psi(clamped[i]);
            for (int a = 0; a < 3; a++)
            {
                b[a] += p * xt[3 * i + a] * yt[i];
                for (int c = 0; c < 3; c++) g[3 * a + c] += p * xt[3 * i + a] * xt[3 * i + c];
            }
        }
        for (int a = 0; a < 3; a++) g[4 * a] += ridge;
        double det = Det3(g);
        var w = new double[3];
        for (int k = 0; k < 3; k++)
        {
            var gk = (double[])g.Clone();
            for (int a = 0; a < 3; a++) gk[3 * a + k] = b[a];
            w[k] = Det3(gk) / det;
        }
        double expected = 0;
        for (int i = 0; i < 2; i++) expected += 0.5 * Math.Pow(yv[i] - (xv[3 * i] * w[0] + xv[3 * i + 1] * w[1] + xv[3 * i + 2] * w[2]), 2);
        Assert.Equal(expected, search.Evaluate(u), 1e-12 * expected);
        Assert.Equal(search.Evaluate(clamped), search.Evaluate(u));
    }

    [Fact]
    public void NestedObjectiveWithTwoOutputsPivotsOnTheLastRow()
    {
        // Feature 0 is small and tied to the others, so G's first column grows down the rows (|G₀₀| < |G₁₀| < |G₂₀|): the
        // elimination takes its first pivot from the last row and swaps both right-hand sides with it. Two output
        // columns, each by Cramer's rule (1e−12 relative).
        double[] xt = [0.1, 1, 2, 0.1, 1, 2, 0, 1, -1, 0, 2, 1];
        double[] yt = [1, 0.5, -1, 2, 0.3, 0.1, 2, -2];
        double[] xv = [1, 0, 1, 0.2, -1, 0.5, 2, 1, 1];
        double[] yv = [1, 1, -1, 0.5, 0.25, 2];
        const double ridge = 1e-3;
        var search = new HyperCleaningGridSearch(new Matrix(4, 3, xt), new Matrix(4, 2, yt), new Matrix(3, 3, xv), new Matrix(3, 2, yv),
            new HyperCleaningSquaredOptions { Ridge = ridge, Radius = 5 });
        double[] u = [0.5, -0.5, 1.5, -2.0];
        var g = new double[9];
        var b = new double[6];
        for (int i = 0; i < 4; i++)
        {
            double p = Psi(u[i]);
            for (int a = 0; a < 3; a++)
            {
                for (int j = 0; j < 2; j++) b[2 * a + j] += p * xt[3 * i + a] * yt[2 * i + j];
                for (int c = 0; c < 3; c++) g[3 * a + c] += p * xt[3 * i + a] * xt[3 * i + c];
            }
        }
        for (int a = 0; a < 3; a++) g[4 * a] += ridge;
        Assert.True(Math.Abs(g[0]) < Math.Abs(g[3]) && Math.Abs(g[3]) < Math.Abs(g[6]), "the instance must need the last row as first pivot");
        double det = Det3(g), expected = 0;
        for (int j = 0; j < 2; j++)
        {
            var w = new double[3];
            for (int k = 0; k < 3; k++)
            {
                var gk = (double[])g.Clone();
                for (int a = 0; a < 3; a++) gk[3 * a + k] = b[2 * a + j];
                w[k] = Det3(gk) / det;
            }
            for (int i = 0; i < 3; i++) expected += 0.5 * Math.Pow(yv[2 * i + j] - (xv[3 * i] * w[0] + xv[3 * i + 1] * w[1] + xv[3 * i + 2] * w[2]), 2);
        }
        Assert.Equal(expected, search.Evaluate(u), 1e-12 * expected);
    }

    [Fact]
    public void AmongEqualGridValuesTheFirstPointEnumeratedIsKept()
    {
        // Two identical training rows make F symmetric, F(a, b) = F(b, a) to the bit (the sums commute), so the grid
        // minimum is attained twice off the diagonal; the enumeration runs u₀ fastest and keeps the first it finds.
        // With a target the data can only reach by trusting one row, the minimum is off the diagonal.
        var search = new HyperCleaningGridSearch(new Matrix(2, 1, [1.0, 1.0]), new Matrix(2, 1, [1.0, 1.0]),
            new Matrix(1, 1, [1.0]), new Matrix(1, 1, [0.45]), new HyperCleaningSquaredOptions { Ridge = 1, Radius = 2 });
        var (value, point) = search.GridMinimum(5);
        Assert.NotEqual(point[0], point[1]);
        Assert.Equal(value, search.Evaluate([point[1], point[0]]));
        Assert.True(point[0] > point[1], $"first found in enumeration order is ({point[0]}, {point[1]})");
    }

    private static double Det3(double[] a) =>
        a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);

    [Fact]
    public void GridMinimumIsTheBestOfAPlainEnumeration()
    {
        // N = 2, R = 2, 5 points per axis (spacing 1): the 25 values by the one-feature closed form; the search returns
        // the smallest and its point exactly (both computed from the same ψ and sums, to 1e−14 relative).
        double[] xt = [1.0, 2.0], yt = [1.0, -0.5], xv = [1.5], yv = [0.4];
        var search = new HyperCleaningGridSearch(new Matrix(2, 1, xt), new Matrix(2, 1, yt), new Matrix(1, 1, xv), new Matrix(1, 1, yv),
            new HyperCleaningSquaredOptions { Ridge = 0.1, Radius = 2 });
        double best = double.PositiveInfinity;
        double[] bestPoint = [];
        for (int a = -2; a <= 2; a++)
            for (int c = -2; c <= 2; c++)
            {
                double pa = Psi(a), pc = Psi(c);
                double w = (pa * xt[0] * yt[0] + pc * xt[1] * yt[1]) / (pa * xt[0] * xt[0] + pc * xt[1] * xt[1] + 0.1);
                double f = 0.5 * Math.Pow(yv[0] - xv[0] * w, 2);
                if (f < best) (best, bestPoint) = (f, [a, c]);
            }
        var (value, point) = search.GridMinimum(5);
        Assert.Equal(best, value, 1e-14 * best);
        Assert.Equal(bestPoint, point);
    }

    [Fact]
    public void LocalSearchesReachTheClosedFormMinimiser()
    {
        // The one-weight instance: F is unimodal in u with its minimum 0.001 at u* ≈ −0.452. Each search ends within
        // 1e−9 of F* (F − F* ≈ ½F''(u − u*)², so |u − u*| ≲ 1e−4 there, asserted at 1e−3) from starts on both sides.
        var search = OneWeight();
        var fromRight = search.LocalSearch([2.0]);
        var fromLeft = search.LocalSearch([-3.0]);
        var multi = search.MultiStartLocalSearch(starts: 3, seed: 5);
        var refined = search.RefinedMinimum(pointsPerAxis: 9, candidates: 2);
        foreach (var (value, point) in new[] { fromRight, fromLeft, multi, refined })
        {
            Assert.InRange(value, FStar - 1e-12, FStar + 1e-9);
            Assert.Equal(UStar, point[0], 1e-3);
            Assert.Equal(value, search.Evaluate(point), 1e-15);
        }
        // The grid alone (spacing 2.5) misses u* by up to half a cell: its value is above F*, the refined one below it.
        var (grid, _) = search.GridMinimum(9);
        Assert.True(grid > refined.Value + 1e-6, $"grid {grid:E6} vs refined {refined.Value:E6}");
    }

    [Fact]
    public void ALocalSearchStaysInsideTheBox()
    {
        // With R = 1 the minimiser u* ≈ −0.452 is inside; with R = 0.3 it is not, and F decreases towards it, so the
        // constrained minimum is at the bound −0.3 (F is monotone on [−0.3, 0.3]: ψ < ψ* there would need u < −0.452).
        var tight = OneWeight(radius: 0.3);
        var (value, point) = tight.LocalSearch([0.2]);
        Assert.Equal(-0.3, point[0], 1e-12);
        Assert.Equal(tight.Evaluate([-0.3]), value, 1e-15);
        Assert.True(value > FStar);
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingThem()
    {
        var search = OneWeight();
        Assert.Equal("u", Assert.Throws<ArgumentException>(() => search.Evaluate([1.0, 2.0])).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => search.LocalSearch([1.0, 2.0])).ParamName);
        Assert.Equal("pointsPerAxis", Assert.Throws<ArgumentOutOfRangeException>(() => search.GridMinimum(1)).ParamName);
        Assert.Equal("starts", Assert.Throws<ArgumentOutOfRangeException>(() => search.MultiStartLocalSearch(0, 1)).ParamName);
        Assert.Equal("candidates", Assert.Throws<ArgumentOutOfRangeException>(() => search.RefinedMinimum(5, 0)).ParamName);
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => new HyperCleaningGridSearch(
            new Matrix(2, 1, [1.0, 2.0]), new Matrix(1, 1, [1.0]), new Matrix(1, 1, [1.0]), new Matrix(1, 1, [1.0]))).ParamName);
        // 2^26 ≈ 6.7e7 grid points is over the 5e7 the search allows; refused before any evaluation.
        var wide = new HyperCleaningGridSearch(new Matrix(26, 1, Enumerable.Repeat(1.0, 26).ToArray()), new Matrix(26, 1, new double[26]),
            new Matrix(1, 1, [1.0]), new Matrix(1, 1, [1.0]), new HyperCleaningSquaredOptions { Ridge = 1 });
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => wide.GridMinimum(2));
        Assert.Equal("pointsPerAxis", tooMany.ParamName);
        Assert.Contains("6.71E+07", tooMany.Message);
    }

    [Fact]
    public void SingularWeightedNormalEquationsAreRefused()
    {
        // Two parallel feature columns and no ridge: XᵀΨX is singular for every u.
        var search = new HyperCleaningGridSearch(new Matrix(2, 2, [1.0, 2.0, -1.0, -2.0]), new Matrix(2, 1, [1.0, 0.0]),
            new Matrix(1, 2, [1.0, 1.0]), new Matrix(1, 1, [1.0]), new HyperCleaningSquaredOptions { Ridge = 0 });
        Assert.Throws<InvalidOperationException>(() => search.Evaluate([0.0, 0.0]));
    }
}
