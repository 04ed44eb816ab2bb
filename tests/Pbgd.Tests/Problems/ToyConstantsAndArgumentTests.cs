using Pbgd.Problems;
using Pbgd.Problems.Toys;

namespace Pbgd.Tests.Problems;

/// The toys' smoothness constants against their closed forms, computed here from the instance's data (H's largest
/// eigenvalue by the test's own power iteration, c and d from ∇f at the origin), and their argument checks (one case per
/// condition, the parameter named).
public class ToyConstantsAndArgumentTests
{
    // λ_max(H) for symmetric positive definite H by plain power iteration (a fixed point to 1e−15 relative).
    private static double LargestEigenvalue(ReadOnlySpan<double> h, int d)
    {
        var x = Enumerable.Range(0, d).Select(i => 1.0 + 0.1 * i).ToArray();
        double lambda = 0;
        for (int step = 0; step < 20000; step++)
        {
            var y = new double[d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) y[i] += h[i * d + j] * x[j];
            double norm = Math.Sqrt(y.Sum(t => t * t));
            for (int i = 0; i < d; i++) x[i] = y[i] / norm;
            bool done = Math.Abs(norm - lambda) <= 1e-15 * norm;
            lambda = norm;
            if (done) break;
        }
        return lambda;
    }

    [Fact]
    public void ConvexQuadraticConstantsAreTheHessianNorms()
    {
        // ∇²f = I; ∇²g = [−I; H][−I, H] has norm 1 + λ_max², λ_max² in y alone; both u-blocks are 1.
        var toy = new ConvexQuadraticToy(8, seed: 6);
        double l = LargestEigenvalue(toy.Lower.H, 8);
        var s = toy.EstimateSmoothness(new double[8], new double[8]);
        Assert.Equal(1, s.Upper);
        Assert.Equal(1 + l * l, s.Lower, 1e-12);
        Assert.Equal(l * l, s.LowerInV, 1e-12);
        Assert.Equal((1.0, 1.0, false), (s.UpperInU, s.LowerInU, s.IsLocal));
    }

    [Fact]
    public void RxgfConstantsAreTheirFormulas()
    {
        // ℓ_f = ‖c‖² + ‖d‖² + 4, ℓ_g = 1 + λ_max², in y λ_max², in x ‖c‖² + 2 and 1. At the origin cᵀx + dᵀy = 0 and
        // x + y = 0, so ∇_x f = c and ∇_y f = d there: the test reads c and d off the (finite-difference-checked) gradient.
        var toy = new RxgfToy(10, seed: 7);
        var (c, d) = (new double[10], new double[10]);
        toy.Upper(new double[10], new double[10], c, d);
        double c2 = c.Sum(t => t * t), d2 = d.Sum(t => t * t), l = LargestEigenvalue(toy.Lower.H, 10);
        // Entries of variance 1/d: ‖c‖² and ‖d‖² are near 1 (a χ²₁₀/10 variable; 0.1 and 4 are far in its tails).
        Assert.InRange(c2, 0.1, 4);
        Assert.InRange(d2, 0.1, 4);
        var s = toy.EstimateSmoothness(new double[10], new double[10]);
        Assert.Equal(c2 + d2 + 4, s.Upper, 1e-13);
        Assert.Equal(1 + l * l, s.Lower, 1e-12);
        Assert.Equal(l * l, s.LowerInV, 1e-12);
        Assert.Equal(c2 + 2, s.UpperInU, 1e-13);
        Assert.Equal(1, s.LowerInU);
        Assert.False(s.IsLocal);
    }

    [Fact]
    public void Example1UpperConstantIsSevenPlusTwiceTheResidual()
    {
        // ‖∇²f‖ ≤ 1 + 2 + 4 + 2|u − 2 sin v| (the documented bound, exact in the formula), local; g's constants 2 and 1.
        var p = new XiaoChenExample1();
        foreach (var (u, v) in new[] { (0.3, -1.2), (-2.0, 0.7), (5.0, 2.0) })
        {
            var s = p.EstimateSmoothness([u], [v]);
            Assert.Equal(7 + 2 * Math.Abs(u - 2 * Math.Sin(v)), s.Upper, 1e-14);
            Assert.Equal((2.0, 1.0, true), (s.Lower, s.LowerInV, s.IsLocal));
        }
    }

