using Pbgd.Native;

namespace Pbgd.Tests.Reference;

/// The references themselves, checked against values worked out by hand (and against their defining
/// identities), so that a test of MKL against them compares with something known to be right.
public class ReferenceSelfTests
{
    [Fact]
    public void GemmHandlesLayoutsTransposesAndLeadingDimensions()
    {
        // A = [1 2 3; 4 5 6] stored row-major with lda = 4 (the padding 99 is never read),
        // B = [1 0; 0 1; 1 1]: A·B = [4 5; 10 11].
        double[] a = [1, 2, 3, 99, 4, 5, 6, 99];
        double[] b = [1, 0, 0, 1, 1, 1];
        var c = new double[4];
        ManagedBlas.Gemm(MatrixLayout.RowMajor, Transpose.NoTrans, Transpose.NoTrans, 2, 2, 3, 1, a, 4, b, 2, 0, c, 2);
        Assert.Equal([4, 5, 10, 11], c);
        // The same storage read column-major 3×2 with lda = 4 is [1 4; 2 5; 3 6], so op(A) = Aᵀ = [1 2 3; 4 5 6].
        // B stored column-major 2×3 with ldb = 3 has B(j, p) = b[j + 3p]; op(B) = Bᵀ = [1 0; 0 1; 0 0].
        // C ← 2·op(A)·op(B) + 1·C = 2·[1 2; 4 5] + 7 = [9 11; 15 17], column-major: 9, 15, 11, 17.
        var d = new double[] { 7, 7, 7, 7 };
        ManagedBlas.Gemm(MatrixLayout.ColumnMajor, Transpose.Trans, Transpose.Trans, 2, 2, 3, 2, a, 4,
            [1, 0, 99, 0, 1, 99, 0, 0, 99], 3, 1, d, 2);
        Assert.Equal([9, 15, 11, 17], d);
    }

    [Fact]
    public void LevelOneAndNormsMatchHandValues()
    {
        Assert.Equal(5.0, ManagedBlas.Nrm2([3, 4]));
        Assert.Equal(5e300, ManagedBlas.Nrm2([3e300, 4e300]), 1e285);
        Assert.Equal(11.0, ManagedBlas.Dot([1, 2], [3, 4]));
        var y = new double[] { 1, 1 };
        ManagedBlas.Axpy(2, [3, 4], y);
        Assert.Equal([7, 9], y);
    }

    [Fact]
    public void SolversReproduceHandWorkedProblems()
    {
        // Line through (0,1), (1,3), (2,5), (3,7) exactly: y = 1 + 2t.
        var x = ManagedLapack.LeastSquares(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 3 } }, new double[,] { { 1 }, { 3 }, { 5 }, { 7 } });
        Assert.Equal(1.0, x[0, 0], 1e-14);
        Assert.Equal(2.0, x[1, 0], 1e-14);
        // x₁ + x₂ = 2: the minimum-norm solution is (1, 1).
        var mn = ManagedLapack.MinimumNorm(new double[,] { { 1, 1 } }, new double[,] { { 2 } });
        Assert.Equal(1.0, mn[0, 0], 1e-15);
        Assert.Equal(1.0, mn[1, 0], 1e-15);
        // [0 2; 3 1]·x = [4; 5] needs a pivot: x = (1, 2).
        var s = ManagedLapack.Solve(new double[,] { { 0, 2 }, { 3, 1 } }, new double[,] { { 4 }, { 5 } });
        Assert.Equal(1.0, s[0, 0], 1e-15);
        Assert.Equal(2.0, s[1, 0], 1e-15);
    }

    [Fact]
    public void QrAndJacobiSatisfyTheirDefinitions()
    {
        var random = new Random(1);
        var a = ManagedLapack.Random(random, 7, 4);
        var (q, r) = ManagedLapack.HouseholderQr(a);
        // Q orthogonal and Q·R = A to rounding (tolerance 1e-14 on entries of size ≤ 1).
        Assert.True(ManagedLapack.Frobenius(ManagedLapack.Subtract(ManagedLapack.Multiply(ManagedLapack.Transposed(q), q), ManagedLapack.Identity(7))) < 1e-14);
        Assert.True(ManagedLapack.Frobenius(ManagedLapack.Subtract(ManagedLapack.Multiply(q, r), a)) < 1e-14);
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < Math.Min(i, 4); j++) Assert.True(Math.Abs(r[i, j]) < 1e-15);

        // [2 1; 1 2] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        var (values, vectors) = ManagedLapack.JacobiEigen(new double[,] { { 2, 1 }, { 1, 2 } });
        Assert.Equal(1.0, values[0], 1e-15);
        Assert.Equal(3.0, values[1], 1e-15);
        Assert.Equal(0.0, vectors[0, 0] + vectors[1, 0], 1e-15);
        Assert.Equal(0.0, vectors[0, 1] - vectors[1, 1], 1e-15);

        var g = ManagedLapack.Random(random, 6, 6);
        var sym = ManagedLapack.Multiply(ManagedLapack.Transposed(g), g);
        var (w, v) = ManagedLapack.JacobiEigen(sym);
        var lambda = new double[6, 6];
        for (int i = 0; i < 6; i++) lambda[i, i] = w[i];
        // S·V = V·Λ to rounding (tolerance 1e-13 on a matrix of norm ≤ 6).
        Assert.True(ManagedLapack.Frobenius(ManagedLapack.Subtract(ManagedLapack.Multiply(sym, v), ManagedLapack.Multiply(v, lambda))) < 1e-13);
        for (int i = 1; i < 6; i++) Assert.True(w[i] >= w[i - 1]);
    }
}
