using Pbgd.Data;
using Pbgd.Validation;

namespace Pbgd.Tests.Data;

public class CorruptionTests
{
    [Fact]
    public void RateAndCleanMaskOnTenThousandSamples()
    {
        var data = SplitTests.Tagged(10_000);
        var corrupted = LabelCorruption.Corrupt(data, 0.5, new SplitMix64(11));
        Assert.Equal(data.Labels, corrupted.TrueLabels);
        Assert.NotSame(data.Labels, corrupted.Labels);
        Assert.Same(data.Features, corrupted.Features);
        var clean = corrupted.CleanMask!;
        for (int i = 0; i < clean.Length; i++) Assert.Equal(corrupted.Labels[i] == data.Labels[i], clean[i]);
        // Exactly 5 000 labels are redrawn; a redraw keeps the truth with probability 1/10, so the number of wrong
        // labels is Binomial(5 000, 0.9): mean 4 500, sd 21.2. Accept ±5 sd.
        int wrong = clean.Count(c => !c);
        Assert.InRange(wrong, 4500 - 106, 4500 + 106);
        Assert.True(corrupted.Labels.All(l => l is >= 0 and < 10));
    }

    [Fact]
    public void RedrawnSamplesAreThoseOfTheSeededPermutation()
    {
        var data = SplitTests.Tagged(1000);
        var corrupted = LabelCorruption.Corrupt(data, 0.3, new SplitMix64(5));
        ulong state = 5;
        var victims = ReferencePermutation.Permutation(ref state, 1000);
        var expected = (int[])data.Labels.Clone();
        for (int k = 0; k < 300; k++) expected[victims[k]] = ReferencePermutation.Below(ref state, 10);
        Assert.Equal(expected, corrupted.Labels);
    }

    [Fact]
    public void ZeroAndFullRates()
    {
        var data = SplitTests.Tagged(200);
        var none = LabelCorruption.Corrupt(data, 0, new SplitMix64(1));
        Assert.Equal(data.Labels, none.Labels);
        Assert.All(none.CleanMask!, Assert.True);
        var all = LabelCorruption.Corrupt(data, 1, new SplitMix64(1));
        // Every label redrawn: about 10 % hit the truth by chance (Binomial(200, 0.1): mean 20, sd 4.2).
        Assert.InRange(all.CleanMask!.Count(c => c), 20 - 17, 20 + 17);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void RateOutsideUnitIntervalIsRejected(double rate) =>
        Assert.Equal("rate", Assert.Throws<InvalidValueException>(() => LabelCorruption.Corrupt(SplitTests.Tagged(10), rate, new SplitMix64(1))).ParamName);

    [Fact]
    public void CorruptingTwiceKeepsTheOriginalTruth()
    {
        var data = SplitTests.Tagged(100);
        var twice = LabelCorruption.Corrupt(LabelCorruption.Corrupt(data, 0.5, new SplitMix64(1)), 0.5, new SplitMix64(2));
        Assert.Equal(data.Labels, twice.TrueLabels);
    }

    [Fact]
    public void ResumedGeneratorReproducesTheCorruption()
    {
        var random = new SplitMix64(8);
        random.Permutation(50); // e.g. a split drawn first
        ulong saved = random.State;
        var a = LabelCorruption.Corrupt(SplitTests.Tagged(300), 0.4, random);
        var b = LabelCorruption.Corrupt(SplitTests.Tagged(300), 0.4, new SplitMix64(0) { State = saved });
        Assert.Equal(a.Labels, b.Labels);
    }
}
