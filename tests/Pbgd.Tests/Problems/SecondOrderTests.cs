using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;
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
        var (problem, u, v) = Create(name, random);
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
            var (problem, u, v) = Create(name, random);
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
        var (problem, u, v) = Create("squared", new Random(1));
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

    internal static (IBilevelProblem, double[], double[]) Create(string name, Random random)
    {
        double[] Uniform(int n, double lo, double hi) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
        switch (name)
        {
            case "squared":
            case "squared-ridge":
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 3);
                var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
                    new HyperCleaningOptions { Ridge = name == "squared" ? 0 : 0.3 });
                return (p, Uniform(p.UpperDimension, -2, 2), Uniform(p.LowerDimension, -0.5, 0.5));
            }
            case "cross-entropy":
            case "cross-entropy-soft":
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 4);
                var yTrain = d.YTrain;
                if (name == "cross-entropy-soft")
                {
                    // Probability targets summing to 0.7 per row exercise the s_i factor of the products.
                    yTrain = new Pbgd.Linalg.Matrix(d.YTrain.Rows, d.YTrain.Columns);
                    for (int i = 0; i < yTrain.Rows; i++)
                        for (int j = 0; j < yTrain.Columns; j++) yTrain.Span[i * yTrain.Columns + j] = 0.7 / yTrain.Columns;
                }
                var p = new HyperCleaningCrossEntropyProblem(d.XTrain, yTrain, d.XValidation, d.YValidation, regularization: 0.2);
                return (p, Uniform(p.UpperDimension, -2, 2), Uniform(p.LowerDimension, -0.5, 0.5));
            }
            case "replearn":
            {
                var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 5);
                var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                return (p, Uniform(p.UpperDimension, -1, 1), Uniform(p.LowerDimension, -1, 1));
            }
            case "replearn-wide":
            {
                var d = RepresentationLearningGenerator.Create(4, 7, 9, 12, 3, seed: 6);
                var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                return (p, Uniform(p.UpperDimension, -1, 1), Uniform(p.LowerDimension, -1, 1));
            }
            case "example1":
                return (new XiaoChenExample1(), Uniform(1, -4, 4), Uniform(1, -4, 4));
            case "vpbgd-toy":
                return (new VpbgdToy(), Uniform(1, 0.05, 2.95), Uniform(1, -5, 8.5));
            case "rxgf-toy":
                return (new RxgfToy(20, seed: 3), Uniform(20, -2, 2), Uniform(20, -2, 2));
            default:
                return (new ConvexQuadraticToy(20, seed: 4), Uniform(20, -2, 2), Uniform(20, -2, 2));
        }
    }
}
