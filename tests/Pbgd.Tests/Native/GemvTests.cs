using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// MKL dgemv against the plain-loop reference: both layouts, both transposes, seeded shapes with zero-sized
/// dimensions, padded A, and vectors followed by NaN sentinels that must be neither read nor written.
/// Tolerance: the normwise bound of <see cref="Normwise"/> with k = the inner length.
public class GemvTests
{
    public static TheoryData<MatrixLayout, Transpose, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, Transpose, int>();
        foreach (var layout in new[] { MatrixLayout.RowMajor, MatrixLayout.ColumnMajor })
            foreach (var t in new[] { Transpose.NoTrans, Transpose.Trans })
                foreach (int seed in new[] { 1, 2 })
                    data.Add(layout, t, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceWithinNormwiseBound(MatrixLayout layout, Transpose trans, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)trans));
        foreach (var (m, n, _) in Shapes.Products(seed))
            foreach (double beta in new[] { 0.0, 1.0, 4 * random.NextDouble() - 2 })
            {
                double alpha = 4 * random.NextDouble() - 2;
                int inner = trans == Transpose.NoTrans ? n : m, outer = trans == Transpose.NoTrans ? m : n;
                var a = Strided.Random(random, layout, m, n, Shapes.Pad(random));
                var x = Strided.Vector(random, inner, 2);
                var y = Strided.Vector(random, outer, 2);
                if (beta == 0) Array.Fill(y, Strided.Sentinel); // β = 0: y is not read, every element must be set

                var expected = (double[])y.Clone();
                ManagedBlas.Gemv(layout, trans, m, n, alpha, a.Data, a.Ld, x, beta, expected);
                var bound = ManagedBlas.Abs(y);
                ManagedBlas.Gemv(layout, trans, m, n, Math.Abs(alpha), a.Abs().Data, a.Ld, ManagedBlas.Abs(x), Math.Abs(beta), bound);

                Blas.Gemv(layout, trans, m, n, alpha, a.Data, a.Ld, x, beta, y);

                string what = $"gemv {layout} {trans} m={m} n={n} β={beta:G3}";
                double err = 0, norm = 0;
                for (int i = 0; i < outer; i++)
                {
                    err += Math.Pow(y[i] - expected[i], 2);
                    norm += bound[i] * bound[i];
                }
                double limit = Normwise.Limit(inner, Math.Sqrt(norm));
                Assert.True(Math.Sqrt(err) <= limit, $"{what}: ‖y − y_ref‖ = {Math.Sqrt(err):E3} > {limit:E3}");
                Assert.True(Strided.TailIntact(y, outer), $"{what}: y was written past its length");
                Assert.True(a.PaddingIntact() && Strided.TailIntact(x, inner), $"{what}: an input was written");
            }
    }
}
