using Pbgd.Problems;
using Pbgd.Problems.Toys;

namespace Pbgd.Tests.Problems;

/// Every problem's second-order products check their arguments before any work (SecondOrderShapes): a direction or a
/// destination one entry too long is refused naming the parameter and the block whose length it must have (u or v) —
/// which tells the blocks apart even where u and v have the same length. Also the toys' closed-form solve reports.
public class SecondOrderArgumentTests
{
    public static TheoryData<string> Names => new() { "example1", "vpbgd-toy", "rxgf-toy", "convex-quadratic", "replearn", "cross-entropy", "squared" };

    private static void Refused(Action call, string parameter, string block)
    {
        var error = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains($"(the length of {block})", error.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ProductsRefuseADirectionOrDestinationOfTheWrongBlock(string name)
    {
        var (problem, u, v) = ProblemCases.Create(name, new Random(2));
        var second = (ILowerLevelSecondOrder)problem;
        int n = u.Length, p = v.Length;
        Refused(() => second.LowerHessianVV(u, v, new double[p + 1], new double[p]), "direction", "v");
        Refused(() => second.LowerHessianVV(u, v, new double[p], new double[p + 1]), "destination", "v");
        Refused(() => second.LowerMixedTransposeVU(u, v, new double[p + 1], new double[n]), "direction", "v");
        Refused(() => second.LowerMixedTransposeVU(u, v, new double[p], new double[n + 1]), "destination", "u");
        Refused(() => second.LowerMixedTransposeUV(u, v, new double[n + 1], new double[p]), "direction", "u");
        Refused(() => second.LowerMixedTransposeUV(u, v, new double[n], new double[p + 1]), "destination", "v");
        var error = Assert.Throws<ArgumentException>(() => second.LowerHessianVV(u, new double[p + 1], new double[p], new double[p]));
        Assert.Equal("v", error.ParamName);
    }

    [Fact]
    public void ADestinationOverlappingAnyInputIsRefused()
    {
        // Each of the three overlaps alone (u, v and the direction are separate arrays otherwise).
        var (problem, u, v) = ProblemCases.Create("rxgf-toy", new Random(3));
        var second = (ILowerLevelSecondOrder)problem;
        var w = new double[v.Length];
        foreach (var destination in new[] { u, v, w })
        {
            var error = Assert.Throws<ArgumentException>(() => second.LowerHessianVV(u, v, w, destination));
            Assert.Equal("destination", error.ParamName);
            Assert.Contains("destination overlaps an input.", error.Message);
        }
    }

    [Fact]
    public void ClosedFormSolvesReportFullRank()
    {
        // The toys' lower levels have a unique solution: rank = d and FullRank, named closed-form.
        var y = new double[5];
        Assert.Equal(new LowerSolveInfo(LowerSolveInfo.ClosedForm, 5, true), new ConvexQuadraticToy(5, seed: 1).SolveLower(new double[5], y));
        Assert.Equal(new LowerSolveInfo(LowerSolveInfo.ClosedForm, 5, true), new ConvexQuadraticToy(5, seed: 1).MinimizePenalized(new double[5], 2, y));
        Assert.Equal(new LowerSolveInfo(LowerSolveInfo.ClosedForm, 5, true), new RxgfToy(5, seed: 1).SolveLower(new double[5], y));
        Assert.Equal(new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true), new VpbgdToy().SolveLower([1.0], new double[1]));
        Assert.Equal(new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true), new XiaoChenExample1().SolveLower([1.0], new double[1]));
        Assert.Equal(new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true), new XiaoChenExample1().MinimizePenalized([1.0], 2, new double[1]));
    }

    [Fact]
    public void TheUpperBlockIsKnownOnlyWhenBothConstantsAre()
    {
        Assert.True(new Smoothness(1, 1, 1, false, 2, 3).HasUpperBlock);
        Assert.False(new Smoothness(1, 1, 1, false, double.NaN, 3).HasUpperBlock);
        Assert.False(new Smoothness(1, 1, 1, false, 2, double.PositiveInfinity).HasUpperBlock);
        Assert.False(new Smoothness(1, 1, 1, false).HasUpperBlock);
    }
}
