using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The argument checks of the hyper-cleaning problems' methods: a vector of the wrong length (u, v, ω, a gradient output,
/// new features, scores) or a penalty outside [0, ∞) is refused before any work, naming the parameter; empty gradient
/// outputs are allowed. One case per condition, so a check on the wrong length or joined with the wrong operator fails.
public class HyperCleaningArgumentTests
{
    // N = 12, N' = 6, m = 3, c = 2: u has 12 entries, the squared model's v 6 and the cross-entropy model's v 6 + 2 = 8.
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(12, 6, 3, 2, 0.3, seed: 2);

    private static HyperCleaningSquaredProblem Squared() => new(D.XTrain, D.YTrain, D.XValidation, D.YValidation);

    private static HyperCleaningCrossEntropyProblem CrossEntropy() => new(D.XTrain, D.YTrain, D.XValidation, D.YValidation);

    private static void Refused(Action call, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void SquaredModelMethodsRefuseWrongLengths()
    {
        var p = Squared();
        double[] u = new double[12], v = new double[6];
        Refused(() => p.Upper(new double[11], v, default, default), "u", "u has 11 elements; expected N = 12.");
        Refused(() => p.Lower(u, new double[7], default, default), "v", "v has 7 elements; expected m·c = 6.");
        Refused(() => p.Lower(u, v, new double[13], default), "gradU", "gradU has 13 elements; expected 12.");
        Refused(() => p.Upper(u, v, default, new double[5]), "gradV", "gradV has 5 elements; expected 6.");
        // The pair checks ω and its outputs as it checks v (the message calls the lower point v).
        Refused(() => p.LowerPair(u, v, new double[5], default, default, default, default), "v", "v has 5 elements");
        Refused(() => p.LowerPair(u, v, v, default, default, new double[3], default), "gradU", "gradU has 3 elements");
        Refused(() => p.LowerPair(u, v, v, default, default, default, new double[3]), "gradV", "gradV has 3 elements");
        Refused(() => p.EstimateSmoothness(new double[2], v), "u", "u has 2 elements");
        Refused(() => p.SolveLower(u, new double[2]), "v", "v has 2 elements");
        Refused(() => p.MinimizePenalized(new double[2], 1, v), "u", "u has 2 elements");
        Refused(() => p.Scores(new Matrix(4, 2), v, new double[8]), "x", "x has 2 features; the model has 3.");
        Refused(() => p.Scores(new Matrix(4, 3), new double[5], new double[8]), "v", "v has 5 elements; expected 6.");
        Refused(() => p.Scores(new Matrix(4, 3), v, new double[9]), "scores", "scores needs 8 elements.");
    }

    [Fact]
    public void CrossEntropyModelMethodsRefuseWrongLengths()
    {
        var p = CrossEntropy();
        double[] u = new double[12], v = new double[8];
        Refused(() => p.Upper(new double[13], v, default, default), "u", "u has 13 elements; expected N = 12.");
        Refused(() => p.Lower(u, new double[6], default, default), "v", "v has 6 elements; expected m·c + c = 8.");
        Refused(() => p.Lower(u, v, new double[11], default), "gradU", "gradU has 11 elements; expected 12.");
        Refused(() => p.Lower(u, v, default, new double[6]), "gradV", "gradV has 6 elements; expected 8.");
        Refused(() => p.LowerPair(u, v, new double[6], default, default, default, default), "v", "v has 6 elements");
        Refused(() => p.LowerPair(u, v, v, default, default, new double[3], default), "gradU", "gradU has 3 elements");
        Refused(() => p.LowerPair(u, v, v, default, default, default, new double[3]), "gradV", "gradV has 3 elements");
        Refused(() => p.EstimateSmoothness(u, new double[2]), "v", "v has 2 elements");
        Refused(() => p.Scores(new Matrix(4, 4), v, new double[8]), "x", "x has 4 features; the model has 3.");
        Refused(() => p.Scores(new Matrix(4, 3), new double[6], new double[8]), "v", "v has 6 elements; expected 8.");
        Refused(() => p.Scores(new Matrix(4, 3), v, new double[7]), "scores", "scores needs 8 elements.");
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ThePenalizedSolveRefusesAPenaltyOutsideZeroToInfinity(double gamma)
    {
        var p = Squared();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => p.MinimizePenalized(new double[12], gamma, new double[6]));
        Assert.Equal("gamma", error.ParamName);
        Assert.Contains("γ must be finite and ≥ 0.", error.Message);
    }

    [Fact]
    public void APenaltyOfZeroIsTheValidationFit()
    {
        // γ = 0 (the boundary of the check) is allowed: argmin_W f = (X_valᵀX_val)⁻¹X_valᵀY_val, by the reference's elimination.
        var p = Squared();
        var w = new double[6];
        p.MinimizePenalized(new double[12], 0, w);
        var reference = PlainReference.SquaredMinimizer(D.XTrain, D.YTrain, D.XValidation, D.YValidation, new double[12], 0, 0, lowerOnly: false);
        for (int k = 0; k < 6; k++) Assert.Equal(reference[k], w[k], 1e-9 * Math.Max(1, Math.Abs(reference[k])));
    }

    [Fact]
    public void FEitherModelHasNoGradientInU()
    {
        // f depends on W alone, so ∇_u f = 0 — written over whatever the output held before; ∇_v f likewise overwrites its
        // output (equal to the gradient a fresh problem writes into zeros).
        var random = new Random(3);
        var u = Enumerable.Range(0, 12).Select(_ => random.NextDouble() - 0.5).ToArray();
        foreach (IBilevelProblem p in new IBilevelProblem[] { Squared(), CrossEntropy() })
        {
            var v = Enumerable.Range(0, p.LowerDimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            var gradU = Enumerable.Repeat(7.0, 12).ToArray();
            var gradV = Enumerable.Repeat(-3.0, v.Length).ToArray();
            p.Upper(u, v, gradU, gradV);
            Assert.All(gradU, g => Assert.Equal(0, g));
            var fresh = new double[v.Length];
            (p is HyperCleaningSquaredProblem ? (IBilevelProblem)Squared() : CrossEntropy()).Upper(u, v, default, fresh);
            for (int k = 0; k < v.Length; k++) Assert.Equal(fresh[k], gradV[k], 1e-14);
        }
    }
}
