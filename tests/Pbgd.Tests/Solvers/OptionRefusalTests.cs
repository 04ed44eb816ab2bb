using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;
using Pbgd.Validation;

namespace Pbgd.Tests.Solvers;

/// Every solver option's validation, one bad value per case (so each condition of a compound check is the only one that
/// fails somewhere), refused with the option's name; and the smallest accepted value at each boundary is accepted.
public sealed class OptionRefusalTests
{
    public static TheoryData<string, string> Refused => new()
    {
        // SolverOptions (through PbgdOptions)
        { "MaxIterations=-1", nameof(SolverOptions.MaxIterations) },
        { "TimeBudget=0", nameof(SolverOptions.TimeBudget) },
        { "TimeBudget=-1", nameof(SolverOptions.TimeBudget) },
        { "LogEvery=0", nameof(SolverOptions.LogEvery) },
        { "HistoryCapacity=15", nameof(SolverOptions.HistoryCapacity) },
        { "CheckpointEvery=-1", nameof(SolverOptions.CheckpointEvery) },
        { "CheckpointInterval=0", nameof(SolverOptions.CheckpointInterval) },
        // PbgdOptions
        { "Penalty=null", nameof(PbgdOptions.Penalty) },
        { "StepSize=0", nameof(PbgdOptions.StepSize) },
        { "StepSize=inf", nameof(PbgdOptions.StepSize) },
        { "StepSize=nan", nameof(PbgdOptions.StepSize) },
        { "StepScale=0", nameof(PbgdOptions.StepScale) },
        { "StepScale=inf", nameof(PbgdOptions.StepScale) },
        { "GradientTolerance=0", nameof(PbgdOptions.GradientTolerance) },
        { "GradientTolerance=nan", nameof(PbgdOptions.GradientTolerance) },
        { "LowerGapTolerance=0", nameof(PbgdOptions.LowerGapTolerance) },
        { "PenalizedGapTolerance=0", nameof(PbgdOptions.PenalizedGapTolerance) },
        { "PenalizedGapTolerance=1 without reference", nameof(PbgdOptions.PenalizedReference) },
        { "PenalizedReference=inf", nameof(PbgdOptions.PenalizedReference) },
        { "PenalizedReference=nan", nameof(PbgdOptions.PenalizedReference) },
        { "LowerStepIterations=0", nameof(PbgdOptions.LowerStepIterations) },
        { "InnerToleranceFactor=0", nameof(PbgdOptions.InnerToleranceFactor) },
        { "InnerToleranceFactor=1", nameof(PbgdOptions.InnerToleranceFactor) },
        { "InnerToleranceFloor=0", nameof(PbgdOptions.InnerToleranceFloor) },
        { "InnerToleranceFloor=inf", nameof(PbgdOptions.InnerToleranceFloor) },
        { "InnerMaxIterations=0", nameof(PbgdOptions.InnerMaxIterations) },
        { "UpperStep=3", nameof(PbgdOptions.UpperStep) },
        { "Memory=0", nameof(PbgdOptions.Memory) },
        { "MaxBacktracks=0", nameof(PbgdOptions.MaxBacktracks) },
    };

