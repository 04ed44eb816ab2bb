using Pbgd.Cli;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Problems;
using Pbgd.Validation;

namespace Pbgd.Tests.Experiments;

/// The library refuses a setting by naming its property (ParamName) and saying in words what is accepted, without
/// the CLI's flags and without the framework's suffixes; the CLI's one table turns the name into its flag.
public sealed class SettingMessageTests
{
    private static readonly HyperCleaningConfig Synthetic = HyperCleaningConfig.Default with { Dataset = "synthetic" };
    private static readonly RepresentationLearningConfig Replearn = new();

    public static TheoryData<string, Action, string, string?> Refusals => new()
    {
        { "hyperclean", () => (Synthetic with { Train = 0 }).Validate(), "Train", "--train" },
        { "hyperclean", () => (Synthetic with { Validation = -2 }).Validate(), "Validation", "--val" },
        { "hyperclean", () => (Synthetic with { Test = -1 }).Validate(), "Test", "--test" },
        { "hyperclean", () => (Synthetic with { Corruption = 1.5 }).Validate(), "Corruption", "--corrupt" },
        { "hyperclean", () => (Synthetic with { Corruption = double.NaN }).Validate(), "Corruption", "--corrupt" },
        { "hyperclean", () => (Synthetic with { Scaling = (FeatureScaling)9 }).Validate(), "Scaling", null },
        { "hyperclean", () => (Synthetic with { Gamma = "ramp:1:2" }).Validate(), "Gamma", "--gamma" },
        { "hyperclean", () => (Synthetic with { Gamma = "-1" }).Validate(), "Gamma", "--gamma" },
        { "hyperclean", () => (Synthetic with { Gamma = "eps:2" }).Validate(), "Gamma", "--gamma" },
        { "hyperclean", () => (Synthetic with { Dataset = "cifar" }).Validate(), "Dataset", "--dataset" },
        { "hyperclean", () => (Synthetic with { Iterations = -1 }).Validate(), "Iterations", "--iterations" },
        { "hyperclean", () => (Synthetic with { TimeBudgetSeconds = 0 }).Validate(), "TimeBudgetSeconds", "--time-budget" },
        { "hyperclean", () => (Synthetic with { Radius = double.PositiveInfinity }).Validate(), "Radius", "--radius" },
        { "hyperclean", () => (Synthetic with { Ridge = -1 }).Validate(), "Ridge", "--ridge" },
        { "hyperclean", () => (Synthetic with { Regularization = -0.5 }).Validate(), "Regularization", "--reg" },
        { "hyperclean", () => (Synthetic with { Oracle = "newton" }).Validate(), "Oracle", "--oracle" },
        { "hyperclean", () => (Synthetic with { Loss = HyperCleaningLoss.CrossEntropy, Oracle = "exact" }).Validate(), "Oracle", "--oracle" },
        { "hyperclean", () => (Synthetic with { Precision = (DataPrecision)5 }).Validate(), "Precision", "--precision" },
        { "hyperclean", () => (Synthetic with { Precision = DataPrecision.Single, ExactSolver = "qr" }).Validate(), "Precision", "--precision" },
        { "hyperclean", () => (Synthetic with { InitialU = double.NaN }).Validate(), "InitialU", "--u0" },
        { "hyperclean", () => (Synthetic with { Threads = -1 }).Validate(), "Threads", "--threads" },
        { "hyperclean", () => (Synthetic with { LogEvery = 0 }).Validate(), "LogEvery", "--log-every" },
        { "hyperclean", () => (Synthetic with { CheckpointSeconds = -1 }).Validate(), "CheckpointSeconds", "--checkpoint-seconds" },
        { "hyperclean", () => (Synthetic with { CheckpointEvery = 0 }).Validate(), "CheckpointEvery", "--checkpoint-every" },
        { "compare", () => (Synthetic with { Train = 0 }).Validate(), "Train", "--train" },
        { "replearn", () => (Replearn with { Hidden = 0 }).Validate(), "Hidden", "--hidden" },
        { "replearn", () => (Replearn with { Iterations = -1 }).Validate(), "Iterations", "--iterations" },
        { "replearn", () => (Replearn with { Oracle = "x" }).Validate(), "Oracle", "--oracle" },
        { "replearn", () => (Replearn with { OracleSteps = 0 }).Validate(), "OracleSteps", "--oracle-steps" },
        { "replearn", () => (Replearn with { Tolerance = 0 }).Validate(), "Tolerance", "--tolerance" },
        { "replearn", () => (Replearn with { StepScale = -1 }).Validate(), "StepScale", "--step-scale" },
        { "replearn", () => (Replearn with { LogEvery = 0 }).Validate(), "LogEvery", "--log-every" },
        { "replearn", () => (Replearn with { Gamma = "ramp:x" }).Validate(), "Gamma", "--gamma" },
        { "replearn", () => (Replearn with { Data = "csv:a,b" }).Validate(), "Data", "--data" },
        { "replearn", () => (Replearn with { Data = "libsvm:a" }).Validate(), "Data", "--data" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void RefusalsNameThePropertyInWordsAndTheCliMapsItToItsFlag(string command, Action validate, string property, string? flag)
    {
        var e = Assert.Throws<InvalidValueException>(validate);
        Assert.Equal(property, e.ParamName);
        Clean(e.Message);
        Assert.DoesNotContain("--", e.Message);
        string shown = ExitCodes.Describe(e, command);
        Assert.Equal(flag is null ? e.Message : $"{flag}: {e.Message}", shown);
    }

    [Fact]
    public void TheNumbersAndTheScheduleErrorReadAsWords()
    {
        var corrupt = Assert.Throws<InvalidValueException>(() => (Synthetic with { Corruption = 1.5 }).Validate());
        Assert.Equal("the corrupted fraction of training labels must lie in [0, 1], not 1.5.", corrupt.Message);
        var gamma = Assert.Throws<InvalidValueException>(() => (Synthetic with { Gamma = "-1" }).Validate());
        Assert.Equal("'-1' is not a penalty schedule: expected VALUE, ramp:START:END:STEPS or eps:EPS[:GAMMA0] (gamma must be a finite number ≥ 0.)", gamma.Message);
        Assert.IsType<FormatException>(gamma.InnerException);
    }

    // The core's own exceptions still carry the framework's suffixes; the CLI drops them and adds the flag.
    [Fact]
    public void TheCliCleansTheCoresArgumentExceptions()
    {
        var outOfRange = new ArgumentOutOfRangeException("ConjugateGradientTolerance", 0.5, "The conjugate-gradient tolerance must lie in (0, 1e−6].");
        Assert.Equal("--cg-tolerance: The conjugate-gradient tolerance must lie in (0, 1e−6].", ExitCodes.Describe(outOfRange, "hyperclean"));
        var generator = new ArgumentException("Need N' ≤ m and N ≤ m < N + N'.", "features");
        Assert.Equal("--features: Need N' ≤ m and N ≤ m < N + N'.", ExitCodes.Describe(generator, "replearn"));
        // compare spells RXGF's step differently from hyperclean's step; an unknown name gets no flag.
        var step = new ArgumentOutOfRangeException("StepSize", -1.0, "η must be finite and > 0.");
        Assert.Equal("--rxgf-step: η must be finite and > 0.", ExitCodes.Describe(step, "compare"));
        Assert.Equal("--step: η must be finite and > 0.", ExitCodes.Describe(step, "hyperclean"));
        Assert.Equal("bad x", ExitCodes.Describe(new ArgumentException("bad x", "xValidation"), "hyperclean"));
        // A message that already starts with its flag is not prefixed twice.
        Assert.Equal("--train: too few.", ExitCodes.Describe(new ArgumentException("--train: too few.", "Train"), "hyperclean"));
        Assert.Equal("x.csv: no such file.", ExitCodes.Describe(new FileNotFoundException("x.csv: no such file."), "hyperclean"));
    }

    internal static void Clean(string message)
    {
        Assert.DoesNotContain("Parameter '", message);
        Assert.DoesNotContain("Actual value was", message);
        Assert.DoesNotContain("System.", message);
    }
}
