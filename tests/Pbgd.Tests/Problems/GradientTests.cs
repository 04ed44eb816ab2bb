using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;
using Pbgd.Tests.Support;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

/// Every gradient block (∇_u f, ∇_v f, ∇_u g, ∇_v g) of every built-in problem against central finite
/// differences (Support/FiniteDifferences: ‖∇ − ∇_fd‖ ≤ 1e−6·max(‖∇‖, 1e−8)), at three seeded points each.
public class GradientTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "squared", "squared-ridge", "cross-entropy", "replearn", "replearn-wide", "example1", "vpbgd-toy", "rxgf-toy", "convex-quadratic" })
            for (int point = 0; point < 3; point++) data.Add(name, point);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGradientsMatchFiniteDifferences(string name, int point)
    {
        var random = new Random(17 + 101 * point);
        var (problem, u, v) = Create(name, random);
        foreach (var block in FiniteDifferences.AllBlocks)
        {
            double error = FiniteDifferences.RelativeError(problem, u, v, block);
            output.WriteLine($"{name} point {point} {block}: relative error {error:E2}");
            Assert.True(error <= FiniteDifferences.Tolerance, $"{name} point {point}: {block} relative error {error:E2}");
        }
    }

    private static (IBilevelProblem, double[], double[]) Create(string name, Random random)
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
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 4);
                var p = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 0.2);
                return (p, Uniform(p.UpperDimension, -2, 2), Uniform(p.LowerDimension, -0.5, 0.5));
            }
            case "replearn":
            {
                // The spec's shape (N = 3, N' = 5, m = 6, h = 8), at random points rather than the generator's start.
                var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 5);
                var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                return (p, Uniform(p.UpperDimension, -1, 1), Uniform(p.LowerDimension, -1, 1));
            }
            case "replearn-wide":
            {
                // More outputs and a wider hidden layer, so every gemm transpose path sees non-square operands.
                var d = RepresentationLearningGenerator.Create(4, 7, 9, 12, 3, seed: 6);
                var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                return (p, Uniform(p.UpperDimension, -1, 1), Uniform(p.LowerDimension, -1, 1));
            }
            case "example1":
                return (new XiaoChenExample1(), Uniform(1, -4, 4), Uniform(1, -4, 4));
            case "rxgf-toy":
                return (new RxgfToy(20, seed: 3), Uniform(20, -2, 2), Uniform(20, -2, 2));
            case "convex-quadratic":
                return (new ConvexQuadraticToy(20, seed: 4), Uniform(20, -2, 2), Uniform(20, -2, 2));
            default:
                // x inside [0, 3] (the toy's feasible box), y over the range the toy tests start from.
                return (new VpbgdToy(), Uniform(1, 0.05, 2.95), Uniform(1, -5, 8.5));
        }
    }
}
