using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// daxpy, ddot, dnrm2 and dscal against the reference on seeded vectors of lengths 0, 1, 2, odd, SIMD-sized and
/// long. Each operand is a slice of a larger array whose neighbouring slots hold NaN sentinels, so reading or
/// writing outside the slice fails the test. u = 2⁻⁵³.
public class Level1Tests
{
    public static TheoryData<int> Seeds() => [1, 2, 3];

    private static IEnumerable<int> Lengths(Random random) =>
        new[] { 0, 1, 2, 3, 7, 8, 31, 1000 }.Concat(Enumerable.Range(0, 4).Select(_ => random.Next(0, 300)));

    /// A length-n slice, at offset 1 of an array bracketed by sentinels.
    private static (double[] Buffer, ArraySegment<double> Slice) Bracketed(Random random, int n)
    {
        var buffer = new double[n + 2];
        buffer[0] = buffer[n + 1] = Strided.Sentinel;
        for (int i = 1; i <= n; i++) buffer[i] = 2 * random.NextDouble() - 1;
        return (buffer, new ArraySegment<double>(buffer, 1, n));
    }

    private static void AssertBracketsIntact(double[] buffer, string what)
    {
        long sentinel = BitConverter.DoubleToInt64Bits(Strided.Sentinel);
        Assert.True(BitConverter.DoubleToInt64Bits(buffer[0]) == sentinel && BitConverter.DoubleToInt64Bits(buffer[^1]) == sentinel,
            $"{what}: a neighbouring slot was written");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DotIsWithinTheInnerProductBound(int seed)
    {
        var random = new Random(seed);
        foreach (int n in Lengths(random))
        {
            var (_, x) = Bracketed(random, n);
            var (_, y) = Bracketed(random, n);
            double expected = ManagedBlas.Dot(x, y);
            double absolute = ManagedBlas.Dot(ManagedBlas.Abs(x), ManagedBlas.Abs(y));
            // |xᵀy − ref| ≤ 10·max(1, n)·u·|x|ᵀ|y| (both sums within n·u·|x|ᵀ|y| of the exact value).
            double limit = 10 * Math.Max(1, n) * ManagedBlas.Unit * absolute;
            Assert.InRange(Math.Abs(Blas.Dot(x, y) - expected), 0, limit);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Nrm2IsWithinRelativeBound(int seed)
    {
        var random = new Random(seed);
        foreach (int n in Lengths(random))
        {
            var (_, x) = Bracketed(random, n);
            double expected = ManagedBlas.Nrm2(x);
            // Relative: |‖x‖ − ref| ≤ 10·max(1, n)·u·ref (ref = 0 only for n = 0, where 0 is exact).
            Assert.InRange(Math.Abs(Blas.Nrm2(x) - expected), 0, 10 * Math.Max(1, n) * ManagedBlas.Unit * expected);
        }
    }

    [Theory]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    [InlineData(1.0)]
    public void Nrm2NeitherOverflowsNorUnderflows(double scale)
    {
        // The naive √(Σx²) gives ∞ for 1e200 and 0 for 1e-200; dnrm2 and the scaled reference give
        // scale·‖(3, 4, 12)‖ = 13·scale, to within 10·3·u relative.
        double[] x = [3 * scale, -4 * scale, 12 * scale];
        Assert.Equal(13 * scale, ManagedBlas.Nrm2(x), 30 * ManagedBlas.Unit * 13 * scale);
        Assert.InRange(Math.Abs(Blas.Nrm2(x) - 13 * scale), 0, 30 * ManagedBlas.Unit * 13 * scale);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AxpyUpdatesOnlyItsSliceWithinTwoRoundings(int seed)
    {
        var random = new Random(seed);
        foreach (int n in Lengths(random))
        {
            double alpha = 4 * random.NextDouble() - 2;
            var (_, x) = Bracketed(random, n);
            var (buffer, y) = Bracketed(random, n);
            var y0 = y.ToArray();
            var expected = y.ToArray();
            ManagedBlas.Axpy(alpha, x, expected);
            Blas.Axpy(alpha, x, y);
            // Each of MKL and the reference rounds α·xᵢ and the sum (or one fused step): within 2u·(|yᵢ| + |α·xᵢ|)
            // of the exact value each, so within 4u·(|yᵢ| + |α·xᵢ|) of one another.
            for (int i = 0; i < n; i++)
                Assert.InRange(Math.Abs(y[i] - expected[i]), 0, 4 * ManagedBlas.Unit * (Math.Abs(y0[i]) + Math.Abs(alpha * x[i])));
            AssertBracketsIntact(buffer, $"axpy n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ScalIsOneCorrectlyRoundedProductPerElement(int seed)
    {
        var random = new Random(seed);
        foreach (int n in Lengths(random))
            foreach (double alpha in new[] { 0.0, -1.0, 4 * random.NextDouble() - 2 })
            {
                var (buffer, x) = Bracketed(random, n);
                var expected = x.ToArray();
                ManagedBlas.Scal(alpha, expected);
                Blas.Scal(alpha, x);
                // α·xᵢ is a single IEEE multiplication: exactly the reference's value (tolerance 0).
                Assert.Equal(expected, x.ToArray());
                AssertBracketsIntact(buffer, $"scal n={n} α={alpha}");
            }
    }
}
