using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// MKL dsyrk against the reference C ← α·op(A)·op(A)ᵀ + β·C on the chosen triangle: both layouts, both
/// triangles, both transposes, seeded (n, k) including 0 and 1, padded leading dimensions. The other
/// triangle and the padding must keep their exact bits; the triangle is within the normwise bound.
public class SyrkTests
{
    public static TheoryData<MatrixLayout, Triangle, Transpose, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, Triangle, Transpose, int>();
        foreach (var layout in new[] { MatrixLayout.RowMajor, MatrixLayout.ColumnMajor })
            foreach (var uplo in new[] { Triangle.Upper, Triangle.Lower })
                foreach (var t in new[] { Transpose.NoTrans, Transpose.Trans })
                    foreach (int seed in new[] { 1, 2 })
                        data.Add(layout, uplo, t, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UpdatesOneTriangleWithinNormwiseBound(MatrixLayout layout, Triangle uplo, Transpose trans, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo, (int)trans));
        foreach (var (n, _, k) in Shapes.Products(seed))
            foreach (double beta in new[] { 0.0, 4 * random.NextDouble() - 2 })
            {
                double alpha = 4 * random.NextDouble() - 2;
                var a = trans == Transpose.NoTrans ? Strided.Random(random, layout, n, k, Shapes.Pad(random)) : Strided.Random(random, layout, k, n, Shapes.Pad(random));
                var c = Strided.Random(random, layout, n, n, Shapes.Pad(random));
                bool InTriangle(int i, int j) => uplo == Triangle.Upper ? j >= i : j <= i;
                if (beta == 0) // β = 0: the triangle is not read
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++) if (InTriangle(i, j)) c[i, j] = Strided.Sentinel;
                var before = c.Clone();

                var expected = c.Clone();
                ManagedBlas.Syrk(layout, uplo, trans, n, k, alpha, a.Data, a.Ld, beta, expected.Data, expected.Ld);
                var bound = c.Abs();
                ManagedBlas.Syrk(layout, uplo, trans, n, k, Math.Abs(alpha), a.Abs().Data, a.Ld, Math.Abs(beta), bound.Data, bound.Ld);

                Blas.Syrk(layout, uplo, trans, n, k, alpha, a.Data, a.Ld, beta, c.Data, c.Ld);

                string what = $"syrk {layout} {uplo} {trans} n={n} k={k} β={beta:G3}";
                Normwise.AssertWithin(c, expected, bound, k, what, InTriangle);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        if (!InTriangle(i, j))
                            Assert.True(BitConverter.DoubleToInt64Bits(before[i, j]) == BitConverter.DoubleToInt64Bits(c[i, j]),
                                $"{what}: element ({i}, {j}) outside the {uplo} triangle changed");
                Assert.True(c.PaddingIntact(), $"{what}: padding of C was written");
            }
    }
}
