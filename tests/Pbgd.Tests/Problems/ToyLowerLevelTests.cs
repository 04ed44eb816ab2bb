using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

/// The toys' closed-form lower levels, penalized minimisers and smoothness claims, each against a brute-force
/// reference (dense grids; Hessians by central differences of the finite-difference-checked gradients).
public class ToyLowerLevelTests(ITestOutputHelper output)
{
    [Fact]
    public void VpbgdToyLowerLevelSolutionIsMinusXAndTheGridAgrees()
    {
        // For x on a grid over [0, 3]: y* = −x is a zero of ∂g/∂y exactly, g* = 0, and a grid over y ∈ [−x − 10, −x + 10]
        // with spacing 1e−3 finds no lower value and its argmin is within one spacing of −x.
        var toy = new VpbgdToy();
        var y = new double[1];
        var gy = new double[1];
        for (int i = 0; i <= 30; i++)
        {
            double x = 0.1 * i;
            var info = toy.SolveLower([x], y);
            Assert.Equal(LowerSolveInfo.ClosedForm, info.Solver);
            Assert.Equal(-x, y[0]);
            Assert.Equal(0, toy.Lower([x], y, default, gy));
            Assert.Equal(0, gy[0]);
            double best = double.PositiveInfinity, argmin = double.NaN;
            for (int k = -10_000; k <= 10_000; k++)
            {
                double candidate = -x + 1e-3 * k, value = toy.Lower([x], [candidate], default, default);
                if (value < best) (best, argmin) = (value, candidate);
            }
            Assert.True(best >= 0);
            Assert.InRange(Math.Abs(argmin + x), 0, 1e-3);
        }
    }

    [Fact]
    public void VpbgdToyLowerLevelHasNoOtherStationaryPointSoItIsPl()
    {
        // The doc's claim: (2t + x sin 2t)/t ≥ 0.69 for x ∈ [0, 3], t ≠ 0 (for |t| > x/2 it is > 0 trivially, and the
        // ratio is even in t), hence |∂g/∂y|² ≥ 0.69²·t² ≥ 0.11·g since g ≤ 4t².
        double worst = double.PositiveInfinity, worstPl = double.PositiveInfinity;
        var toy = new VpbgdToy();
        var gy = new double[1];
        for (int i = 0; i <= 300; i++)
        {
            double x = 0.01 * i;
            for (int j = 1; j <= 20_000; j++)
            {
                double t = 1e-3 * j;
                worst = Math.Min(worst, (2 * t + x * Math.Sin(2 * t)) / t);
                double g = toy.Lower([x], [t - x], default, gy);
                worstPl = Math.Min(worstPl, gy[0] * gy[0] / g);
            }
        }
        output.WriteLine($"min (2t + x sin 2t)/t = {worst:F4}; min |∂g/∂y|²/(g − g*) = {worstPl:F4}");
        Assert.True(worst >= 0.69, $"min ratio {worst}");
        Assert.True(worstPl >= 0.11, $"PL constant {worstPl}");
    }

    [Fact]
    public void VpbgdToySmoothnessBoundsHessiansSampledOverTheBox()
    {
        // Hessians by central differences of the analytic gradients on x ∈ [0, 3] (step 0.01) × y ∈ [−π, π]
        // (f is π/2-periodic in y; g's Hessian depends on x and t = x + y through 2t only): every sampled norm stays
        // below the reported constant, which is within 1.5× of the sampled maximum (not uselessly loose).
        var toy = new VpbgdToy();
        var s = toy.EstimateSmoothness([1], [0]);
        Assert.False(s.IsLocal);
        double f = 0, g = 0, gYy = 0, fXx = 0, gXx = 0;
        for (int i = 0; i <= 300; i++)
            for (int j = 0; j <= 400; j++)
            {
                double x = 0.01 * i, y = -Math.PI + 2 * Math.PI * j / 400;
                var hf = Hessian(toy, x, y, upper: true);
                var hg = Hessian(toy, x, y, upper: false);
                f = Math.Max(f, Norm(hf)); g = Math.Max(g, Norm(hg));
                fXx = Math.Max(fXx, Math.Abs(hf.Xx)); gXx = Math.Max(gXx, Math.Abs(hg.Xx)); gYy = Math.Max(gYy, Math.Abs(hg.Yy));
            }
        output.WriteLine($"sampled max: ‖∇²f‖ {f:F3} (bound {s.Upper}), ‖∇²g‖ {g:F3} ({s.Lower}), |g_yy| {gYy:F3} ({s.LowerInV}), |f_xx| {fXx:F3} ({s.UpperInU}), |g_xx| {gXx:F3} ({s.LowerInU})");
        foreach (var (sampled, bound) in new[] { (f, s.Upper), (g, s.Lower), (gYy, s.LowerInV), (fXx, s.UpperInU), (gXx, s.LowerInU) })
        {
            Assert.True(sampled <= bound * (1 + 1e-6), $"sampled {sampled} exceeds the bound {bound}");
            Assert.True(bound <= 1.5 * sampled, $"bound {bound} is more than 1.5× the sampled {sampled}");
        }
    }

