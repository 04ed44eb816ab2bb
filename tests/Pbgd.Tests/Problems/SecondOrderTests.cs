using Pbgd.Problems;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

/// Every second-order product of every built-in problem against central differences of the problem's own gradients
/// (themselves checked against finite differences of the values in GradientTests):
///     ∇²_vv g·w ≈ (∇_v g(u, v + hw) − ∇_v g(u, v − hw))/2h,  ∇²_uv g·w from ∇_u g the same way,
///     ∇²_vu g·z ≈ (∇_v g(u + hz, v) − ∇_v g(u − hz, v))/2h,
/// with h = 1e−5/‖direction‖∞: truncation O(h²) and rounding ≈ 2^−53‖∇g‖/h ≈ 1e−11‖∇g‖, both far below the criterion
/// ‖product − fd‖₂ ≤ 1e−6·max(‖product‖₂, 1e−8) (the relative error).
public class SecondOrderTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "squared", "squared-ridge", "cross-entropy", "cross-entropy-soft", "replearn", "replearn-wide",
                     "example1", "vpbgd-toy", "rxgf-toy", "convex-quadratic" })
            for (int point = 0; point < 3; point++) data.Add(name, point);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProductsMatchFiniteDifferencesOfTheGradients(string name, int point)
    {
        var random = new Random(31 + 97 * point);
        var (problem, u, v) = ProblemCases.Create(name, random);
        var second = (ILowerLevelSecondOrder)problem;
        int n = u.Length, p = v.Length;
        var w = Direction(random, p);
        var z = Direction(random, n);

        var hvv = new double[p];
        second.LowerHessianVV(u, v, w, hvv);
        Check(name, point, "∇²_vv g·w", hvv, DirectionalGradient(problem, u, v, w, alongU: false, ofU: false));

        var huv = new double[n];
        second.LowerMixedTransposeVU(u, v, w, huv);
        Check(name, point, "(∇²_vu g)ᵀw", huv, DirectionalGradient(problem, u, v, w, alongU: false, ofU: true));

        var hvu = new double[p];
        second.LowerMixedTransposeUV(u, v, z, hvu);
        Check(name, point, "(∇²_uv g)ᵀz", hvu, DirectionalGradient(problem, u, v, z, alongU: true, ofU: false));
    }

    [Fact]
    public void MixedProductsAreAdjoint()
    {
        // ⟨z, (∇²_vu g)ᵀw⟩ = ⟨(∇²_uv g)ᵀz, w⟩ because both blocks come from one symmetric Hessian: an exact identity,
        // so a 1e−12 relative bound (rounding only) holds where finite differences could not resolve a transposition slip.
        var random = new Random(7);
        foreach (var name in new[] { "squared-ridge", "cross-entropy", "replearn-wide", "rxgf-toy" })
        {
            var (problem, u, v) = ProblemCases.Create(name, random);
            var second = (ILowerLevelSecondOrder)problem;
            var w = Direction(random, v.Length);
            var z = Direction(random, u.Length);
            var a = new double[u.Length];
            var b = new double[v.Length];
            second.LowerMixedTransposeVU(u, v, w, a);
            second.LowerMixedTransposeUV(u, v, z, b);
            double left = Dot(z, a), right = Dot(b, w);
            double scale = Norm(z) * Norm(a) + Norm(b) * Norm(w);
            output.WriteLine($"{name}: ⟨z, Aᵀw⟩ = {left:G17}, ⟨Az, w⟩ = {right:G17}");
            Assert.True(Math.Abs(left - right) <= 1e-12 * scale, $"{name}: {left} vs {right}");
        }
    }

    [Fact]
    public void WrongLengthsAndOverlapsAreRejectedBeforeAnyWork()
    {
        var (problem, u, v) = ProblemCases.Create("squared", new Random(1));
        var second = (ILowerLevelSecondOrder)problem;
        var w = new double[v.Length];
        var ex = Assert.Throws<ArgumentException>(() => second.LowerHessianVV(u, v, w, new double[v.Length - 1]));
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => second.LowerMixedTransposeVU(u, v, new double[v.Length + 1], new double[u.Length]));
        Assert.Equal("direction", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => second.LowerMixedTransposeUV(u[1..], v, new double[u.Length], new double[v.Length]));
        Assert.Equal("u", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => second.LowerHessianVV(u, v, w, w));
        Assert.Equal("destination", ex.ParamName);
    }

    private void Check(string name, int point, string what, double[] analytic, double[] numeric)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            norm += analytic[i] * analytic[i];
        }
        double error = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-8);
        output.WriteLine($"{name} point {point} {what}: ‖·‖ = {Math.Sqrt(norm):E3}, relative error {error:E2}");
        Assert.True(error <= Tolerance, $"{name} point {point}: {what} relative error {error:E2}");
    }

    // Central difference of ∇_u g (ofU) or ∇_v g along (direction, 0) (alongU) or (0, direction).
    private static double[] DirectionalGradient(IBilevelProblem problem, double[] u, double[] v, double[] direction, bool alongU, bool ofU)
    {
        double scale = direction.Max(Math.Abs);
        double h = 1e-5 / scale;
        var x = alongU ? u : v;
        var plusPoint = (double[])x.Clone();
        var minusPoint = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++) { plusPoint[i] += h * direction[i]; minusPoint[i] -= h * direction[i]; }
        double[] Gradient(double[] moved)
        {
            var gu = new double[u.Length];
            var gv = new double[v.Length];
            problem.Lower(alongU ? moved : u, alongU ? v : moved, gu, gv);
            return ofU ? gu : gv;
        }
        var plus = Gradient(plusPoint);
        var minus = Gradient(minusPoint);
        return plus.Select((value, i) => (value - minus[i]) / (2 * h)).ToArray();
    }

    private static double[] Direction(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => 2 * random.NextDouble() - 1).ToArray();

    private static double Dot(double[] a, double[] b) => a.Select((x, i) => x * b[i]).Sum();
    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
}
