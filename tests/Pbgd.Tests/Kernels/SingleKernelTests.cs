using Pbgd.Kernels;

namespace Pbgd.Tests.Kernels;

/// The float32 pass (X stored in single precision, products in float, sums over rows carried in double) against the
/// double-precision managed reference on the unrounded data, element by element within the rigorous bounds of its
/// arithmetic (u_s = 2⁻²⁴): forward |Z − Z_ref| ≤ (m + 3)·u_s·|X||B| (rounding X and B, then m float FMAs);
/// backward |G − G_ref| ≤ (F + 3)·u_s·|X|ᵀ|R| with F = <see cref="FusedRowPass.SingleFlushRows"/>, the most rows summed
/// in float before the double partial takes over. A dropped or repeated block of rows fails by far.
public class SingleKernelTests
{
    private const double UnitSingle = 1.0 / (1 << 24);

    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (rows, m) in new[] { (1, 1), (5, 15), (37, 17), (301, 16), (1029, 785), (2100, 33) })
            foreach (int k in new[] { 1, 3, 10, 20 })
                data.Add(rows, m, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMeetsTheSinglePrecisionBound(int rows, int m, int k)
    {
        var (x, xSingle) = Data(new Random(rows * 31 + m * 7 + k), rows * m);
        var bT = Data(new Random(k + 5), k * m).Double;
        var z = Enumerable.Repeat(double.NaN, rows * k).ToArray();
        FusedRowPass.Run(xSingle, rows, m, bT, k, z, null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty);

        for (int i = 0; i < rows; i++)
            for (int c = 0; c < k; c++)
            {
                double exact = 0, magnitude = 0;
                for (int j = 0; j < m; j++)
                {
                    exact += x[i * m + j] * bT[c * m + j];
                    magnitude += Math.Abs(x[i * m + j] * bT[c * m + j]);
                }
                double limit = (m + 3) * UnitSingle * magnitude;
                Assert.True(Math.Abs(z[i * k + c] - exact) <= limit,
                    $"z[{i},{c}] = {z[i * k + c]:R}, reference {exact:R}, bound {limit:E2}");
            }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardMeetsTheSinglePrecisionBound(int rows, int m, int k)
    {
        var (x, xSingle) = Data(new Random(rows * 17 + m * 3 + k), rows * m);
        var r = Data(new Random(rows + k), rows * k).Double;
        var gT = Enumerable.Repeat(double.NaN, k * m).ToArray();
        var partials = new double[FusedRowPass.PartialsLength(rows, m, k)];
        FusedRowPass.Run(xSingle, rows, m, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null, r, k, gT, partials);

        for (int c = 0; c < k; c++)
            for (int j = 0; j < m; j++)
            {
                double exact = 0, magnitude = 0;
                for (int i = 0; i < rows; i++)
                {
                    exact += r[i * k + c] * x[i * m + j];
                    magnitude += Math.Abs(r[i * k + c] * x[i * m + j]);
                }
                double limit = (FusedRowPass.SingleFlushRows + 3) * UnitSingle * magnitude + rows * 1.2e-16 * magnitude;
                Assert.True(Math.Abs(gT[c * m + j] - exact) <= limit,
                    $"g[{c},{j}] = {gT[c * m + j]:R}, reference {exact:R}, bound {limit:E2}");
            }
    }

    // Data in (−1, 1) and its float rounding.
    private static (double[] Double, float[] Single) Data(Random random, int length)
    {
        var a = new double[length];
        for (int i = 0; i < a.Length; i++) a[i] = 2 * random.NextDouble() - 1;
        return (a, a.Select(v => (float)v).ToArray());
    }

    [Fact]
    public void ValidatesLikeTheDoublePass()
    {
        var x = new float[12];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() =>
            FusedRowPass.Run(x, 4, 4, new double[8], 2, new double[8], null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty)).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() =>
            FusedRowPass.Run(x, 3, 4, new double[8], 2, new double[5], null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty)).ParamName);
        Assert.Equal("partials", Assert.Throws<ArgumentException>(() =>
            FusedRowPass.Run(x, 3, 4, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null, new double[6], 2, new double[8], new double[7])).ParamName);
    }
}

/// The float32 pass is independent of the thread count to the bit (fixed parts, flushes at fixed rows), and the
/// portable loop meets the same bound as the AVX-512 path.
[Collection(nameof(KernelSettingsCollection))]
public class SingleKernelSettingsTests
{
    [Fact]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        var random = new Random(9);
        int rows = 3001, m = 785, k = 20;
        var x = Enumerable.Range(0, rows * m).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var r = Enumerable.Range(0, rows * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var bT = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var partials = new double[FusedRowPass.PartialsLength(rows, m, k)];
        SkinnyProductSettingsTests.SameForAnyThreadCount(() =>
        {
            var (z, g) = (new double[rows * k], new double[k * m]);
            FusedRowPass.Run(x, rows, m, bT, k, z, null, r.ToArray(), k, g, partials);
            return (z, g);
        });
    }

    [Fact]
    public void PortableLoopMeetsTheSameBound()
    {
        bool saved = MicroKernels.UseVector512;
        try
        {
            MicroKernels.UseVector512 = false;
            var tests = new SingleKernelTests();
            tests.ForwardMeetsTheSinglePrecisionBound(301, 33, 10);
            tests.BackwardMeetsTheSinglePrecisionBound(301, 33, 10);
        }
        finally
        {
            MicroKernels.UseVector512 = saved;
        }
    }
}

/// The vectorised conversion rounds exactly as the scalar cast does (one IEEE product, one round to nearest), for
/// lengths with and without a tail, on both code paths.
[Collection(nameof(KernelSettingsCollection))]
public class ScaledToSingleTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MatchesTheScalarCastToTheBit(bool vector)
    {
        bool saved = MicroKernels.UseVector512;
        try
        {
            MicroKernels.UseVector512 = vector && saved;
            var random = new Random(3);
            foreach (int length in new[] { 0, 1, 15, 16, 17, 785 })
            {
                var source = Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 40))).ToArray();
                double scale = Math.Sqrt(random.NextDouble());
                var actual = new float[length];
                ScaledToSingle.Run(source, scale, actual);
                Assert.Equal(source.Select(x => (float)(scale * x)).ToArray(), actual);
            }
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => ScaledToSingle.Run(new double[3], 1, new float[2])).ParamName);
        }
        finally
        {
            MicroKernels.UseVector512 = saved;
        }
    }
}
