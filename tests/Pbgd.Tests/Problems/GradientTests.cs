using Pbgd.Problems;
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
        foreach (var name in new[] { "squared", "squared-ridge", "cross-entropy", "cross-entropy-soft", "replearn", "replearn-wide", "example1", "vpbgd-toy", "rxgf-toy", "convex-quadratic" })
            for (int point = 0; point < 3; point++) data.Add(name, point);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGradientsMatchFiniteDifferences(string name, int point)
    {
        var random = new Random(17 + 101 * point);
        var (problem, u, v) = ProblemCases.Create(name, random);
        foreach (var block in FiniteDifferences.AllBlocks)
        {
            double error = FiniteDifferences.RelativeError(problem, u, v, block);
            output.WriteLine($"{name} point {point} {block}: relative error {error:E2}");
            Assert.True(error <= FiniteDifferences.Tolerance, $"{name} point {point}: {block} relative error {error:E2}");
        }
    }
}
