using Pbgd.Native;
using Pbgd.Tests.Reference;
using static Pbgd.Tests.Reference.ManagedLapack;

namespace Pbgd.Tests.Native;

/// LAPACK dgels (QR/LQ least squares and minimum norm) judged by backward-error residuals computed in managed
/// code, and against the managed QR and minimum-norm references on well-conditioned matrices; both layouts,
/// both transposes, padded leading dimensions.
public class GelsTests
{
    public static TheoryData<MatrixLayout, Transpose, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, Transpose, int>();
        foreach (var layout in LapackData.Layouts)
            foreach (var t in new[] { Transpose.NoTrans, Transpose.Trans })
                foreach (int seed in new[] { 1, 2 })
                    data.Add(layout, t, seed);
        return data;
    }

    /// Shapes (rows, cols) of the system matrix op(A), rows ≥ cols ≥ 1: square, thin, 1×1, then seeded.
    private static IEnumerable<(int Rows, int Cols)> TallShapes(Random random)
    {
        foreach (var s in new[] { (1, 1), (6, 6), (40, 1), (30, 7), (9, 8), (64, 33) }) yield return s;
        for (int t = 0; t < 4; t++)
        {
            int cols = random.Next(1, 20);
            yield return (cols + random.Next(0, 20), cols);
        }
    }

    /// Stores op(A) = m as A in the given layout: A = m for NoTrans, A = mᵀ for Trans.
    private static Strided Store(double[,] op, Transpose t, MatrixLayout layout, int pad) =>
        Strided.FromDense(t == Transpose.NoTrans ? op : Transposed(op), layout, pad);

    [Theory]
    [MemberData(nameof(Cases))]
    public void OverdeterminedSolutionHasSmallNormalEquationResidual(MatrixLayout layout, Transpose trans, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)trans));
        foreach (var (rows, cols) in TallShapes(random))
        {
            int nrhs = random.Next(1, 4);
            var op = ManagedLapack.Random(random, rows, cols);
            var b0 = ManagedLapack.Random(random, rows, nrhs);
            var a = Store(op, trans, layout, Shapes.Pad(random));
            var b = LapackData.RightHandSide(b0, rows, layout, Shapes.Pad(random));

            Lapack.Gels(layout, trans, a.Rows, a.Cols, nrhs, a.Data, a.Ld, b.Data, b.Ld);

            var x = b.ToDense(cols, nrhs);
            var residual = Subtract(Multiply(op, x), b0);
            double normal = LapackData.Norm(Multiply(Transposed(op), residual));
            double scale = LapackData.Norm(op) * (LapackData.Norm(op) * LapackData.Norm(x) + LapackData.Norm(b0));
            // Backward-stable QR solves a problem within c·max(m,n)·u of this one, so the normal-equation
            // residual satisfies ‖op(A)ᵀ(op(A)x − b)‖_F ≤ tol·‖A‖_F(‖A‖_F‖x‖_F + ‖b‖_F); tol = 1e-14·max(m, n)
            // (≈ 90·max(m,n)·u; observed ≤ 1·max(m,n)·u).
            Assert.True(normal <= 1e-14 * Math.Max(rows, cols) * scale, $"gels {layout} {trans} {rows}×{cols}: {normal:E3}");
            Assert.True(a.PaddingIntact() && b.PaddingIntact(), $"gels {layout} {trans} {rows}×{cols}: padding written");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WellConditionedSystemsMatchManagedReferences(MatrixLayout layout, Transpose trans, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)trans, 1));
        foreach (var (tall, thin) in TallShapes(random))
            foreach (bool overdetermined in new[] { true, false })
            {
                // op(A) = U·diag(σ)·Vᵀ with σ ∈ [1, 4]: condition number ≤ 4 by construction.
                int rows = overdetermined ? tall : thin, cols = overdetermined ? thin : tall;
                var sigma = Enumerable.Range(0, thin).Select(_ => 1 + 3 * random.NextDouble()).ToArray();
                var op = WithSingularValues(random, rows, cols, sigma).A;
                int nrhs = random.Next(1, 4);
                var b0 = ManagedLapack.Random(random, rows, nrhs);
                var a = Store(op, trans, layout, Shapes.Pad(random));
                var b = LapackData.RightHandSide(b0, Math.Max(rows, cols), layout, Shapes.Pad(random));

                Lapack.Gels(layout, trans, a.Rows, a.Cols, nrhs, a.Data, a.Ld, b.Data, b.Ld);

                var x = b.ToDense(cols, nrhs);
                // Over-determined: the managed Householder least-squares solution; under-determined: the
                // minimum-norm solution Aᵀ(AAᵀ)⁻¹b. Both solvers are backward stable, so each is within about
                // c·max(m,n)·u·κ²·‖b‖/σ_min of the exact solution (the κ² from the least-squares residual);
                // with σ ∈ [1, 4]: ‖x − x_ref‖_F ≤ 1e-13·‖b‖_F (≈ 900·u·‖b‖; observed ≤ 10·u·‖b‖).
                var reference = overdetermined ? ManagedLapack.LeastSquares(op, b0) : MinimumNorm(op, b0);
                double err = LapackData.Norm(Subtract(x, reference));
                Assert.True(err <= 1e-13 * LapackData.Norm(b0),
                    $"gels {layout} {trans} {rows}×{cols}: ‖x − x_ref‖ = {err:E3}, ‖b‖ = {LapackData.Norm(b0):E3}");
            }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExactlyRankDeficientMatrixIsReportedWithTheZeroPivot(MatrixLayout layout, Transpose trans, int seed)
    {
        // dgels factors the stored A by QR when m ≥ n (LQ when m < n). A zero column (row) of A stays exactly
        // zero under the previous reflections, so R (L) gets an exact zero at that position: info = its index.
        var random = new Random(Seed.Of(seed, (int)layout, (int)trans, 2));
        foreach (bool tall in new[] { true, false })
        {
            // Square counts as tall (dgels uses QR for m ≥ n); the wide case needs m < n strictly.
            int small = random.Next(2, 8), large = small + random.Next(tall ? 0 : 1, 8);
            int m = tall ? large : small, n = tall ? small : large;
            var dense = ManagedLapack.Random(random, m, n);
            int zero = random.Next(0, small);
            for (int k = 0; k < large; k++)
                if (tall) dense[k, zero] = 0; else dense[zero, k] = 0;
            var a = Strided.FromDense(dense, layout, Shapes.Pad(random));
            var b = Strided.Random(random, layout, large, 2, Shapes.Pad(random));
            var e = Assert.Throws<MatrixSingularException>(() => Lapack.Gels(layout, trans, m, n, 2, a.Data, a.Ld, b.Data, b.Ld));
            Assert.Equal("dgels", e.Routine);
            Assert.Equal(zero + 1, e.Info);
        }
    }

    [Fact]
    public void NanInsideTheMatrixIsRejectedByLapackeAsArgumentSix()
    {
        // LAPACKE checks its matrix arguments for NaN (padding is not checked: the sentinels elsewhere prove it).
        // A is argument 6 of LAPACKE_dgels(layout, trans, m, n, nrhs, a, lda, b, ldb).
        double[] a = [1, double.NaN, 2, 3];
        double[] b = [1, 2];
        var e = Assert.Throws<LapackArgumentException>(() => Lapack.Gels(Transpose.NoTrans, 2, 2, 1, a, 2, b, 1));
        Assert.Equal(-6, e.Info);
        Assert.Equal([1, 2], b); // rejected before any work
    }

    [Theory]
    [InlineData(MatrixLayout.RowMajor)]
    [InlineData(MatrixLayout.ColumnMajor)]
    public void NoEquationsGiveTheZeroMinimumNormSolution(MatrixLayout layout)
    {
        // m = 0: every x solves the (empty) system; the minimum-norm one is 0. A is an empty span.
        var b = Strided.Create(layout, 3, 2, 1, (i, j) => 1 + i + j);
        Lapack.Gels(layout, Transpose.NoTrans, 0, 3, 2, Span<double>.Empty, layout == MatrixLayout.RowMajor ? 3 : 1, b.Data, b.Ld);
        Assert.Equal(new double[6], b.ToDense().Cast<double>());
        Assert.True(b.PaddingIntact());
    }
}
