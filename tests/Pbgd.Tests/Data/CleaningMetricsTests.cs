using Pbgd.Experiments;

namespace Pbgd.Tests.Data;

/// The cleaning metrics of docs/algorithms.md §4 (the helper lives in Pbgd.Experiments) against hand counts, on cases
/// where precision and recall differ so that swapped definitions would show.
public class CleaningMetricsTests
{
    [Fact]
    public void PrecisionRecallF1ByHand()
    {
        // Predicted clean (u ≥ 0, so u = 0 counts): 0, 1, 3, 5. Clean: 0, 2, 3. TP = {0, 3}, FP = {1, 5}, FN = {2}.
        var m = CleaningMetrics.Compute([1, 2, -1, 0, -0.5, 3], [true, false, true, true, false, false]);
        Assert.Equal(0.5, m.Precision, 15);
        Assert.Equal(2.0 / 3, m.Recall, 15);
        Assert.Equal(4.0 / 7, m.F1, 14); // 2·(1/2)(2/3) / (1/2 + 2/3)
    }

    [Fact]
    public void NothingPredictedCleanScoresZero()
    {
        var m = CleaningMetrics.Compute([-1, -2], [true, false]);
        Assert.Equal(new CleaningMetrics(0, 0, 0), m);
        Assert.Throws<ArgumentException>(() => CleaningMetrics.Compute([1], [true, false]));
    }

    [Fact]
    public void AccuracyOfArgmax()
    {
        // Rows: argmax 2 (label 2 ✓), argmax 0 (label 1 ✗), tie 0/1 → first index 0 (label 0 ✓).
        Assert.Equal(2.0 / 3, CleaningMetrics.Accuracy([0.1, 0.2, 0.7, 0.9, 0.05, 0.05, 0.4, 0.4, 0.2], [2, 1, 0]), 15);
    }
}
