using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.Problems;

/// Every gradient of every built-in problem against central finite differences: relative error ≤ 1e−6.
public class GradientTests
{
    public static TheoryData<string> Problems => new() { "squared", "squared-ridge", "cross-entropy", "replearn", "example1", "vpbgd-toy" };

    [Theory]
    [MemberData(nameof(Problems))]
    public void AnalyticGradientsMatchFiniteDifferences(string name)
    {
        var (problem, u, v) = Create(name);
        foreach (bool upper in new[] { true, false })
            foreach (bool blockU in new[] { true, false })
            {
                double error = FiniteDifferences.RelativeError(problem, u, v, upper, blockU);
                Assert.True(error <= 1e-6, $"{name}: ∇_{(blockU ? "u" : "v")}{(upper ? "f" : "g")} relative error {error:E2}");
            }
    }

    private static (IBilevelProblem, double[], double[]) Create(string name)
    {
        var random = new Random(17);
        double[] Random(int n, double scale) => Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
        switch (name)
        {
            case "squared":
            case "squared-ridge":
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 3);
                var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
                    new HyperCleaningOptions { Ridge = name == "squared" ? 0 : 0.3 });
                return (p, Random(p.UpperDimension, 2), Random(p.LowerDimension, 0.5));
            }
            case "cross-entropy":
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 4);
                var p = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 0.2);
                return (p, Random(p.UpperDimension, 2), Random(p.LowerDimension, 0.5));
            }
            case "replearn":
            {
                var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 5);
                return (new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden), d.W1.Data, d.W2.Data);
            }
            case "example1":
                return (new XiaoChenExample1(), [0.7], [-1.3]);
            default:
                return (new VpbgdToy(), [1.2], [0.4]);
        }
    }
}
