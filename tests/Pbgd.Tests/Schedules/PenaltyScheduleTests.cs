using Pbgd.Schedules;

namespace Pbgd.Tests.PenaltySchedules;

/// PenaltySchedule (docs/algorithms.md §3) against its formulas evaluated here: γ_k of each kind at iterations before,
/// at and after the ramp, the CLI syntax it parses (and what it refuses, naming why), and its round trip through text.
public class PenaltyScheduleTests
{
    [Fact]
    public void ConstantIsTheSameEveryIteration()
    {
        var s = PenaltySchedule.Constant(7.5);
        Assert.Equal((PenaltyScheduleKind.Constant, 7.5, 7.5, 0), (s.Kind, s.Start, s.End, s.RampSteps));
        Assert.True(double.IsNaN(s.Epsilon));
        foreach (int k in new[] { 0, 1, 1000, int.MaxValue }) Assert.Equal(7.5, s.Gamma(k));
        Assert.Equal(0, PenaltySchedule.Constant(0).Gamma(3));
    }

    [Theory]
    [InlineData(1e-4, 1.0, 100.0)]
    [InlineData(0.25, 3.0, 6.0)]
    [InlineData(1.0, 2.0, 2.0)]
    public void FromEpsilonIsGammaZeroOverRootEpsilon(double epsilon, double gamma0, double expected)
    {
        var s = PenaltySchedule.FromEpsilon(epsilon, gamma0);
        Assert.Equal(PenaltyScheduleKind.FromEpsilon, s.Kind);
        Assert.Equal(expected, s.Gamma(0), 1e-12 * expected);
        Assert.Equal(expected, s.Gamma(12345), 1e-12 * expected);
        Assert.Equal((expected, 0, epsilon), (s.End, s.RampSteps, s.Epsilon));
        Assert.Equal(100.0, PenaltySchedule.FromEpsilon(1e-4).Gamma(5), 1e-12);
    }

