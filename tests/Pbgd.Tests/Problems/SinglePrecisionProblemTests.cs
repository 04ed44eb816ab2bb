using Pbgd.Experiments;
using Pbgd.Problems;
using Pbgd.Synthetic;
using Pbgd.Validation;

namespace Pbgd.Tests.Problems;

/// The cross-entropy problem with float32 data against the same problem in float64: values and gradients of f and g
/// (single and paired passes) agree to 1e−5 relative (measured ~1e−7; float rounding of X, W and the coefficients
/// is 6e−8 each, and the sums over 900 rows go to double every 128 rows), on an instance large enough for several
/// kernel parts and flushes.
public class SinglePrecisionProblemTests
{
    private const double Tolerance = 1e-5;

    private static (HyperCleaningCrossEntropyProblem Double, HyperCleaningCrossEntropyProblem Single, double[] U, double[] V, double[] W) Create()
    {
        var d = HyperCleaningGenerator.Realistic(900, 300, 40, 10, 0.4, seed: 11);
        var random = new Random(12);
        var dbl = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 0.1);
        var sgl = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 0.1,
            precision: DataPrecision.Single);
        double[] Uniform(int n, double scale) => Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
        return (dbl, sgl, Uniform(dbl.UpperDimension, 2), Uniform(dbl.LowerDimension, 0.5), Uniform(dbl.LowerDimension, 0.5));
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected), $"{what}: {actual:R} vs {expected:R}");

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        double err = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++) { err += (actual[i] - expected[i]) * (actual[i] - expected[i]); norm += expected[i] * expected[i]; }
        Assert.True(Math.Sqrt(err) <= Tolerance * Math.Sqrt(norm), $"{what}: ‖Δ‖ = {Math.Sqrt(err):E2}, ‖ref‖ = {Math.Sqrt(norm):E2}");
    }

    [Fact]
    public void ValuesAndGradientsMatchDoublePrecision()
    {
        var (dbl, sgl, u, v, w) = Create();
        int nu = u.Length, nv = v.Length;
        var (gu1, gv1, gu2, gv2) = (new double[nu], new double[nv], new double[nu], new double[nv]);
        AssertClose(dbl.Upper(u, v, gu1, gv1), sgl.Upper(u, v, gu2, gv2), "f");
        AssertClose(gv1, gv2, "∇_v f");
        AssertClose(dbl.Lower(u, v, gu1, gv1), sgl.Lower(u, v, gu2, gv2), "g");
        AssertClose(gu1, gu2, "∇_u g");
        AssertClose(gv1, gv2, "∇_v g");

        var (gu1b, gv1b, gu2b, gv2b) = (new double[nu], new double[nv], new double[nu], new double[nv]);
        var d = dbl.LowerPair(u, v, w, gu1, gv1, gu1b, gv1b);
        var s = sgl.LowerPair(u, v, w, gu2, gv2, gu2b, gv2b);
        AssertClose(d.AtV, s.AtV, "g at v (pair)");
        AssertClose(d.AtOmega, s.AtOmega, "g at ω (pair)");
        AssertClose(gv1, gv2, "∇_v g at v (pair)");
        AssertClose(gv1b, gv2b, "∇_v g at ω (pair)");
        AssertClose(gu1b, gu2b, "∇_u g at ω (pair)");
    }

    [Fact]
    public void PrecisionIsPartOfTheFingerprint()
    {
        var (dbl, sgl, _, _, _) = Create();
        Assert.Equal(DataPrecision.Single, sgl.Precision);
        Assert.NotEqual(dbl.DataFingerprint, sgl.DataFingerprint);
    }

    [Fact]
    public void DataBeyondFloatRangeIsRejectedWithItsPosition()
    {
        var d = HyperCleaningGenerator.Realistic(20, 10, 4, 3, 0.4, seed: 1);
        var x = d.XValidation.Clone();
        x[7, 2] = 1e39;
        var error = Assert.Throws<ArgumentException>(() =>
            new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, x, d.YValidation, precision: DataPrecision.Single));
        Assert.Equal("xValidation", error.ParamName);
        Assert.Contains("xValidation[7, 2] = 1E+39 does not fit in single precision", error.Message);
        // The same data in double precision is fine.
        _ = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, x, d.YValidation);
    }

    [Fact]
    public void BadPrecisionsAreRejectedByName()
    {
        var d = HyperCleaningGenerator.Realistic(20, 10, 4, 3, 0.4, seed: 1);
        Assert.Equal("precision", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, precision: (DataPrecision)7)).ParamName);
        var squared = HyperCleaningConfig.Default with { Precision = DataPrecision.Single, ExactSolver = "qr" };
        var error = Assert.Throws<Pbgd.Validation.InvalidValueException>(squared.Validate);
        Assert.Equal("Precision", error.ParamName);
        Assert.EndsWith("the exact solver qr needs double data.", error.Message);
        (squared with { ExactSolver = "cg" }).Validate();
        (squared with { ExactSolver = "auto" }).Validate();
    }
}
