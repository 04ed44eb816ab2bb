using Pbgd.Native;
using Pbgd.Tests.Reference;
using static Pbgd.Tests.Reference.ManagedLapack;

namespace Pbgd.Tests.Native;

/// LAPACK dsyevd against the managed Jacobi eigensolver and against matrices built as Q·Λ·Qᵀ with known
/// eigenpairs; both layouts and triangles, only one triangle stored (the other holds NaN sentinels).
/// u = 2⁻⁵³; a backward-stable solver's eigenvalues are within c·n·u·‖A‖ of the exact ones (Weyl).
public class SyevdTests
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

    /// G + Gᵀ: a random symmetric matrix.
    private static double[,] Symmetrise(double[,] g)
    {
        int n = g.GetLength(0);
        var s = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) s[i, j] = g[i, j] + g[j, i];
        return s;
    }

    private static double[,] Column(Strided v, int k)
    {
        var c = new double[v.Rows, 1];
        for (int i = 0; i < v.Rows; i++) c[i, 0] = v[i, k];
        return c;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EigenpairsMatchJacobiAndTheirDefinition(MatrixLayout layout, Triangle uplo, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo));
        foreach (int n in new[] { 1, 2, 5, 16, 33, random.Next(3, 25) })
        {
            var s = Symmetrise(ManagedLapack.Random(random, n, n));
            double norm = LapackData.Norm(s);
            var (jacobi, _) = JacobiEigen(s);
            var a = LapackData.Symmetric(s, uplo, layout, Shapes.Pad(random));
            var w = Strided.Vector(random, n, 2);

            Lapack.Syevd(layout, true, uplo, n, a.Data, a.Ld, w);

            string what = $"syevd {layout} {uplo} n={n}";
            double tol = 100 * n * ManagedBlas.Unit * norm; // 100·n·u·‖A‖_F (observed ≤ 3·n·u·‖A‖_F)
            for (int k = 0; k < n; k++)
            {
                Assert.True(Math.Abs(w[k] - jacobi[k]) <= tol, $"{what}: λ{k} = {w[k]:R}, Jacobi {jacobi[k]:R}");
                if (k > 0) Assert.True(w[k] >= w[k - 1], $"{what}: eigenvalues not ascending");
                // A·v = λ·v: ‖A·v − λ·v‖ ≤ 100·n·u·‖A‖_F.
                var v = Column(a, k);
                double residual = LapackData.Norm(Subtract(Multiply(s, v), Multiply(v, new double[,] { { w[k] } })));
                Assert.True(residual <= tol, $"{what}: ‖Av − λv‖ = {residual:E3}");
            }
            // Orthonormal columns: ‖VᵀV − I‖_F ≤ 100·n·u (observed ≤ 5·n·u).
            var vt = a.ToDense();
            double orth = LapackData.Norm(Subtract(Multiply(Transposed(vt), vt), Identity(n)));
            Assert.True(orth <= 100 * n * ManagedBlas.Unit, $"{what}: ‖VᵀV − I‖ = {orth:E3}");
            Assert.True(a.PaddingIntact() && Strided.TailIntact(w, n), $"{what}: padding written");

            // Eigenvalues only: same values within the same bound, the other triangle still unread.
            var valuesOnly = LapackData.Symmetric(s, uplo, layout, Shapes.Pad(random));
            var w2 = new double[n];
            Lapack.Syevd(layout, false, uplo, n, valuesOnly.Data, valuesOnly.Ld, w2);
            for (int k = 0; k < n; k++) Assert.True(Math.Abs(w2[k] - jacobi[k]) <= tol, $"{what} (values only): λ{k}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EigenvectorsOfSeparatedSpectrumMatchUpToSign(MatrixLayout layout, Triangle uplo, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout, (int)uplo, 1));
        foreach (int n in new[] { 2, 7, 20 })
        {
            // A = Q·Λ·Qᵀ with λ_k = k + 0.5·U[0, 1) − n/2: gaps ≥ 0.5, so each eigenvector is determined to
            // about ‖E‖/gap ≈ n·u·‖A‖/0.5 (Davis–Kahan); tolerance 1000·n·u·‖A‖_F.
            var q = RandomOrthogonal(random, n);
            var lambda = new double[n, n];
            var values = new double[n];
            for (int k = 0; k < n; k++) lambda[k, k] = values[k] = k + 0.5 * random.NextDouble() - n / 2.0;
            var s = Multiply(Multiply(q, lambda), Transposed(q));
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) s[i, j] = s[j, i]; // exactly symmetric
            var (_, jacobiVectors) = JacobiEigen(s);
            var a = LapackData.Symmetric(s, uplo, layout, Shapes.Pad(random));
            var w = new double[n];

            Lapack.Syevd(layout, true, uplo, n, a.Data, a.Ld, w);

            double tol = 1000 * n * ManagedBlas.Unit * LapackData.Norm(s);
            for (int k = 0; k < n; k++)
            {
                Assert.True(Math.Abs(w[k] - values[k]) <= 100 * n * ManagedBlas.Unit * LapackData.Norm(s), $"λ{k}"); // as above
                var v = Column(a, k);
                foreach (var (reference, name) in new[] { (Columns(q, k, k + 1), "construction"), (Columns(jacobiVectors, k, k + 1), "Jacobi") })
                {
                    double sign = Multiply(Transposed(v), reference)[0, 0] >= 0 ? 1 : -1;
                    double err = 0;
                    for (int i = 0; i < n; i++) err += Math.Pow(v[i, 0] - sign * reference[i, 0], 2);
                    Assert.True(Math.Sqrt(err) <= tol, $"syevd {layout} {uplo} n={n}: v{k} vs {name}: {Math.Sqrt(err):E3}");
                }
            }
        }
    }
}
