using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// MKL dgemm against the plain-loop reference on seeded shapes (1×1, thin, wide, every zero-sized dimension,
/// blocked sizes), both layouts, all four transpose pairs, padded leading dimensions with NaN sentinels,
/// within the normwise bound of <see cref="Normwise"/>.
public class GemmTests
{
    public static TheoryData<MatrixLayout, Transpose, Transpose, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, Transpose, Transpose, int>();
        foreach (var layout in new[] { MatrixLayout.RowMajor, MatrixLayout.ColumnMajor })
            foreach (var ta in new[] { Transpose.NoTrans, Transpose.Trans })
                foreach (var tb in new[] { Transpose.NoTrans, Transpose.Trans })
                    foreach (int seed in new[] { 1, 2 })
                        data.Add(layout, ta, tb, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceWithinNormwiseBound(MatrixLayout layout, Transpose ta, Transpose tb, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)ta, (int)tb));
        foreach (var (m, n, k) in Shapes.Products(seed))
            foreach (double beta in new[] { 0.0, 1.0, 4 * random.NextDouble() - 2 })
            {
                double alpha = 4 * random.NextDouble() - 2;
                var a = ta == Transpose.NoTrans ? Strided.Random(random, layout, m, k, Shapes.Pad(random)) : Strided.Random(random, layout, k, m, Shapes.Pad(random));
                var b = tb == Transpose.NoTrans ? Strided.Random(random, layout, k, n, Shapes.Pad(random)) : Strided.Random(random, layout, n, k, Shapes.Pad(random));
                // β = 0: BLAS does not read C, so C's elements are NaN sentinels too and must all be overwritten.
                var c = beta == 0 ? Strided.Unset(layout, m, n, Shapes.Pad(random)) : Strided.Random(random, layout, m, n, Shapes.Pad(random));

                var expected = c.Clone();
                ManagedBlas.Gemm(layout, ta, tb, m, n, k, alpha, a.Data, a.Ld, b.Data, b.Ld, beta, expected.Data, expected.Ld);
                var bound = c.Abs(); // |α|·|op(A)|·|op(B)| + |β|·|C₀|, computed by the reference on absolute values
                ManagedBlas.Gemm(layout, ta, tb, m, n, k, Math.Abs(alpha), a.Abs().Data, a.Ld, b.Abs().Data, b.Ld, Math.Abs(beta), bound.Data, bound.Ld);

                Blas.Gemm(layout, ta, tb, m, n, k, alpha, a.Data, a.Ld, b.Data, b.Ld, beta, c.Data, c.Ld);

                string what = $"gemm {layout} {ta}/{tb} m={m} n={n} k={k} β={beta:G3}";
                Normwise.AssertWithin(c, expected, bound, k, what);
                Assert.True(c.PaddingIntact(), $"{what}: padding of C was written");
            }
    }

    [Fact]
    public void RowMajorOverloadIsTheRowMajorProduct()
    {
        // The layout-less overload is documented as row-major: it must match the reference read row-major
        // (normwise bound, k = 6) and give the same bits as the explicit RowMajor call on the same data.
        var random = new Random(7);
        var a = Strided.Random(random, MatrixLayout.RowMajor, 9, 6, 2);
        var b = Strided.Random(random, MatrixLayout.RowMajor, 5, 6, 1);
        var c = Strided.Random(random, MatrixLayout.RowMajor, 9, 5, 3);
        var explicitLayout = c.Clone();
        var expected = c.Clone();
        ManagedBlas.Gemm(MatrixLayout.RowMajor, Transpose.NoTrans, Transpose.Trans, 9, 5, 6, 0.5, a.Data, a.Ld, b.Data, b.Ld, 2, expected.Data, expected.Ld);
        var bound = c.Abs();
        ManagedBlas.Gemm(MatrixLayout.RowMajor, Transpose.NoTrans, Transpose.Trans, 9, 5, 6, 0.5, a.Abs().Data, a.Ld, b.Abs().Data, b.Ld, 2, bound.Data, bound.Ld);

        Blas.Gemm(Transpose.NoTrans, Transpose.Trans, 9, 5, 6, 0.5, a.Data, a.Ld, b.Data, b.Ld, 2, c.Data, c.Ld);
        Blas.Gemm(MatrixLayout.RowMajor, Transpose.NoTrans, Transpose.Trans, 9, 5, 6, 0.5, a.Data, a.Ld, b.Data, b.Ld, 2, explicitLayout.Data, explicitLayout.Ld);

        Normwise.AssertWithin(c, expected, bound, 6, "row-major overload");
        Assert.Equal(explicitLayout.Data.Select(BitConverter.DoubleToInt64Bits), c.Data.Select(BitConverter.DoubleToInt64Bits));
    }
}
