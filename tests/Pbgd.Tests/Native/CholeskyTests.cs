using Pbgd.Native;
using Pbgd.Tests.Reference;
using static Pbgd.Tests.Reference.ManagedLapack;

namespace Pbgd.Tests.Native;

/// dposv, dpotrf and dpotrs on seeded SPD matrices, both layouts and triangles: only the chosen triangle is
/// stored (the other holds NaN sentinels that must be neither read nor written), and results are judged by
/// backward errors computed in managed code. Non-SPD input must raise MatrixNotPositiveDefiniteException
/// with the order of the failing leading minor.
public class CholeskyTests
{
    public static TheoryData<MatrixLayout, Triangle, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, Triangle, int>();
        foreach (var layout in LapackData.Layouts)
            foreach (var uplo in new[] { Triangle.Upper, Triangle.Lower })
                foreach (int seed in new[] { 1, 2 })
                    data.Add(layout, uplo, seed);
        return data;
    }

    private static IEnumerable<int> Orders(Random random) => new[] { 1, 2, 5, 17, 40 }.Append(random.Next(3, 30));

    /// GᵀG + n·I/10 with G uniform: SPD, moderately conditioned.
    private static double[,] Spd(Random random, int n)
    {
        var g = ManagedLapack.Random(random, n, n);
        var s = Multiply(Transposed(g), g);
        for (int i = 0; i < n; i++) s[i, i] += n / 10.0;
        return s;
    }

    /// The factor's product (UᵀU or LLᵀ) from the triangle a Cholesky routine left in `factor`.
    private static double[,] Reconstruct(Strided factor, Triangle uplo)
    {
        int n = factor.Rows;
        var t = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (uplo == Triangle.Upper ? j >= i : j <= i) t[i, j] = factor[i, j];
        return uplo == Triangle.Upper ? Multiply(Transposed(t), t) : Multiply(t, Transposed(t));
    }

    private static void AssertOtherTriangleUntouched(Strided a, Triangle uplo, string what)
    {
        long sentinel = BitConverter.DoubleToInt64Bits(Strided.Sentinel);
        for (int i = 0; i < a.Rows; i++)
            for (int j = 0; j < a.Cols; j++)
                if (uplo == Triangle.Upper ? j < i : j > i)
                    Assert.True(BitConverter.DoubleToInt64Bits(a[i, j]) == sentinel, $"{what}: ({i}, {j}) outside the triangle was written");
        Assert.True(a.PaddingIntact(), $"{what}: padding written");
    }

    /// ‖A·X − B‖_F / (‖A‖_F·‖X‖_F) — the normwise backward error of a solve, in managed arithmetic.
    private static double BackwardError(double[,] a, double[,] x, double[,] b) =>
        LapackData.Norm(Subtract(Multiply(a, x), b)) / (LapackData.Norm(a) * LapackData.Norm(x));

    [Theory]
    [MemberData(nameof(Cases))]
    public void PosvSolvesWithSmallBackwardError(MatrixLayout layout, Triangle uplo, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo));
        foreach (int n in Orders(random))
        {
            int nrhs = random.Next(1, 4);
            var a0 = Spd(random, n);
            var b0 = ManagedLapack.Random(random, n, nrhs);
            var a = LapackData.Symmetric(a0, uplo, layout, Shapes.Pad(random));
            var b = Strided.FromDense(b0, layout, Shapes.Pad(random));

            Lapack.Posv(layout, uplo, n, nrhs, a.Data, a.Ld, b.Data, b.Ld);

            string what = $"posv {layout} {uplo} n={n}";
            double backward = BackwardError(a0, b.ToDense(), b0);
            // Cholesky solve is backward stable: backward error ≤ 1e-13 (≥ 20·n·u for n ≤ 40; observed ≤ 5e-16).
            Assert.True(backward <= 1e-13, $"{what}: backward error {backward:E3}");
            // A is overwritten by its factor, which reproduces A: ‖UᵀU − A‖_F ≤ 1e-13·‖A‖_F (observed ≤ 3e-16).
            double factorError = LapackData.Norm(Subtract(Reconstruct(a, uplo), a0)) / LapackData.Norm(a0);
            Assert.True(factorError <= 1e-13, $"{what}: factor error {factorError:E3}");
            AssertOtherTriangleUntouched(a, uplo, what);
            Assert.True(b.PaddingIntact(), $"{what}: padding of B written");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PotrfThenPotrsSolvesWithSmallBackwardError(MatrixLayout layout, Triangle uplo, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo, 1));
        foreach (int n in Orders(random))
        {
            var a0 = Spd(random, n);
            var a = LapackData.Symmetric(a0, uplo, layout, Shapes.Pad(random));
            Lapack.Potrf(layout, uplo, n, a.Data, a.Ld);
            string what = $"potrf/potrs {layout} {uplo} n={n}";
            double factorError = LapackData.Norm(Subtract(Reconstruct(a, uplo), a0)) / LapackData.Norm(a0);
            Assert.True(factorError <= 1e-13, $"{what}: factor error {factorError:E3}"); // as for posv
            AssertOtherTriangleUntouched(a, uplo, what);

            // One factorisation, several solves (the factor is read-only for potrs).
            for (int solve = 0; solve < 2; solve++)
            {
                int nrhs = random.Next(1, 4);
                var b0 = ManagedLapack.Random(random, n, nrhs);
                var b = Strided.FromDense(b0, layout, Shapes.Pad(random));
                Lapack.Potrs(layout, uplo, n, nrhs, a.Data, a.Ld, b.Data, b.Ld);
                double backward = BackwardError(a0, b.ToDense(), b0);
                Assert.True(backward <= 1e-13, $"{what}: backward error {backward:E3}"); // as for posv
                Assert.True(b.PaddingIntact(), $"{what}: padding of B written");
            }
        }
    }

    /// potri after potrf: the stored triangle becomes A⁻¹'s, judged by ‖A·A⁻¹ − I‖_F ≤ 1e−14·n·‖A‖_F‖A⁻¹‖_F (a
    /// backward-stable inverse leaves a residual of order u·‖A‖‖A⁻¹‖), and the other triangle keeps its sentinels.
    [Theory]
    [MemberData(nameof(Cases))]
    public void PotriInvertsFromTheFactor(MatrixLayout layout, Triangle uplo, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo, 3));
        foreach (int n in Orders(random))
        {
            var a0 = Spd(random, n);
            var a = LapackData.Symmetric(a0, uplo, layout, Shapes.Pad(random));
            Lapack.Potrf(layout, uplo, n, a.Data, a.Ld);
            Lapack.Potri(layout, uplo, n, a.Data, a.Ld);
            string what = $"potri {layout} {uplo} n={n}";
            AssertOtherTriangleUntouched(a, uplo, what);
            var inverse = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    inverse[i, j] = uplo == Triangle.Upper ? a[Math.Min(i, j), Math.Max(i, j)] : a[Math.Max(i, j), Math.Min(i, j)];
            double residual = LapackData.Norm(Subtract(Multiply(a0, inverse), Identity(n)));
            double limit = 1e-14 * n * LapackData.Norm(a0) * LapackData.Norm(inverse);
            Assert.True(residual <= limit, $"{what}: ‖A·A⁻¹ − I‖_F = {residual:E3} > {limit:E3}");
        }
    }

    /// TryPotrf agrees with Potrf: true and the same factor on SPD input, false with the failing minor (no
    /// exception) on indefinite input.
    [Fact]
    public void TryPotrfReportsTheFailingMinorWithoutThrowing()
    {
        var random = new Random(7);
        var spd = Spd(random, 6);
        var a = LapackData.Symmetric(spd, Triangle.Upper, MatrixLayout.RowMajor, 0);
        var b = LapackData.Symmetric(spd, Triangle.Upper, MatrixLayout.RowMajor, 0);
        Assert.True(Lapack.TryPotrf(MatrixLayout.RowMajor, Triangle.Upper, 6, a.Data, a.Ld, out int none));
        Assert.Equal(0, none);
        Lapack.Potrf(MatrixLayout.RowMajor, Triangle.Upper, 6, b.Data, b.Ld);
        Assert.Equal(b.Data, a.Data);
        var indefinite = new double[] { 4, 2, 0, 0, 1, 0, 0, 0, 1 }; // minor 2: 4·1 − 2·2 = 0
        Assert.False(Lapack.TryPotrf(MatrixLayout.RowMajor, Triangle.Upper, 3, indefinite, 3, out int minor));
        Assert.Equal(2, minor);
    }

    [Fact]
    public void PotriOfASingularFactorSaysWhichDiagonalIsZero()
    {
        var factor = new double[] { 2, 0, 0, 0, 0, 0, 1, 0, 3 }; // lower, row-major: diagonal 2, 0, 3
        var error = Assert.Throws<MatrixSingularException>(() => Lapack.Potri(MatrixLayout.RowMajor, Triangle.Lower, 3, factor, 3));
        Assert.Equal(2, error.Info);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Lapack.Potri(MatrixLayout.RowMajor, Triangle.Lower, 3, new double[8], 3)).ParamName);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IndefiniteMatrixReportsTheFailingLeadingMinor(MatrixLayout layout, Triangle uplo, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo, 2));
        foreach (int n in new[] { 1, 4, 12 })
        {
            // A = L·D·Lᵀ with L unit lower triangular and D = diag(d): the leading minor of order j is
            // d₁⋯d_j, so with d_k = −1 and the others in [1, 2] minors 1…k−1 are positive and minor k is not.
            int k = random.Next(1, n + 1);
            var l = Identity(n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) l[i, j] = random.NextDouble() - 0.5;
            var d = new double[n, n];
            for (int i = 0; i < n; i++) d[i, i] = i == k - 1 ? -1 : 1 + random.NextDouble();
            var a0 = Multiply(Multiply(l, d), Transposed(l));

            var a = LapackData.Symmetric(a0, uplo, layout, 1);
            var e = Assert.Throws<MatrixNotPositiveDefiniteException>(() => Lapack.Potrf(layout, uplo, n, a.Data, a.Ld));
            Assert.Equal(("dpotrf", k), (e.Routine, e.Info));

            var a2 = LapackData.Symmetric(a0, uplo, layout, 1);
            var b = Strided.Random(random, layout, n, 2, 1);
            var e2 = Assert.Throws<MatrixNotPositiveDefiniteException>(() => Lapack.Posv(layout, uplo, n, 2, a2.Data, a2.Ld, b.Data, b.Ld));
            Assert.Equal(("dposv", k), (e2.Routine, e2.Info));
        }
    }
}
