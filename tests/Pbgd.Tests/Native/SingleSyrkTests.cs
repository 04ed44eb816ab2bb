using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// MKL ssyrk (single precision, row-major) against a double-precision reference on the upper triangle, within the
/// normwise bound with single precision's unit roundoff 2⁻²⁴; the lower triangle keeps its exact bits; sizes checked.
public class SingleSyrkTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 33)]
    [InlineData(40, 300)]
    [InlineData(5, 0)]
    public void UpperTriangleOfATransposeAWithinSinglePrecisionBound(int n, int k)
    {
        var random = new Random(n * 100 + k);
        var a = Enumerable.Range(0, k * n).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var c = Enumerable.Repeat(float.NaN, n * n).ToArray();
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) c[i * n + j] = 7f;
        Blas.Syrk(Triangle.Upper, Transpose.Trans, n, k, 1f, a, n, 0f, c, n);
        double err = 0, norm = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (j < i) { Assert.Equal(7f, c[i * n + j]); continue; }
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++) { s += (double)a[p * n + i] * a[p * n + j]; abs += Math.Abs((double)a[p * n + i] * a[p * n + j]); }
                err += (c[i * n + j] - s) * (c[i * n + j] - s);
                norm += abs * abs;
            }
        Assert.True(Math.Sqrt(err) <= 10 * Math.Max(1, k) * Math.Pow(2, -24) * Math.Sqrt(norm), $"error {Math.Sqrt(err):E3}");
    }

    [Fact]
    public void SizesAreCheckedBeforeTheCall()
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Blas.Syrk(Triangle.Upper, Transpose.Trans, 3, 4, 1f, new float[11], 3, 0f, new float[9], 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Blas.Syrk(Triangle.Upper, Transpose.Trans, 3, 4, 1f, new float[12], 3, 0f, new float[8], 3)).ParamName);
    }
}