    [Fact]
    public void Example1LowerLevelIsTheIdentity()
    {
        var problem = new XiaoChenExample1();
        var v = new double[1];
        var gv = new double[1];
        foreach (double u in new[] { -3.7, -1.8955, 0.0, 0.4, 2.5 })
        {
            problem.SolveLower([u], v);
            Assert.Equal(u, v[0]);
            Assert.Equal(0, problem.Lower([u], v, default, gv));
            Assert.Equal(0, gv[0]);
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public void Example1PenalizedMinimiserBeatsADenseGrid(double gamma)
    {
        // argmin_v ½(u − 2 sin v)² + (γ/2)(u − v)² for u on a grid over [−6, 6]: stationary to 1e−9 (relative to
        // 1 + γ), and no point of a grid (spacing 1e−4) over v ∈ u ± R has a lower value (to 1e−12), where
        // R = |u − 2 sin u|/√γ bounds every minimiser: (γ/2)(u − v)² ≤ value(v) ≤ value(u) = ½(u − 2 sin u)².
        // Small γ makes the v-problem non-convex with several local minima: the case that matters.
        var problem = new XiaoChenExample1();
        var v = new double[1];
        for (int i = 0; i <= 48; i++)
        {
            double u = -6 + 0.25 * i;
            problem.MinimizePenalized([u], gamma, v);
            double Value(double t) => 0.5 * Math.Pow(u - 2 * Math.Sin(t), 2) + 0.5 * gamma * (u - t) * (u - t);
            double derivative = -2 * Math.Cos(v[0]) * (u - 2 * Math.Sin(v[0])) - gamma * (u - v[0]);
            Assert.True(Math.Abs(derivative) <= 1e-9 * (1 + gamma), $"u = {u}, γ = {gamma}: derivative {derivative:E2} at v = {v[0]}");
            double best = double.PositiveInfinity, argmin = double.NaN;
            int half = (int)Math.Ceiling(Math.Abs(u - 2 * Math.Sin(u)) / Math.Sqrt(gamma) / 1e-4) + 1;
            for (int k = -half; k <= half; k++)
            {
                double t = u + 1e-4 * k, value = Value(t);
                if (value < best) (best, argmin) = (value, t);
            }
            Assert.True(Value(v[0]) <= best + 1e-12, $"u = {u}, γ = {gamma}: returned v = {v[0]} (value {Value(v[0]):E6}), grid v = {argmin} (value {best:E6})");
        }
    }

    [Fact]
    public void Example1PenalizedMinimiserWithoutPenaltyAndItsArgumentChecks()
    {
        // γ = 0: min_v ½(u − 2 sin v)² = ½ max(0, |u| − 2)², attained where sin v = clamp(u/2, −1, 1).
        var problem = new XiaoChenExample1();
        var v = new double[1];
        foreach (double u in new[] { -3.0, -1.0, 0.5, 2.0, 4.5 })
        {
            problem.MinimizePenalized([u], 0, v);
            double value = 0.5 * Math.Pow(u - 2 * Math.Sin(v[0]), 2), expected = 0.5 * Math.Pow(Math.Max(0, Math.Abs(u) - 2), 2);
            Assert.InRange(value - expected, -1e-15, 1e-15 * (1 + expected));
        }
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => problem.MinimizePenalized([1.0], -1, v)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => problem.MinimizePenalized([1.0], double.NaN, v)).ParamName);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => problem.MinimizePenalized([1.0], 1, new double[2])).ParamName);
    }

    [Fact]
    public void Example1LocalSmoothnessBoundsTheHessian()
    {
        // ∇²f = ∇r∇rᵀ + r·diag(0, 2 sin v) with r = u − 2 sin v; the reported local ℓ_f must bound ‖∇²f‖ at the point,
        // ℓ_g = ‖[[1, −1], [−1, 1]]‖ = 2 and ℓ_g in v = 1 exactly.
        var problem = new XiaoChenExample1();
        for (int i = 0; i <= 40; i++)
            for (int j = 0; j <= 40; j++)
            {
                double u = -5 + 0.25 * i, v = -5 + 0.25 * j;
                var s = problem.EstimateSmoothness([u], [v]);
                double hf = Norm(Hessian(problem, u, v, upper: true)), hg = Norm(Hessian(problem, u, v, upper: false));
                Assert.True(hf <= s.Upper * (1 + 1e-6), $"({u}, {v}): ‖∇²f‖ = {hf} > {s.Upper}");
                Assert.InRange(hg, 2 - 1e-6, 2 + 1e-6);
                Assert.Equal(2, s.Lower);
                Assert.Equal(1, s.LowerInV);
            }
    }

    private readonly record struct Sym(double Xx, double Xy, double Yy);

    private static Sym Hessian(IBilevelProblem p, double x, double y, bool upper)
    {
        const double h = 1e-5;
        (double, double) Grad(double a, double b)
        {
            var gu = new double[1];
            var gv = new double[1];
            if (upper) p.Upper([a], [b], gu, gv); else p.Lower([a], [b], gu, gv);
            return (gu[0], gv[0]);
        }
        var (uxp, vxp) = Grad(x + h, y);
        var (uxm, vxm) = Grad(x - h, y);
        var (uyp, vyp) = Grad(x, y + h);
        var (uym, vym) = Grad(x, y - h);
        double xy = 0.5 * ((vxp - vxm) + (uyp - uym)) / (2 * h);
        return new Sym((uxp - uxm) / (2 * h), xy, (vyp - vym) / (2 * h));
    }

    private static double Norm(Sym s)
    {
        double mean = 0.5 * (s.Xx + s.Yy), radius = Math.Sqrt(0.25 * (s.Xx - s.Yy) * (s.Xx - s.Yy) + s.Xy * s.Xy);
        return Math.Max(Math.Abs(mean + radius), Math.Abs(mean - radius));
    }
}
