using Pbgd.Certificates;
using Pbgd.Linalg;
using Pbgd.Native;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The seeded representation-learning generator: reproducibility, the ranks the certificate relies on (by SVD),
/// the measurable-setting checks and the distribution of its draws.
public class RepresentationLearningGeneratorTests
{
    [Fact]
    public void SameSeedSameBitsOtherSeedOtherData()
    {
        var a = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 42);
        var b = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 42);
        var c = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 43);
        Matrix[] Parts(RepresentationLearningInstance d) => [d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.W1, d.W2];
        foreach (var (x, y) in Parts(a).Zip(Parts(b))) Assert.Equal(x.Data, y.Data);
        foreach (var (x, y) in Parts(a).Zip(Parts(c))) Assert.NotEqual(x.Data, y.Data);
        Assert.Equal((3, 6, 2, 5, 6, 8, 8, 2), (a.XTrain.Rows, a.XTrain.Columns, a.YTrain.Columns, a.XValidation.Rows, a.W1.Rows, a.W1.Columns, a.Hidden, a.W2.Columns));
    }

    [Theory]
    [InlineData(3, 5, 6, 8, 2)]
    [InlineData(4, 7, 9, 12, 3)]
    [InlineData(5, 3, 7, 7, 1)]
    public void RanksTheCertificateNeedsHoldForTwentySeeds(int n, int nv, int m, int h, int k)
    {
        // X_trn rank N, X_val rank N', [X_val; X_trn] rank m, W1 rank m, X_trn W1 rank N (SVD, threshold 1e−12·σ_max).
        for (int seed = 0; seed < 20; seed++)
        {
            var d = RepresentationLearningGenerator.Create(n, nv, m, h, k, seed);
            Assert.Equal(n, Rank(d.XTrain.Data, n, m));
            Assert.Equal(nv, Rank(d.XValidation.Data, nv, m));
            Assert.Equal(m, Rank([.. d.XValidation.Data, .. d.XTrain.Data], nv + n, m));
            Assert.Equal(m, Rank(d.W1.Data, m, h));
            Assert.Equal(n, Rank(NaiveDense.Multiply(d.XTrain, d.W1.Data, h), n, h));
        }
    }

    [Fact]
    public void WithoutNoiseTheTeacherFitsBothSetsSoTheCertificateIsZero()
    {
        // noise = 0: Y = X T for one T, so X_trn T = Y_trn and f*_gen = 0 (≤ 1e−20·‖Y_val‖²); with the default noise
        // f*_gen is clearly positive.
        var clean = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 8, noise: 0);
        double f = RepresentationLearningCertificate.GenericOptimumByGglse(clean.XTrain, clean.YTrain, clean.XValidation, clean.YValidation).Value;
        Assert.InRange(f, 0, 1e-20 * Math.Pow(clean.YValidation.FrobeniusNorm(), 2));
        var noisy = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 8);
        Assert.True(RepresentationLearningCertificate.GenericOptimumByGglse(noisy.XTrain, noisy.YTrain, noisy.XValidation, noisy.YValidation).Value > 1e-3);
    }

    [Fact]
    public void DrawsHaveTheStatedMoments()
    {
        // 300×400 + 300×400 standard normals (240 000 draws): mean within 0.01 and variance within 0.02 of 0 and 1
        // (≈ 4.9 and 3.5 standard errors); the 160 000 entries of W1 have variance 1/h within 3 %.
        var d = RepresentationLearningGenerator.Create(300, 300, 400, 400, 2, seed: 1);
        var x = d.XTrain.Data.Concat(d.XValidation.Data).ToArray();
        double mean = x.Average(), variance = x.Select(t => (t - mean) * (t - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        double w1Variance = d.W1.Data.Select(t => t * t).Average() * d.Hidden;
        Assert.InRange(w1Variance, 0.97, 1.03);
    }

    [Theory]
    [InlineData(0, 5, 6, 8, 2, 0.5, "train")]
    [InlineData(3, 0, 6, 8, 2, 0.5, "validation")]
    [InlineData(3, 5, 6, 8, 0, 0.5, "outputs")]
    [InlineData(7, 5, 6, 8, 2, 0.5, "features")]  // N > m
    [InlineData(3, 7, 6, 8, 2, 0.5, "features")]  // N' > m
    [InlineData(3, 3, 6, 8, 2, 0.5, "features")]  // m = N + N': f*_gen = 0, nothing to measure
    [InlineData(3, 5, 6, 5, 2, 0.5, "hidden")]    // h < m
    [InlineData(3, 5, 6, 8, 9, 0.5, "hidden")]    // h < n
    [InlineData(3, 5, 6, 8, 2, -1.0, "noise")]
    [InlineData(3, 5, 6, 8, 2, double.NaN, "noise")]
    public void OutsideTheMeasurableSettingItRefusesNamingTheParameter(int n, int nv, int m, int h, int k, double noise, string parameter)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => RepresentationLearningGenerator.Create(n, nv, m, h, k, seed: 1, noise));
        Assert.Equal(parameter, e.ParamName);
    }

    private static int Rank(double[] a, int rows, int columns) =>
        Lapack.Gelsd(rows, columns, 1, (double[])a.Clone(), columns, new double[Math.Max(rows, columns)], 1, new double[Math.Min(rows, columns)], 1e-12);
}
