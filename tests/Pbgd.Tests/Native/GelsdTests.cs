using Pbgd.Native;
using Pbgd.Tests.Reference;
using static Pbgd.Tests.Reference.ManagedLapack;

namespace Pbgd.Tests.Native;

/// LAPACK dgelsd (SVD least squares) on matrices whose singular values and vectors are known by construction
/// (A = U·diag(σ)·Vᵀ, built in managed code): the reported rank and singular values, the minimum-norm
/// solution V·Σ⁻¹·Uᵀb, orthogonality to the null space, and backward-error residuals on plain random matrices.
public class GelsdTests
{
    public static TheoryData<MatrixLayout, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, int>();
        foreach (var layout in LapackData.Layouts)
            foreach (int seed in new[] { 1, 2, 3 })
                data.Add(layout, seed);
        return data;
    }

    private static (int Rank, double[] S, double[,] X, Strided A, Strided B) Solve(Random random, MatrixLayout layout,
        double[,] a0, double[,] b0, double rcond)
    {
        int m = a0.GetLength(0), n = a0.GetLength(1), nrhs = b0.GetLength(1);
        var a = Strided.FromDense(a0, layout, Shapes.Pad(random));
        var b = LapackData.RightHandSide(b0, Math.Max(m, n), layout, Shapes.Pad(random));
        var s = Strided.Vector(random, Math.Min(m, n), 2);
        int rank = Lapack.Gelsd(layout, m, n, nrhs, a.Data, a.Ld, b.Data, b.Ld, s, rcond);
        Assert.True(Strided.TailIntact(s, Math.Min(m, n)), "s was written past min(m, n)");
        return (rank, s, b.ToDense(n, nrhs), a, b);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomOverdeterminedSystemsHaveSmallNormalEquationResidual(MatrixLayout layout, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout));
        foreach (var (m, n) in new[] { (1, 1), (5, 5), (40, 1), (30, 7), (random.Next(10, 40), random.Next(1, 10)) })
        {
            var a0 = ManagedLapack.Random(random, m, n);
            var b0 = ManagedLapack.Random(random, m, random.Next(1, 4));
            var (rank, _, x, a, b) = Solve(random, layout, a0, b0, -1);
            var normal = LapackData.Norm(Multiply(Transposed(a0), Subtract(Multiply(a0, x), b0)));
            double scale = LapackData.Norm(a0) * (LapackData.Norm(a0) * LapackData.Norm(x) + LapackData.Norm(b0));
            // Backward stable: ‖Aᵀ(Ax − b)‖_F ≤ 1e-14·max(m, n)·‖A‖_F(‖A‖_F‖x‖_F + ‖b‖_F) (≈ 90·max(m,n)·u;
            // observed ≤ 3·max(m,n)·u).
            Assert.True(normal <= 1e-14 * Math.Max(m, n) * scale, $"gelsd {layout} {m}×{n}: {normal:E3}");
            Assert.Equal(n, rank); // uniform random matrices are numerically full rank
            Assert.True(a.PaddingIntact() && b.PaddingIntact(), $"gelsd {layout} {m}×{n}: padding written");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RankDeficientGivesRankSingularValuesAndMinimumNormSolution(MatrixLayout layout, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, 1));
        for (int t = 0; t < 6; t++)
        {
            // Over- and under-determined alternately; rank r < min(m, n); σ ∈ [1, 4].
            int small = random.Next(2, 12), large = small + random.Next(0, 10);
            int m = t % 2 == 0 ? large : small, n = t % 2 == 0 ? small : large;
            int r = random.Next(1, small);
            var sigma = Enumerable.Range(0, r).Select(_ => 1 + 3 * random.NextDouble()).OrderDescending().ToArray();
            var (a0, u, v) = WithSingularValues(random, m, n, sigma);
            var b0 = ManagedLapack.Random(random, m, random.Next(1, 4));

            var (rank, s, x, _, _) = Solve(random, layout, a0, b0, 1e-10);
            string what = $"gelsd {layout} {m}×{n} rank {r}";

            Assert.Equal(r, rank);
            // Singular values: A is U·Σ·Vᵀ up to rounding in its construction (‖E‖ ≲ 10·n·u·σ₁), so by Weyl
            // each computed value is within 100·max(m,n)·u·σ₁ of σᵢ, and the rest are below that.
            double tol = 100 * Math.Max(m, n) * ManagedBlas.Unit * sigma[0];
            for (int i = 0; i < Math.Min(m, n); i++)
            {
                double exact = i < r ? sigma[i] : 0;
                Assert.True(Math.Abs(s[i] - exact) <= tol, $"{what}: s[{i}] = {s[i]:R}, expected {exact:R}");
            }
            // Minimum-norm solution x = V_r·Σ_r⁻¹·U_rᵀ·b, from the construction's factors.
            var sigmaInv = new double[r, r];
            for (int i = 0; i < r; i++) sigmaInv[i, i] = 1 / sigma[i];
            var reference = Multiply(Multiply(Columns(v, 0, r), sigmaInv), Multiply(Transposed(Columns(u, 0, r)), b0));
            double err = LapackData.Norm(Subtract(x, reference));
            // κ_r ≤ 4 on the range: tolerance 1e-12 relative.
            Assert.True(err <= 1e-12 * LapackData.Norm(reference), $"{what}: ‖x − x_ref‖ = {err:E3}");
            // Orthogonal to null(A) = span of V's last n − r columns: ‖V_nullᵀx‖ ≤ 1e-12·‖x‖ (A's exact null
            // space differs from V's columns by the rounding in A's construction).
            double leak = LapackData.Norm(Multiply(Transposed(Columns(v, r, n)), x));
            Assert.True(leak <= 1e-12 * LapackData.Norm(x), $"{what}: null-space component {leak:E3}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UnderdeterminedFullRowRankMatchesNormalEquationsMinimumNorm(MatrixLayout layout, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, 2));
        foreach (var (m, n) in new[] { (1, 1), (1, 9), (3, 4), (5, 30), (random.Next(2, 10), random.Next(10, 30)) })
        {
            var sigma = Enumerable.Range(0, m).Select(_ => 1 + 3 * random.NextDouble()).ToArray(); // κ ≤ 4
            var a0 = WithSingularValues(random, m, n, sigma).A;
            var b0 = ManagedLapack.Random(random, m, 2);
            var (rank, _, x, _, _) = Solve(random, layout, a0, b0, -1);
            var reference = MinimumNorm(a0, b0); // Aᵀ(AAᵀ)⁻¹b by managed Gaussian elimination
            Assert.Equal(m, rank);
            double err = LapackData.Norm(Subtract(x, reference));
            // κ(AAᵀ) ≤ 16: both solutions within ~16·n·u of exact; tolerance 1e-12 relative.
            Assert.True(err <= 1e-12 * LapackData.Norm(reference), $"gelsd {layout} {m}×{n}: ‖x − x_ref‖ = {err:E3}");
        }
    }

    [Theory]
    [InlineData(MatrixLayout.RowMajor)]
    [InlineData(MatrixLayout.ColumnMajor)]
    public void RcondDecidesWhichSingularValuesCount(MatrixLayout layout)
    {
        var random = new Random(5);
        double[] sigma = [1, 0.5, 0.1, 1e-8];
        var (a0, u, v) = WithSingularValues(random, 8, 4, sigma);
        var b0 = ManagedLapack.Random(random, 8, 1);

        // rcond = 1e-4: σ₄/σ₁ = 1e-8 is dropped, rank 3, and x is the truncated V₃Σ₃⁻¹U₃ᵀb (κ₃ = 10: 1e-12 relative).
        var (rank, s, x, _, _) = Solve(random, layout, a0, b0, 1e-4);
        Assert.Equal(3, rank);
        var sigmaInv = new double[3, 3];
        for (int i = 0; i < 3; i++) sigmaInv[i, i] = 1 / sigma[i];
        var truncated = Multiply(Multiply(Columns(v, 0, 3), sigmaInv), Multiply(Transposed(Columns(u, 0, 3)), b0));
        Assert.True(LapackData.Norm(Subtract(x, truncated)) <= 1e-12 * LapackData.Norm(truncated));
        // σ₄ itself is resolved to absolute accuracy ~u·σ₁ (Weyl): |s₄ − 1e-8| ≤ 1e-14.
        Assert.InRange(Math.Abs(s[3] - 1e-8), 0, 1e-14);

        // rcond < 0 means machine precision: all four count.
        Assert.Equal(4, Solve(random, layout, a0, b0, -1).Rank);
    }

    [Theory]
    [InlineData(MatrixLayout.RowMajor)]
    [InlineData(MatrixLayout.ColumnMajor)]
    public void NoRightHandSideStillGivesRankAndSingularValues(MatrixLayout layout)
    {
        // nrhs = 0 (an SVD-only call): MKL's dgelsd used to reject it (DLALSD needs a column) after printing
        // to stdout. Rank and singular values must be those of the construction (tolerance as above).
        var random = new Random(6);
        double[] sigma = [3, 2, 1];
        var a0 = WithSingularValues(random, 7, 5, sigma).A;
        var a = Strided.FromDense(a0, layout, 1);
        var s = Strided.Vector(random, 5, 1);
        int ldb = layout == MatrixLayout.RowMajor ? 1 : 7;
        int rank = Lapack.Gelsd(layout, 7, 5, 0, a.Data, a.Ld, Span<double>.Empty, ldb, s, 1e-10);
        Assert.Equal(3, rank);
        for (int i = 0; i < 5; i++)
            Assert.InRange(Math.Abs(s[i] - (i < 3 ? sigma[i] : 0)), 0, 100 * 7 * ManagedBlas.Unit * sigma[0]);
        Assert.True(Strided.TailIntact(s, 5) && a.PaddingIntact());
    }

    [Theory]
    [InlineData(MatrixLayout.RowMajor)]
    [InlineData(MatrixLayout.ColumnMajor)]
    public void EmptyMatrixHasRankZeroAndZeroSolution(MatrixLayout layout)
    {
        // m = 0: rank 0, the minimum-norm solution of no equations is x = 0 (n = 3 rows of B).
        var b = Strided.Create(layout, 3, 2, 1, (i, j) => 1 + i + j);
        int rank = Lapack.Gelsd(layout, 0, 3, 2, Span<double>.Empty, layout == MatrixLayout.RowMajor ? 3 : 1, b.Data, b.Ld, Span<double>.Empty, -1);
        Assert.Equal(0, rank);
        Assert.Equal(new double[6], b.ToDense().Cast<double>());
        Assert.True(b.PaddingIntact());
    }
}