    private static PbgdOptions Pbgd(string setting) => setting switch
    {
        "MaxIterations=-1" => new() { MaxIterations = -1 },
        "TimeBudget=0" => new() { TimeBudget = TimeSpan.Zero },
        "TimeBudget=-1" => new() { TimeBudget = TimeSpan.FromSeconds(-1) },
        "LogEvery=0" => new() { LogEvery = 0 },
        "HistoryCapacity=15" => new() { HistoryCapacity = SolverHistory.MinimumCapacity - 1 },
        "CheckpointEvery=-1" => new() { CheckpointEvery = -1 },
        "CheckpointInterval=0" => new() { CheckpointInterval = TimeSpan.Zero },
        "Penalty=null" => new() { Penalty = null! },
        "StepSize=0" => new() { StepSize = 0 },
        "StepSize=inf" => new() { StepSize = double.PositiveInfinity },
        "StepSize=nan" => new() { StepSize = double.NaN },
        "StepScale=0" => new() { StepScale = 0 },
        "StepScale=inf" => new() { StepScale = double.PositiveInfinity },
        "GradientTolerance=0" => new() { GradientTolerance = 0 },
        "GradientTolerance=nan" => new() { GradientTolerance = double.NaN },
        "LowerGapTolerance=0" => new() { LowerGapTolerance = 0 },
        "PenalizedGapTolerance=0" => new() { PenalizedGapTolerance = 0, PenalizedReference = 1 },
        "PenalizedGapTolerance=1 without reference" => new() { PenalizedGapTolerance = 1 },
        "PenalizedReference=inf" => new() { PenalizedReference = double.PositiveInfinity },
        "PenalizedReference=nan" => new() { PenalizedReference = double.NaN },
        "LowerStepIterations=0" => new() { LowerStepIterations = 0 },
        "InnerToleranceFactor=0" => new() { InnerToleranceFactor = 0 },
        "InnerToleranceFactor=1" => new() { InnerToleranceFactor = 1 },
        "InnerToleranceFloor=0" => new() { InnerToleranceFloor = 0 },
        "InnerToleranceFloor=inf" => new() { InnerToleranceFloor = double.PositiveInfinity },
        "InnerMaxIterations=0" => new() { InnerMaxIterations = 0 },
        "UpperStep=3" => new() { UpperStep = (UpperStepRule)3 },
        "Memory=0" => new() { Memory = 0 },
        "MaxBacktracks=0" => new() { MaxBacktracks = 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ABadPbgdOptionIsRefusedNamingIt(string setting, string option)
    {
        var e = Assert.Throws<InvalidValueException>(() => Pbgd(setting).Validate());
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void TheSmallestAcceptedValuesAreAccepted()
    {
        // Each at its boundary: ≥ 0, ≥ 1, the history's minimum, a positive time, κ just inside (0, 1), one pair, one backtrack.
        new PbgdOptions
        {
            MaxIterations = 0, LogEvery = 1, HistoryCapacity = SolverHistory.MinimumCapacity, CheckpointEvery = 0,
            TimeBudget = TimeSpan.FromTicks(1), CheckpointInterval = TimeSpan.FromTicks(1), StepSize = double.Epsilon, StepScale = double.Epsilon,
            GradientTolerance = double.Epsilon, LowerGapTolerance = double.Epsilon, PenalizedGapTolerance = double.Epsilon, PenalizedReference = -1e300,
            LowerStepIterations = 1, InnerToleranceFactor = 1 - 1e-16, InnerToleranceFloor = double.Epsilon, InnerMaxIterations = 1,
            UpperStep = UpperStepRule.SpectralGradient, Memory = 1, MaxBacktracks = 1,
        }.Validate();
        new PbgdOptions { InnerToleranceFactor = double.Epsilon }.Validate();
        new RxgfOptions { Epsilon = 0, MaxBacktracks = 1, Alpha = double.Epsilon, StepSize = 1e300, StepScale = 1e-300, KktTolerance = double.Epsilon }.Validate();
        new RxgfOptions { KktTolerance = null, StepSize = null }.Validate();
        new BaselineOptions { InnerSteps = 1, UpperStep = double.Epsilon, LowerStep = double.Epsilon, InnerStep = double.Epsilon, Eta = double.Epsilon }.Validate();
    }

    public static TheoryData<string, string> RefusedRxgf => new()
    {
        { "Epsilon=-tiny", nameof(RxgfOptions.Epsilon) },
        { "Epsilon=nan", nameof(RxgfOptions.Epsilon) },
        { "Epsilon=inf", nameof(RxgfOptions.Epsilon) },
        { "Alpha=0", nameof(RxgfOptions.Alpha) },
        { "StepSize=0", nameof(RxgfOptions.StepSize) },
        { "StepScale=inf", nameof(RxgfOptions.StepScale) },
        { "KktTolerance=0", nameof(RxgfOptions.KktTolerance) },
        { "MaxBacktracks=0", nameof(RxgfOptions.MaxBacktracks) },
        { "LogEvery=0", nameof(SolverOptions.LogEvery) },
    };

    [Theory]
    [MemberData(nameof(RefusedRxgf))]
    public void ABadRxgfOptionIsRefusedNamingIt(string setting, string option)
    {
        RxgfOptions options = setting switch
        {
            "Epsilon=-tiny" => new() { Epsilon = -double.Epsilon },
            "Epsilon=nan" => new() { Epsilon = double.NaN },
            "Epsilon=inf" => new() { Epsilon = double.PositiveInfinity },
            "Alpha=0" => new() { Alpha = 0 },
            "StepSize=0" => new() { StepSize = 0 },
            "StepScale=inf" => new() { StepScale = double.PositiveInfinity },
            "KktTolerance=0" => new() { KktTolerance = 0 },
            "MaxBacktracks=0" => new() { MaxBacktracks = 0 },
            "LogEvery=0" => new() { LogEvery = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };
        Assert.Equal(option, Assert.Throws<InvalidValueException>(options.Validate).ParamName);
    }

    public static TheoryData<string, string> RefusedBaseline => new()
    {
        { "Multiplier=null", nameof(BaselineOptions.Multiplier) },
        { "UpperStep=0", nameof(BaselineOptions.UpperStep) },
        { "LowerStep=nan", nameof(BaselineOptions.LowerStep) },
        { "InnerStep=inf", nameof(BaselineOptions.InnerStep) },
        { "Eta=0", nameof(BaselineOptions.Eta) },
        { "InnerSteps=0", nameof(BaselineOptions.InnerSteps) },
        { "MaxIterations=-1", nameof(SolverOptions.MaxIterations) },
    };

    [Theory]
    [MemberData(nameof(RefusedBaseline))]
    public void ABadBaselineOptionIsRefusedNamingIt(string setting, string option)
    {
        BaselineOptions options = setting switch
        {
            "Multiplier=null" => new() { Multiplier = null! },
            "UpperStep=0" => new() { UpperStep = 0 },
            "LowerStep=nan" => new() { LowerStep = double.NaN },
            "InnerStep=inf" => new() { InnerStep = double.PositiveInfinity },
            "Eta=0" => new() { Eta = 0 },
            "InnerSteps=0" => new() { InnerSteps = 0 },
            "MaxIterations=-1" => new() { MaxIterations = -1 },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };
        Assert.Equal(option, Assert.Throws<InvalidValueException>(options.Validate).ParamName);
    }

    [Fact]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var p = new PbgdOptions();
        Assert.Equal((10_000, 1, 10_000, 0), (p.MaxIterations, p.LogEvery, p.HistoryCapacity, p.CheckpointEvery));
        Assert.Equal((1.0, 10, 30, 10, 0.5, 1e-8, 500), (p.StepScale, p.Memory, p.MaxBacktracks, p.LowerStepIterations, p.InnerToleranceFactor, p.InnerToleranceFloor, p.InnerMaxIterations));
        Assert.Equal(10, p.Penalty.Gamma(0));
        Assert.True(p.ExactLowerStep);
        Assert.Equal(UpperStepRule.Gradient, p.UpperStep);
        var r = new RxgfOptions();
        Assert.Equal((1e-6, 1.0, 40, 1.0, 1e-6, 100_000), (r.Epsilon, r.Alpha, r.MaxBacktracks, r.StepScale, r.KktTolerance, r.MaxIterations));
        Assert.True(r.Backtracking);
        var b = new BaselineOptions();
        Assert.Equal((0.01, 0.01, 0.1, 1, 0.5), (b.UpperStep, b.LowerStep, b.InnerStep, b.InnerSteps, b.Eta));
        Assert.True(b.ScaleStepsByInverseMultiplier);
        Assert.Equal((0.0, 100.0), (b.Multiplier.Gamma(0), b.Multiplier.Gamma(1000)));
    }

    [Fact]
    public void UpperStepRulesHaveTheirNamesAndParseThem()
    {
        Assert.Equal([UpperStepRule.Gradient, UpperStepRule.Lbfgs, UpperStepRule.SpectralGradient], UpperStepRules.All);
        Assert.Equal(["gradient", "lbfgs", "bb"], UpperStepRules.All.Select(UpperStepRules.Name));
        Assert.Equal(UpperStepRule.Lbfgs, UpperStepRules.Parse(" LBFGS "));
        Assert.Equal(UpperStepRule.SpectralGradient, UpperStepRules.Parse("bb"));
        var e = Assert.Throws<InvalidValueException>(() => UpperStepRules.Parse("newton", "--upper-step"));
        Assert.Equal("--upper-step", e.ParamName);
        Assert.Contains("gradient, lbfgs, bb", e.Message);
        Assert.Equal("UpperStep", Assert.Throws<InvalidValueException>(() => UpperStepRules.Parse("x")).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => UpperStepRules.Name((UpperStepRule)7));
    }
}
