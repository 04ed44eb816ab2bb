using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The hyper-cleaning smoothness estimates, which set the default steps, against their documented formulas evaluated by
/// the test's own plain loops: ‖X‖₂² by PlainReference's power iteration run to a fixed point (the library stops at 1e−6
/// relative, so 1e−4), residuals at W*(u) by PlainReference's elimination solve and cross-entropy losses by its own
/// log-sum-exp (1e−10), |ψ''| ≤ 1/(6√3) written out. Before, no test looked at these numbers.
public class SmoothnessEstimateTests
{
    private static readonly HyperCleaningInstance Data = HyperCleaningGenerator.Realistic(60, 30, 8, 3, 0.4, seed: 3);
    private const double PsiSecond = 0.096225044864937631; // 1/(6√3)

    private static (double[] U, double[] V) Point(int lower, int seed)
    {
        var random = new Random(seed);
        return (Enumerable.Range(0, 60).Select(_ => 6 * random.NextDouble() - 3).ToArray(),
            Enumerable.Range(0, lower).Select(_ => random.NextDouble() - 0.5).ToArray());
    }

    private static void Near(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: {actual:R}, expected {expected:R}");

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void SquaredLossEstimatesAreTheirFormulas(double ridge)
    {
        var problem = new HyperCleaningSquaredProblem(Data.XTrain, Data.YTrain, Data.XValidation, Data.YValidation, new HyperCleaningSquaredOptions { Ridge = ridge });
        var (u, v) = Point(problem.LowerDimension, 11);
        var s = problem.EstimateSmoothness(u, v);

        double train = PlainReference.SpectralNormSquared(Data.XTrain), val = PlainReference.SpectralNormSquared(Data.XValidation);
        Near(val, s.Upper, 1e-4, "ℓ_f = ‖X_val‖₂²");
        Near(train + ridge, s.LowerInV, 1e-4, "ℓ_g in W = ‖X_trn‖₂² + λ");
        // In u: (½|ψ''|max + ¼)·the largest squared residual ‖y_i − Wᵀx_i‖², over W*(u) and the given v.
        var wStar = PlainReference.SquaredMinimizer(Data.XTrain, Data.YTrain, Data.XValidation, Data.YValidation, u, ridge, 0, lowerOnly: true);
        double maxRow = Enumerable.Range(0, 60)
            .Max(i => Math.Max(PlainReference.SquaredResidual(Data.XTrain, Data.YTrain, i, wStar), PlainReference.SquaredResidual(Data.XTrain, Data.YTrain, i, v)));
        Near((0.5 * PsiSecond + 0.25) * maxRow, s.LowerInU, 1e-10, "ℓ_g in u");
        Near(s.LowerInV + s.LowerInU, s.Lower, 1e-15, "ℓ_g = in W + in u");
        Assert.Equal(0, s.UpperInU);
        Assert.False(s.IsLocal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void CrossEntropyEstimatesAreTheirFormulas(double r)
    {
        var problem = new HyperCleaningCrossEntropyProblem(Data.XTrain, Data.YTrain, Data.XValidation, Data.YValidation, r);
        var (u, v) = Point(problem.LowerDimension, 12);
        var s = problem.EstimateSmoothness(u, v);

        double train = PlainReference.SpectralNormSquared(Data.XTrain), val = PlainReference.SpectralNormSquared(Data.XValidation);
        Near(0.5 * (val + 1) / 30, s.Upper, 1e-4, "ℓ_f = ½(‖X_val‖₂² + 1)/N'");
        Near(0.5 * (train + 1) / 60 + 2 * r, s.LowerInV, 1e-4, "ℓ_g in (W, b) = ½(‖X_trn‖₂² + 1)/N + 2r");
        // In u: (|ψ''|max + ¼)·max_i ℓ_i(v)/N, the per-sample cross-entropy at the given v.
        double maxLoss = Enumerable.Range(0, 60).Max(i => PlainReference.CrossEntropy(Data.XTrain, Data.YTrain, i, v));
        Near((PsiSecond + 0.25) * maxLoss / 60, s.LowerInU, 1e-10, "ℓ_g in u");
        Near(s.LowerInV + s.LowerInU, s.Lower, 1e-15, "ℓ_g = in (W, b) + in u");
        Assert.Equal(0, s.UpperInU);
    }
}
