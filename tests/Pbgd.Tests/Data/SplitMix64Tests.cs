using Pbgd.Data;

namespace Pbgd.Tests.Data;

public class SplitMix64Tests
{
    [Fact]
    public void MatchesThePublishedGenerator()
    {
        // First output for seed 0 of the reference C implementation (Vigna, splitmix64.c).
        Assert.Equal(0xE220A8397B1DCDAFUL, new SplitMix64(0).NextUInt64());
        ulong state = 12345;
        var g = new SplitMix64(12345);
        for (int i = 0; i < 100; i++) Assert.Equal(ReferencePermutation.Next(ref state), g.NextUInt64());
    }

    [Fact]
    public void SavedStateResumesTheSequence()
    {
        var a = new SplitMix64(42);
        for (int i = 0; i < 10; i++) a.NextUInt64();
        var b = new SplitMix64(0) { State = a.State };
        for (int i = 0; i < 10; i++) Assert.Equal(a.Next(1000), b.Next(1000));
    }

    [Fact]
    public void BoundedDrawsAndPermutationsMatchTheReference()
    {
        ulong state = 99;
        var g = new SplitMix64(99);
        foreach (int n in new[] { 1, 2, 3, 10, 1000, int.MaxValue })
            for (int k = 0; k < 50; k++) Assert.Equal(ReferencePermutation.Below(ref state, n), g.Next(n));
        Assert.Equal(ReferencePermutation.Permutation(ref state, 500), g.Permutation(500));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Next(0));
    }

    [Fact]
    public void BoundedDrawsAreUniform()
    {
        // 60 000 draws from 0…9: each count ~ Binomial(60 000, 0.1), sd ≈ 73; chi-square with 9 degrees of freedom
        // stays below 27.9 with probability 0.999.
        var g = new SplitMix64(2024);
        var counts = new int[10];
        for (int k = 0; k < 60_000; k++) counts[g.Next(10)]++;
        double chi2 = counts.Sum(c => (c - 6000.0) * (c - 6000.0) / 6000.0);
        Assert.True(chi2 < 27.9, $"chi² = {chi2:F1}");
    }
}