    [Fact]
    public void LinearRampInterpolatesThenHolds()
    {
        // γ_k = start + (end − start)·min(1, k/steps): 0.2 → 1.0 over 4 steps.
        var s = PenaltySchedule.LinearRamp(0.2, 1.0, 4);
        Assert.Equal((PenaltyScheduleKind.LinearRamp, 0.2, 1.0, 4), (s.Kind, s.Start, s.End, s.RampSteps));
        double[] expected = [0.2, 0.4, 0.6, 0.8, 1.0, 1.0, 1.0];
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], s.Gamma(k), 1e-15);
        Assert.Equal(1.0, s.Gamma(int.MaxValue));
        // A decreasing ramp, and one step.
        var down = PenaltySchedule.LinearRamp(3, 1, 2);
        Assert.Equal([3.0, 2.0, 1.0, 1.0], Enumerable.Range(0, 4).Select(down.Gamma));
        var one = PenaltySchedule.LinearRamp(0, 5, 1);
        Assert.Equal([0.0, 5.0, 5.0], Enumerable.Range(0, 3).Select(one.Gamma));
    }

    [Theory]
    [InlineData("10", PenaltyScheduleKind.Constant, 10.0, 10.0, 0)]
    [InlineData("0", PenaltyScheduleKind.Constant, 0.0, 0.0, 0)]
    [InlineData("2.5e1", PenaltyScheduleKind.Constant, 25.0, 25.0, 0)]
    [InlineData("ramp:0:0.2:30000", PenaltyScheduleKind.LinearRamp, 0.0, 0.2, 30000)]
    [InlineData("ramp:1:100:60", PenaltyScheduleKind.LinearRamp, 1.0, 100.0, 60)]
    [InlineData("eps:1e-4", PenaltyScheduleKind.FromEpsilon, 100.0, 100.0, 0)]
    [InlineData("eps:0.01:3", PenaltyScheduleKind.FromEpsilon, 30.0, 30.0, 0)]
    public void ParseReadsTheCliSyntax(string text, PenaltyScheduleKind kind, double start, double end, int steps)
    {
        var s = PenaltySchedule.Parse(text);
        Assert.Equal(kind, s.Kind);
        Assert.Equal(start, s.Start, 1e-12 * Math.Max(1, start));
        Assert.Equal(end, s.End, 1e-12 * Math.Max(1, end));
        Assert.Equal(steps, s.RampSteps);
        // Text and back: the same schedule.
        var again = PenaltySchedule.Parse(s.ToString());
        Assert.Equal((s.Kind, s.RampSteps), (again.Kind, again.RampSteps));
        Assert.Equal(s.Start, again.Start, 1e-12 * Math.Max(1, s.Start));
        Assert.Equal(s.End, again.End, 1e-12 * Math.Max(1, s.End));
    }

    [Fact]
    public void ToStringIsTheCliSyntax()
    {
        Assert.Equal("10", PenaltySchedule.Constant(10).ToString());
        Assert.Equal("ramp:0:0.2:30000", PenaltySchedule.LinearRamp(0, 0.2, 30000).ToString());
        Assert.Equal("eps:0.0001:2", PenaltySchedule.FromEpsilon(1e-4, 2).ToString());
    }

    [Theory]
    [InlineData("", "is not a penalty schedule")]
    [InlineData("ten", "is not a penalty schedule")]
    [InlineData("-1", "gamma must be a finite number ≥ 0.")]
    [InlineData("NaN", "gamma must be a finite number ≥ 0.")]
    [InlineData("Infinity", "gamma must be a finite number ≥ 0.")]
    [InlineData("ramp:1:2", "expected VALUE, ramp:START:END:STEPS or eps:EPS[:GAMMA0]")]
    [InlineData("ramp:1:2:3:4", "expected VALUE")]
    [InlineData("ramp:-1:2:3", "start must be a finite number ≥ 0.")]
    [InlineData("ramp:1:-2:3", "end must be a finite number ≥ 0.")]
    [InlineData("ramp:1:2:0", "steps")]
    [InlineData("ramp:1:2:1.5", "is not a penalty schedule")]
    [InlineData("ramp:1:2:99999999999", "is not a penalty schedule")]
    [InlineData("eps:0", "epsilon must lie in (0, 1].")]
    [InlineData("eps:2", "epsilon must lie in (0, 1].")]
    [InlineData("eps:0.1:-3", "gamma0 must be a finite number ≥ 0.")]
    [InlineData("eps:0.1:1:2", "expected VALUE")]
    [InlineData("step:1", "expected VALUE")]
    public void ParseRefusesOtherTextSayingWhy(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => PenaltySchedule.Parse(text));
        Assert.StartsWith($"'{text}' is not a penalty schedule: expected VALUE, ramp:START:END:STEPS or eps:EPS[:GAMMA0] (", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain("(Parameter '", e.Message);
        Assert.DoesNotContain("Actual value was", e.Message);
        Assert.Throws<ArgumentNullException>(() => PenaltySchedule.Parse(null!));
    }

    [Fact]
    public void FactoriesRefuseBadArgumentsByName()
    {
        string Param(Action a) => Assert.ThrowsAny<ArgumentException>(a).ParamName!;
        Assert.Equal("gamma", Param(() => PenaltySchedule.Constant(-0.1)));
        Assert.Equal("gamma", Param(() => PenaltySchedule.Constant(double.PositiveInfinity)));
        Assert.Equal("gamma", Param(() => PenaltySchedule.Constant(double.NaN)));
        Assert.Equal("epsilon", Param(() => PenaltySchedule.FromEpsilon(0)));
        Assert.Equal("epsilon", Param(() => PenaltySchedule.FromEpsilon(1.0000001)));
        Assert.Equal("epsilon", Param(() => PenaltySchedule.FromEpsilon(double.NaN)));
        Assert.Equal("gamma0", Param(() => PenaltySchedule.FromEpsilon(0.5, -1)));
        Assert.Equal("start", Param(() => PenaltySchedule.LinearRamp(-1, 1, 2)));
        Assert.Equal("end", Param(() => PenaltySchedule.LinearRamp(1, double.NaN, 2)));
        Assert.Equal("steps", Param(() => PenaltySchedule.LinearRamp(1, 2, 0)));
        // The edges that are allowed.
        Assert.Equal(1.0, PenaltySchedule.FromEpsilon(1).Gamma(0));
        Assert.Equal(0.0, PenaltySchedule.FromEpsilon(0.5, 0).Gamma(0));
        Assert.Equal(0.0, PenaltySchedule.LinearRamp(0, 0, 1).Gamma(7));
    }

    [Fact]
    public void SchedulesAreValuesWithEquality()
    {
        Assert.Equal(PenaltySchedule.Parse("ramp:0:1:10"), PenaltySchedule.LinearRamp(0, 1, 10));
        Assert.NotEqual(PenaltySchedule.LinearRamp(0, 1, 10), PenaltySchedule.LinearRamp(0, 1, 11));
        Assert.Equal(PenaltySchedule.Constant(3), PenaltySchedule.Parse("3"));
    }
}
