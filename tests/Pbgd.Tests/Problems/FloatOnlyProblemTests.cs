using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The problems on X_trn kept in float only (DataPrecision.SingleOnly) are the problems of X_trn rounded to float:
/// f, g, the lower-level solution and the smoothness estimates against PlainReference on the rounded matrix.
public class FloatOnlyProblemTests
{
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(30, 10, 4, 3, 0.3, seed: 12);

    private static Matrix Rounded(Matrix x)
    {
        var y = x.Clone();
        for (int k = 0; k < y.Data.Length; k++) y.Data[k] = (float)y.Data[k];
        return y;
    }

    [Theory]
    [InlineData("cg")]
    [InlineData("auto")]
    public void SquaredModelOnFloatOnlyDataIsTheModelOfTheRoundedData(string chain)
    {
        // Computed in double on the widened floats: 1e−12 relative, as the double path against the reference.
        var x = Rounded(D.XTrain);
        var p = new HyperCleaningSquaredProblem(SingleRows.From(D.XTrain), D.YTrain, D.XValidation, D.YValidation,
            new HyperCleaningSquaredOptions { Precision = DataPrecision.SingleOnly, ExactSolver = chain, Ridge = 0.2 }, null);
        var random = new Random(5);
        var u = Enumerable.Range(0, 30).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var v = Enumerable.Range(0, 12).Select(_ => random.NextDouble() - 0.5).ToArray();
        double g = PlainReference.SquaredLower(x, D.YTrain, u, v, 0.2);
        Assert.True(PlainReference.Relative(p.Lower(u, v, new double[30], new double[12]), g) <= 1e-12, "g");
        Assert.True(PlainReference.Relative(p.LowerPair(u, v, v, default, default, default, default).AtOmega, g) <= 1e-12, "g (pair)");
        var wStar = new double[12];
        p.SolveLower(u, wStar);
        var reference = PlainReference.SquaredMinimizer(x, D.YTrain, D.XValidation, D.YValidation, u, 0.2, 0, lowerOnly: true);
        Assert.True(NaiveDense.Norm(NaiveDense.Subtract(wStar, reference)) <= 1e-9 * NaiveDense.Norm(reference), "W*(u)");
        var s = p.EstimateSmoothness(u, v);
        double train = PlainReference.SpectralNormSquared(x);
        Assert.True(PlainReference.Relative(s.LowerInV, train + 0.2) <= 1e-4, "ℓ_g in W = ‖X_trn‖₂² + λ on the rounded X");
        // The options imply float products for the solvers (SingleOnly is a single-precision storage).
        Assert.True(p.Options.LeastSquares.SinglePrecisionProducts);
        Assert.True(new HyperCleaningSquaredOptions { Precision = DataPrecision.Single }.LeastSquares.SinglePrecisionProducts);
        Assert.False(new HyperCleaningSquaredOptions().LeastSquares.SinglePrecisionProducts);
    }

    [Fact]
    public void CrossEntropyOnFloatOnlyDataIsTheModelOfTheRoundedData()
    {
        // The float passes round W too (as the Single precision's do): against the reference on rounded X and W, 5e−8.
        var p = new HyperCleaningCrossEntropyProblem(SingleRows.From(D.XTrain), D.YTrain, D.XValidation, D.YValidation, 0.2, 10, null);
        Assert.Equal(DataPrecision.SingleOnly, p.Precision);
        var random = new Random(6);
        var u = Enumerable.Range(0, 30).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var v = Enumerable.Range(0, 15).Select(_ => random.NextDouble() - 0.5).ToArray();
        var vr = v.Select((t, k) => k < 12 ? (double)(float)t : t).ToArray();
        double g = PlainReference.CrossEntropyLower(Rounded(D.XTrain), D.YTrain, u, vr, 0) + 0.2 * PlainReference.SumOfSquares(v.AsSpan(0, 12));
        double f = PlainReference.CrossEntropyUpper(Rounded(D.XValidation), D.YValidation, vr);
        Assert.True(PlainReference.Relative(p.Lower(u, v, default, default), g) <= 5e-8, "g");
        Assert.True(PlainReference.Relative(p.Lower(u, v, new double[30], new double[15]), g) <= 5e-8, "g (with gradients)");
        Assert.True(PlainReference.Relative(p.Upper(u, v, default, new double[15]), f) <= 5e-8, "f");
    }
}
