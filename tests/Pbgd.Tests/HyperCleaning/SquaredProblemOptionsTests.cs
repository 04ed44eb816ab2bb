using System.Reflection;
using Pbgd.LeastSquares;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.HyperCleaning;

/// The squared problem's options: the fingerprint follows every option of the record (so a new one cannot be forgotten),
/// names the chain canonically, and the problem takes the exact-solver chain it is given as long as it is the one its
/// options name.
public class SquaredProblemOptionsTests
{
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(200, 60, 5, 3, 0.4, 5);

    private static string Fingerprint(HyperCleaningSquaredOptions options) =>
        new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, options).DataFingerprint;

    // A value other than the default for every settable option; a new option must be added here, or the test fails.
    private static readonly Dictionary<string, object> OtherValues = new()
    {
        [nameof(HyperCleaningSquaredOptions.Ridge)] = 0.25,
        [nameof(HyperCleaningSquaredOptions.Radius)] = 5.0,
        [nameof(HyperCleaningSquaredOptions.Precision)] = DataPrecision.Single,
        [nameof(HyperCleaningSquaredOptions.RankTolerance)] = 1e-10,
        [nameof(HyperCleaningSquaredOptions.ExactSolver)] = "normal,cg,svd",
        [nameof(HyperCleaningSquaredOptions.ConjugateGradientTolerance)] = 1e-10,
    };

    [Fact]
    public void EveryOptionChangesTheFingerprint()
    {
        var settable = typeof(HyperCleaningSquaredOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => p.Name).Order().ToArray();
        Assert.Equal(settable, OtherValues.Keys.Order().ToArray());
        string baseline = Fingerprint(new HyperCleaningSquaredOptions());
        var seen = new HashSet<string> { baseline };
        foreach (var (name, value) in OtherValues)
        {
            var options = new HyperCleaningSquaredOptions();
            typeof(HyperCleaningSquaredOptions).GetProperty(name)!.SetValue(options, value);
            Assert.True(seen.Add(Fingerprint(options)), $"{name} = {value} leaves the fingerprint unchanged");
        }
    }

    [Fact]
    public void APresetAndItsChainAreOneFingerprint()
    {
        Assert.Equal(Fingerprint(new HyperCleaningSquaredOptions()), Fingerprint(new HyperCleaningSquaredOptions { ExactSolver = " normal@cost:50, cg,qr ,svd" }));
        Assert.Equal(Fingerprint(new HyperCleaningSquaredOptions { ExactSolver = "qr" }), Fingerprint(new HyperCleaningSquaredOptions { ExactSolver = "qr,svd" }));
    }

    [Fact]
    public void TheProblemTakesTheChainItIsGiven()
    {
        var d = RankDeficientData.Create(300, 80, 12, 3, seed: 12);
        var options = new HyperCleaningSquaredOptions { ExactSolver = "normal:3,cg,svd", Ridge = 0 };
        var data = new LeastSquaresData(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var chain = LeastSquaresRegistry.Build(options.ExactSolver, data, options.LeastSquares);
        var given = new HyperCleaningSquaredProblem(chain, options);
        var built = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, options);
        Assert.Same(chain, given.ExactSolver);
        Assert.Equal(built.DataFingerprint, given.DataFingerprint);
        var random = new Random(1);
        var u = Enumerable.Range(0, 300).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        for (int k = 0; k < 6; k++)
        {
            var (w1, w2) = (new double[36], new double[36]);
            Assert.Equal(built.MinimizePenalized(u, 10, w1), given.MinimizePenalized(u, 10, w2));
            Assert.Equal(w1, w2);
            Assert.Equal(built.SolveLower(u, w1), given.SolveLower(u, w2));
            Assert.Equal(w1, w2);
        }
        Assert.Equal(built.SolveCounts, given.SolveCounts);
        Assert.Equal(["normal", "cg", "svd"], given.SolveCounts.Keys);
    }

    [Fact]
    public void AChainForOtherOptionsIsRefused()
    {
        var options = new HyperCleaningSquaredOptions { ExactSolver = "cg" };
        var data = new LeastSquaresData(D.XTrain, D.YTrain, D.XValidation, D.YValidation);
        var otherChain = Assert.Throws<ArgumentException>(() => new HyperCleaningSquaredProblem(LeastSquaresRegistry.Build("qr", data, options.LeastSquares), options));
        Assert.Contains("'qr,svd'", otherChain.Message);
        var otherSolverOptions = LeastSquaresRegistry.Build("cg", data, options.LeastSquares with { ConjugateGradientMaxSteps = 2 });
        Assert.Throws<ArgumentException>(() => new HyperCleaningSquaredProblem(otherSolverOptions, options));
    }

    [Theory]
    [InlineData("lu", "'lu' is not a solver")]
    [InlineData("normal,normal", "appears twice")]
    public void AnUnknownChainIsRefusedNamingTheOption(string chain, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Fingerprint(new HyperCleaningSquaredOptions { ExactSolver = chain }));
        Assert.Equal("ExactSolver", error.ParamName);
        Assert.Contains(named, error.Message);
    }
}
