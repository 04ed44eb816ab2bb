using Pbgd.LeastSquares;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// ILowerLevelPair with only some gradient outputs wanted (the others empty): each wanted output equals the gradient a
/// separate, fresh problem computes at that point (so no work buffer can carry the answer over), to 1e−13 relative, the
/// values g too. Covers the one-pass evaluation of both models and the squared model's recall of g from the pass that
/// verified its conjugate-gradient solves.
public class PairPartialOutputsTests
{
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(60, 20, 5, 3, 0.3, seed: 14);

    // Which outputs are wanted: ∇_u g(v), ∇_v g(v), ∇_u g(ω), ∇_v g(ω).
    public static TheoryData<bool, bool, bool, bool> Wanted => new()
    {
        { false, true, false, false },
        { false, false, false, true },
        { true, false, false, true },
        { false, true, true, false },
        { false, false, false, false },
    };

    private static void Close(double[] expected, double[] actual, string what)
    {
        double scale = Math.Max(NaiveDense.Norm(expected), 1e-300);
        Assert.True(NaiveDense.Norm(NaiveDense.Subtract(actual, expected)) <= 1e-13 * scale, what);
    }

    // Each wanted output against the gradient of a fresh problem (a new instance per point) at v and at ω.
    private static void Check(Func<IBilevelProblem> create, double[] u, double[] v, double[] omega, bool[] wanted, double[][] outputs)
    {
        for (int point = 0; point < 2; point++)
        {
            var (gu, gv) = (new double[u.Length], new double[v.Length]);
            create().Lower(u, point == 0 ? v : omega, gu, gv);
            if (wanted[2 * point]) Close(gu, outputs[2 * point], $"∇_u g at point {point}");
            if (wanted[2 * point + 1]) Close(gv, outputs[2 * point + 1], $"∇_v g at point {point}");
        }
    }

    private static double[] Output(bool wanted, int length) => wanted ? new double[length] : [];

    [Theory]
    [MemberData(nameof(Wanted))]
    public void OnePassPairsFillExactlyTheWantedOutputs(bool uAtV, bool vAtV, bool uAtOmega, bool vAtOmega)
    {
        bool[] wanted = [uAtV, vAtV, uAtOmega, vAtOmega];
        Func<IBilevelProblem>[] models =
        [
            () => new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, new HyperCleaningSquaredOptions { Ridge = 0.3 }),
            () => new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, regularization: 0.3),
        ];
        var random = new Random(4);
        foreach (var create in models)
        {
            var p = create();
            var u = Enumerable.Range(0, 60).Select(_ => 4 * random.NextDouble() - 2).ToArray();
            var v = Enumerable.Range(0, p.LowerDimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            var omega = Enumerable.Range(0, p.LowerDimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            double[][] outputs = [Output(uAtV, 60), Output(vAtV, v.Length), Output(uAtOmega, 60), Output(vAtOmega, v.Length)];
            var (atV, atOmega) = ((ILowerLevelPair)p).LowerPair(u, v, omega, outputs[0], outputs[1], outputs[2], outputs[3]);
            Check(create, u, v, omega, wanted, outputs);
            Assert.True(PlainReference.Relative(atV, create().Lower(u, v, default, default)) <= 1e-13, "g at v");
            Assert.True(PlainReference.Relative(atOmega, create().Lower(u, omega, default, default)) <= 1e-13, "g at ω");
        }
    }

    [Theory]
    [MemberData(nameof(Wanted))]
    public void RecalledPairsFillExactlyTheWantedOutputs(bool uAtV, bool vAtV, bool uAtOmega, bool vAtOmega)
    {
        // PBGD-B's order: the penalized solve, then W*(u), then g at both (the verifying pass's residuals are recalled).
        bool[] wanted = [uAtV, vAtV, uAtOmega, vAtOmega];
        var options = new HyperCleaningSquaredOptions { Ridge = 0.3, ExactSolver = "cg" };
        var p = new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, options);
        var random = new Random(9);
        var u = Enumerable.Range(0, 60).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var (v, omega) = (new double[15], new double[15]);
        Assert.Equal("cg", p.MinimizePenalized(u, 10, v).Solver);
        Assert.Equal("cg", p.SolveLower(u, omega).Solver);
        double[][] outputs = [Output(uAtV, 60), Output(vAtV, 15), Output(uAtOmega, 60), Output(vAtOmega, 15)];
        var (atV, atOmega) = p.LowerPair(u, v, omega, outputs[0], outputs[1], outputs[2], outputs[3]);
        Func<IBilevelProblem> create = () => new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, options with { ExactSolver = "qr" });
        Check(create, u, v, omega, wanted, outputs);
        Assert.True(PlainReference.Relative(atV, PlainReference.SquaredLower(D.XTrain, D.YTrain, u, v, 0.3)) <= 1e-12, "g at v");
        Assert.True(PlainReference.Relative(atOmega, PlainReference.SquaredLower(D.XTrain, D.YTrain, u, omega, 0.3)) <= 1e-12, "g at ω");
        Assert.Equal(1, p.ExactSolver.Find<ConjugateGradientSolver>()!.VerifiedResiduals!.Recalls);
    }
}
