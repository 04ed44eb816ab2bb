using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Linalg;
using Pbgd.Validation;

namespace Pbgd.Tests.Data;

public class PreparationTests
{
    private static LabeledData Source(int n, int m, int classes, int seed)
    {
        var r = new Random(seed);
        var x = new Matrix(n, m);
        for (int i = 0; i < x.Span.Length; i++) x.Span[i] = r.Next(256);
        return new LabeledData(x, Enumerable.Range(0, n).Select(_ => r.Next(classes)).ToArray(), classes, "mem");
    }

    [Fact]
    public void SplitIsDisjointSeededAndCorruptionMatchesItsRate()
    {
        var source = Source(20_000, 3, 10, 1);
        // Tag each row with its index so the split can be traced.
        for (int i = 0; i < source.Features.Rows; i++) source.Features[i, 0] = i;
        var config = HyperCleaningConfig.Default with { Train = 10_000, Validation = 4_000, Test = 5_000, Corruption = 0.4, Scaling = FeatureScaling.None, BiasFeature = false, Seed = 9 };
        var a = DatasetPreparation.Prepare(source, null, null, config.Preparation);
        var b = DatasetPreparation.Prepare(source, null, null, config.Preparation);
        Assert.Equal(a.TrainLabels, b.TrainLabels);
        var ids = new[] { a.XTrain, a.XValidation, a.XTest }.SelectMany(x => Enumerable.Range(0, x.Rows).Select(i => (int)x[i, 0])).ToList();
        Assert.Equal(19_000, ids.Distinct().Count());
        // Exactly 4 000 labels redrawn; each redraw keeps the true label with probability 1/10, so the number of
        // wrong labels is Binomial(4000, 0.9): mean 3600, sd 19 — accept ±6 sd.
        var clean = a.CleanMask!;
        int wrong = clean.Count(c => !c);
        Assert.InRange(wrong, 3600 - 114, 3600 + 114);
        for (int i = 0; i < a.TrainLabels.Length; i++)
            Assert.Equal(clean[i], a.TrainLabels[i] == source.Labels[(int)a.XTrain[i, 0]]);
        Assert.Equal(1.0, a.YTrain[0, a.TrainLabels[0]]);
    }

    [Fact]
    public void StandardisationUsesTrainingStatistics()
    {
        var source = Source(600, 4, 3, 2);
        for (int i = 0; i < 600; i++) source.Features[i, 3] = 5; // constant column: left at 0
        var d = DatasetPreparation.Prepare(source, null, null, (HyperCleaningConfig.Default with
        {
            Train = 300, Validation = 100, Test = 100, Scaling = FeatureScaling.Standardize, BiasFeature = false,
        }).Preparation);
        for (int j = 0; j < 4; j++)
        {
            double mean = Enumerable.Range(0, 300).Average(i => d.XTrain[i, j]);
            double var = Enumerable.Range(0, 300).Average(i => Math.Pow(d.XTrain[i, j] - mean, 2));
            Assert.InRange(Math.Abs(mean), 0, 1e-12);
            Assert.InRange(Math.Abs(var - (j == 3 ? 0 : 1)), 0, 1e-12);
        }
    }

    [Fact]
    public void ImpossibleSplitsNameTheProblem()
    {
        var source = Source(100, 2, 3, 3);
        var e = Assert.Throws<InvalidValueException>(() => DatasetPreparation.Prepare(source, null, null,
            (HyperCleaningConfig.Default with { Train = 80, Validation = 30, Test = 0 }).Preparation));
        Assert.Equal("80 training + 30 validation + 0 test = 110 samples were asked for, but mem has 100.", e.Message);
        Assert.Equal(nameof(PreparationSpec.Train), e.ParamName);
        Assert.Equal(nameof(HyperCleaningConfig.Train), Assert.Throws<InvalidValueException>(() => (HyperCleaningConfig.Default with { Train = 0 }).Validate()).ParamName);
    }

    [Fact]
    public void CleaningMetricsMatchHandCount()
    {
        // Predicted clean (u ≥ 0): samples 0, 1, 3. Clean: 0, 2, 3. TP = 2, FP = 1, FN = 1.
        var m = CleaningMetrics.Compute([0.5, 0.0, -1, 2, -3], [true, false, true, true, false]);
        Assert.Equal(2.0 / 3, m.Precision, 15);
        Assert.Equal(2.0 / 3, m.Recall, 15);
        Assert.Equal(2.0 / 3, m.F1, 15);
        Assert.Equal(0.5, CleaningMetrics.Accuracy([0.1, 0.9, 0.8, 0.2], [1, 1]));
    }
}