    [Fact]
    public void VpbgdToyConstantsAreTheDocumentedBounds()
    {
        // The constants derived in the remarks (ℓ_f 21.6, ℓ_g 16.5, in y 8; in x 17.6 and 8.4), global.
        var s = new VpbgdToy().EstimateSmoothness([2.0], [-1.0]);
        Assert.Equal(new Smoothness(21.6, 16.5, 8, false, 17.6, 8.4), s);
        Assert.True(s.HasUpperBlock);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void PenaltiesOutsideZeroToInfinityAreRefused(double gamma)
    {
        var toy = new ConvexQuadraticToy(4, seed: 1);
        var v = new double[4];
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => toy.MinimizePenalized(new double[4], gamma, v)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => toy.PenalizedMinimum(gamma)).ParamName);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new XiaoChenExample1().MinimizePenalized([1.0], gamma, new double[1]));
        Assert.Equal("gamma", error.ParamName);
        Assert.Contains("γ must be finite and ≥ 0.", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Example1RefusesANonFiniteUpperVariable(double u)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new XiaoChenExample1().MinimizePenalized([u], 0.5, new double[1]));
        Assert.Equal("u", error.ParamName);
        Assert.Contains("u must be finite.", error.Message);
    }

    [Fact]
    public void Example1AtAZeroResidualReturnsU()
    {
        // u = 0: φ(v) = ½(2 sin v)² + (γ/2)v² ≥ 0 = φ(0), so v = 0 exactly, for every γ (the γ = 0 branch gives asin(0) = 0 too).
        var v = new double[1];
        foreach (double gamma in new[] { 0.0, 0.01, 3.0 })
        {
            v[0] = 9;
            new XiaoChenExample1().MinimizePenalized([0.0], gamma, v);
            Assert.Equal(0, v[0]);
        }
    }

    [Fact]
    public void Example1RefusesVectorsOfOtherLengths()
    {
        var p = new XiaoChenExample1();
        var error = Assert.Throws<ArgumentException>(() => p.MinimizePenalized(new double[2], 1, new double[1]));
        Assert.Equal("u", error.ParamName);
        Assert.Contains("u has 2 elements; Example 1 has scalar u.", error.Message);
        error = Assert.Throws<ArgumentException>(() => p.MinimizePenalized(new double[1], 1, new double[0]));
        Assert.Equal("v", error.ParamName);
        Assert.Contains("v has 0 elements; Example 1 has scalar v.", error.Message);
    }

    [Fact]
    public void SpdToysRefuseVectorsOfOtherLengths()
    {
        IBilevelProblem toy = new RxgfToy(5, seed: 2);
        var error = Assert.Throws<ArgumentException>(() => toy.Upper(new double[4], new double[5], default, default));
        Assert.Equal("u", error.ParamName);
        Assert.Contains("x has 4 elements; expected d = 5.", error.Message);
        error = Assert.Throws<ArgumentException>(() => toy.Lower(new double[5], new double[6], default, default));
        Assert.Equal("v", error.ParamName);
        Assert.Contains("y has 6 elements; expected d = 5.", error.Message);
        var quadratic = new ConvexQuadraticToy(5, seed: 2);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => quadratic.SolveLower(new double[5], new double[4])).ParamName);
        Assert.Equal("u", Assert.Throws<ArgumentException>(() => quadratic.MinimizePenalized(new double[6], 1, new double[5])).ParamName);
        Assert.Equal("u", Assert.Throws<ArgumentException>(() => quadratic.Upper(new double[6], new double[5], default, default)).ParamName);
    }

    [Theory]
    [InlineData(0, 0.1, 1.0, "dimension")]
    [InlineData(3, 0.0, 1.0, "minEigenvalue")] // the boundary: H must be positive definite
    [InlineData(3, double.NaN, 1.0, "minEigenvalue")]
    [InlineData(3, 0.1, double.PositiveInfinity, "minEigenvalue")]
    [InlineData(3, 0.5, 0.4, "minEigenvalue")]
    public void SpdLowerLevelsOutsideTheirRangeAreRefused(int dimension, double min, double max, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SpdLeastSquaresLower.Random(dimension, min, max, seed: 1));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void EqualEigenvalueBoundsGiveAMultipleOfTheIdentity()
    {
        // min = max (the boundary of max < min) is allowed: every eigenvalue is 0.5, so H = 0.5·QQᵀ = 0.5·I.
        var lower = SpdLeastSquaresLower.Random(4, 0.5, 0.5, seed: 3);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(i == j ? 0.5 : 0, lower.H[i * 4 + j], 1e-15);
        Assert.Equal(0.5, lower.MaxEigenvalue);
        // Bounds [0.1, 1] (the benchmark's): every eigenvalue inside, and H = Q diag(λ) Qᵀ has them as its Rayleigh quotients.
        var wide = SpdLeastSquaresLower.Random(6, 0.1, 1.0, seed: 4);
        Assert.All(wide.Eigenvalues.ToArray(), l => Assert.InRange(l, 0.1, 1.0));
        Assert.True(wide.Eigenvalues.ToArray().Distinct().Count() == 6);
        Assert.Equal(wide.Eigenvalues.ToArray().Max(), LargestEigenvalue(wide.H, 6), 1e-12);
    }

    [Fact]
    public void TheSigmoidSaturatesWithoutOverflowFarFromZero()
    {
        // ψ(±800): e^{800} overflows, so each sign needs its own form; ψ' = 0 there.
        Assert.Equal(1.0, Sigmoid.Value(800));
        Assert.Equal(0.0, Sigmoid.Value(-800));
        Assert.Equal(0.0, Sigmoid.Derivative(800));
        Assert.Equal(0.0, Sigmoid.Derivative(-800));
        Assert.Equal(0.5, Sigmoid.Value(0));
    }
}
