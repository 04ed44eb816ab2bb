using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// Restore checks a state before copying it in (mutation testing, issue 16): each defect is the only one in its
/// case, so every condition of the checks must fire on its own; the exception is an ArgumentException on "state"
/// whose message names the defect, and the minimiser is unchanged afterwards. States at the edges of the allowed
/// ranges are accepted.
public class RestoreRefusalTests
{
    private const int Memory = 3, Window = 4;
    private static readonly Box Bounds = new([-1.0, -1.0], [1.0, 2.0]);

    public static TheoryData<string, string, string> CommonDefects()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var method in new[] { "L-BFGS", "SPG" })
        {
            data.Add(method, "point null", "point and gradient must have 2 entries");
            data.Add(method, "point short", "point and gradient must have 2 entries");
            data.Add(method, "gradient null", "point and gradient must have 2 entries");
            data.Add(method, "gradient short", "point and gradient must have 2 entries");
            data.Add(method, "point[0] infinite", "point[0] is not finite");
            data.Add(method, "point[1] NaN", "point[1] is not finite");
            data.Add(method, "point outside", "outside the box");
            foreach (var count in new[] { "iterations", "evaluations", "backtracks", "skipped", "resets", "extra" })
                data.Add(method, "negative " + count, "counts must be ≥ 0");
            data.Add(method, "status undefined", "is not a resumable one");
            data.Add(method, "status cancelled", "is not a resumable one");
            data.Add(method, "criterion undefined", "is not a resumable one");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CommonDefects))]
    public void RestoreRefusesADefectInTheCommonPartAndLeavesTheMinimizerUnchanged(string method, string defect, string message)
    {
        var minimizer = Started(method);
        var good = minimizer.SaveState();
        var zero = new MinimizerCounts(0, 0, 0, 0, 0, 0);
        MinimizerState bad = defect switch
        {
            "point null" => good with { Point = null! },
            "point short" => good with { Point = [0.5] },
            "gradient null" => good with { Gradient = null! },
            "gradient short" => good with { Gradient = [1.0] },
            "point[0] infinite" => good with { Point = [double.PositiveInfinity, 0.25] },
            "point[1] NaN" => good with { Point = [0.5, double.NaN] },
            "point outside" => good with { Point = [0.5, 2.5] },
            "negative iterations" => good with { Counts = zero with { Iterations = -1 } },
            "negative evaluations" => good with { Counts = zero with { Evaluations = -1 } },
            "negative backtracks" => good with { Counts = zero with { Backtracks = -1 } },
            "negative skipped" => good with { Counts = zero with { SkippedPairs = -1 } },
            "negative resets" => good with { Counts = zero with { MemoryResets = -1 } },
            "negative extra" => good with { Counts = zero with { ExtraEvaluations = -1 } },
            "status undefined" => good with { Status = (StopReason)42 },
            "status cancelled" => good with { Status = StopReason.Cancelled },
            "criterion undefined" => good with { Criterion = (ConvergenceCriterion)42 },
            _ => throw new ArgumentException(defect, nameof(defect)),
        };
        var e = Assert.Throws<ArgumentException>(() => minimizer.Restore(bad));
        Assert.Equal("state", e.ParamName);
        Assert.Contains(message, e.Message);
        Assert.Equal(good.Point, minimizer.Point.ToArray());
        Assert.Equal(good.Counts, minimizer.Counts);
    }

    public static TheoryData<string, string> LbfgsDefects() => new()
    {
        { "steps null", "pairs must hold Memory × n = 6 entries" },
        { "changes null", "pairs must hold Memory × n = 6 entries" },
        { "steps short", "pairs must hold Memory × n = 6 entries" },
        { "changes short", "pairs must hold Memory × n = 6 entries" },
        { "newest −1", "ring position -1/1 does not fit Memory = 3" },
        { "newest = Memory", "ring position 3/1 does not fit Memory = 3" },
        { "count −1", "ring position 0/-1 does not fit Memory = 3" },
        { "count = Memory + 1", "ring position 0/4 does not fit Memory = 3" },
        { "scaling 0", "scaling 0 must be finite and > 0" },
        { "scaling −1", "scaling -1 must be finite and > 0" },
        { "scaling ∞", "must be finite and > 0" },
        { "scaling NaN", "must be finite and > 0" },
    };

    [Theory]
    [MemberData(nameof(LbfgsDefects))]
    public void LbfgsRestoreRefusesADefectInItsMemory(string defect, string message)
    {
        var minimizer = (ProjectedLbfgs)Started("L-BFGS");
        var good = (ProjectedLbfgsState)minimizer.SaveState() with { Newest = 0, Count = 1, Scaling = 0.5 };
        var bad = defect switch
        {
            "steps null" => good with { Steps = null! },
            "changes null" => good with { GradientChanges = null! },
            "steps short" => good with { Steps = new double[5] },
            "changes short" => good with { GradientChanges = new double[5] },
            "newest −1" => good with { Newest = -1 },
            "newest = Memory" => good with { Newest = Memory },
            "count −1" => good with { Count = -1 },
            "count = Memory + 1" => good with { Count = Memory + 1 },
            "scaling 0" => good with { Scaling = 0 },
            "scaling −1" => good with { Scaling = -1 },
            "scaling ∞" => good with { Scaling = double.PositiveInfinity },
            "scaling NaN" => good with { Scaling = double.NaN },
            _ => throw new ArgumentException(defect, nameof(defect)),
        };
        var e = Assert.Throws<ArgumentException>(() => minimizer.Restore(bad));
        Assert.Equal("state", e.ParamName);
        Assert.Contains(message, e.Message);
        Assert.Equal(0, minimizer.PairCount);
    }

    public static TheoryData<string, string> SpgDefects() => new()
    {
        { "window null", "window must hold 4 values" },
        { "window short", "window must hold 4 values" },
        { "newest −1", "ring position -1/1 does not fit NonmonotoneWindow = 4" },
        { "newest = Window", "ring position 4/1 does not fit NonmonotoneWindow = 4" },
        { "count 0", "ring position 0/0 does not fit NonmonotoneWindow = 4" },
        { "count = Window + 1", "ring position 0/5 does not fit NonmonotoneWindow = 4" },
        { "step 0", "spectral step 0 must be finite and > 0" },
        { "step −1", "spectral step -1 must be finite and > 0" },
        { "step ∞", "must be finite and > 0" },
        { "step NaN", "must be finite and > 0" },
    };

    [Theory]
    [MemberData(nameof(SpgDefects))]
    public void SpgRestoreRefusesADefectInItsWindowOrStep(string defect, string message)
    {
        var minimizer = (SpectralProjectedGradient)Started("SPG");
        double step = minimizer.SpectralStep;
        var good = (SpectralProjectedGradientState)minimizer.SaveState() with { Newest = 0, Count = 1, SpectralStep = 0.5 };
        var bad = defect switch
        {
            "window null" => good with { RecentValues = null! },
            "window short" => good with { RecentValues = new double[Window - 1] },
            "newest −1" => good with { Newest = -1 },
            "newest = Window" => good with { Newest = Window },
            "count 0" => good with { Count = 0 },
            "count = Window + 1" => good with { Count = Window + 1 },
            "step 0" => good with { SpectralStep = 0 },
            "step −1" => good with { SpectralStep = -1 },
            "step ∞" => good with { SpectralStep = double.PositiveInfinity },
            "step NaN" => good with { SpectralStep = double.NaN },
            _ => throw new ArgumentException(defect, nameof(defect)),
        };
        var e = Assert.Throws<ArgumentException>(() => minimizer.Restore(bad));
        Assert.Equal("state", e.ParamName);
        Assert.Contains(message, e.Message);
        Assert.Equal(step, minimizer.SpectralStep);
    }

    /// The edges of the allowed ranges: zero counts (a state taken before any evaluation), positive counts of every
    /// kind, the last ring slot with a full ring, an empty L-BFGS memory, a single SPG value, and the smallest
    /// positive step — each restored as given.
    [Fact]
    public void RestoreAcceptsStatesAtTheEdgesOfTheAllowedRanges()
    {
        var lbfgs = (ProjectedLbfgs)Started("L-BFGS");
        var saved = (ProjectedLbfgsState)lbfgs.SaveState();
        foreach (var counts in new MinimizerCounts[] { new(0, 0, 0, 0, 0, 0), new(1, 2, 3, 4, 5, 6) })
        {
            lbfgs.Restore(saved with { Counts = counts });
            Assert.Equal(counts, lbfgs.Counts);
        }
        foreach (var (newest, count) in new[] { (Memory - 1, Memory), (0, 0) })
        {
            lbfgs.Restore(saved with { Newest = newest, Count = count, Scaling = double.Epsilon });
            var back = (ProjectedLbfgsState)lbfgs.SaveState();
            Assert.Equal((newest, count, double.Epsilon), (back.Newest, back.Count, back.Scaling));
            Assert.Equal(count, lbfgs.PairCount);
        }

        var spg = (SpectralProjectedGradient)Started("SPG");
        var spgSaved = (SpectralProjectedGradientState)spg.SaveState();
        foreach (var (newest, count) in new[] { (Window - 1, Window), (0, 1) })
        {
            spg.Restore(spgSaved with { Newest = newest, Count = count, SpectralStep = double.Epsilon });
            var back = (SpectralProjectedGradientState)spg.SaveState();
            Assert.Equal((newest, count, double.Epsilon), (back.Newest, back.Count, back.SpectralStep));
        }
    }

    /// The projected-gradient norm is recomputed from the restored point and gradient, by hand: x = (1, −1),
    /// g = (−2, −6) on [−1, 1] × [−1, 2] → P(x − g) = (1, 2) → ‖x − P(x − g)‖∞ = 3; a diverged state has none (NaN).
    [Theory]
    [InlineData("L-BFGS")]
    [InlineData("SPG")]
    public void RestoredProjectedGradientNormIsRecomputedUnlessTheStateDiverged(string method)
    {
        var minimizer = Started(method);
        var state = minimizer.SaveState() with { Point = [1.0, -1.0], Gradient = [-2.0, -6.0], Value = 7 };
        minimizer.Restore(state);
        Assert.Equal(3.0, minimizer.ProjectedGradientNorm);
        Assert.Equal(StopReason.None, minimizer.Status);
        minimizer.Restore(state with { Status = StopReason.Diverged });
        Assert.True(double.IsNaN(minimizer.ProjectedGradientNorm));
        Assert.Equal(StopReason.Diverged, minimizer.Status);
        minimizer.Restore(state with { Status = StopReason.Converged, Criterion = ConvergenceCriterion.FunctionDecrease });
        Assert.Equal(3.0, minimizer.ProjectedGradientNorm);
        Assert.Equal(ConvergenceCriterion.FunctionDecrease, minimizer.Result.Criterion);
        // A criterion is reported only with a converged status.
        minimizer.Restore(state with { Status = StopReason.MaxIterations, Criterion = ConvergenceCriterion.FunctionDecrease });
        Assert.Equal(ConvergenceCriterion.None, minimizer.Result.Criterion);
    }

    private static BoxMinimizer Started(string method)
    {
        var options = new BoxMinimizerOptions { Memory = Memory, NonmonotoneWindow = Window };
        var minimizer = Minimizers.Create(method, new WeightedSquares([1.0, 4.0], [3.0, 0.5]), Bounds, options);
        minimizer.Init([0.5, 0.25]);
        return minimizer;
    }
}
