using Pbgd.Native;
using Pbgd.Tests.Reference;
using static Pbgd.Tests.Reference.ManagedLapack;

namespace Pbgd.Tests.Native;

/// LAPACK dgglse (min ‖c − A·x‖ subject to B·x = d) against the solution of its KKT system
/// [AᵀA Bᵀ; B 0]·[x; λ] = [Aᵀc; d], solved in managed code by Gaussian elimination; both layouts, padded
/// A and B, vectors followed by sentinels. Also its documented failures.
public class GglseTests
{
    public static TheoryData<MatrixLayout, int> Cases()
    {
        var data = new TheoryData<MatrixLayout, int>();
        foreach (var layout in LapackData.Layouts)
            foreach (int seed in new[] { 1, 2, 3 })
                data.Add(layout, seed);
        return data;
    }

    /// (m, n, p) with p ≤ n ≤ m + p: typical, no constraint (plain least squares), as many constraints as
    /// unknowns (x = B⁻¹d), n = m + p, no A rows at all, 1×1×1, then seeded.
    private static IEnumerable<(int M, int N, int P)> Dimensions(Random random)
    {
        foreach (var s in new[] { (7, 5, 2), (10, 4, 0), (2, 4, 4), (3, 5, 2), (0, 3, 3), (1, 1, 1) }) yield return s;
        for (int t = 0; t < 3; t++)
        {
            int n = random.Next(1, 15), p = random.Next(0, n + 1);
            yield return (n - p + random.Next(0, 10), n, p);
        }
    }

    private static double[,] KktSolution(double[,] a, double[,] b, double[,] c, double[,] d)
    {
        int n = a.GetLength(1), p = b.GetLength(0), size = n + p;
        var kkt = new double[size, size];
        var rhs = new double[size, 1];
        var ata = Multiply(Transposed(a), a);
        var atc = Multiply(Transposed(a), c);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) kkt[i, j] = ata[i, j];
            rhs[i, 0] = atc[i, 0];
        }
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < n; j++) kkt[n + i, j] = kkt[j, n + i] = b[i, j];
            rhs[n + i, 0] = d[i, 0];
        }
        var solution = Solve(kkt, rhs);
        var x = new double[n, 1];
        for (int i = 0; i < n; i++) x[i, 0] = solution[i, 0]; // the x part; the rest are the multipliers λ
        return x;
    }

    private static double[] Sigma(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => 1 + random.NextDouble()).ToArray();

    private static double[,] Column(double[] v, int n)
    {
        var c = new double[n, 1];
        for (int i = 0; i < n; i++) c[i, 0] = v[i];
        return c;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SatisfiesTheConstraintAndMatchesKktSolution(MatrixLayout layout, int seed)
    {
        var random = new Random(Seed.Of(seed, (int)layout));
        foreach (var (m, n, p) in Dimensions(random))
        {
            // A and B with singular values in [1, 2] (so B has full row rank and, generically, [A; B] full
            // column rank, with a well-conditioned KKT system).
            var a0 = WithSingularValues(random, m, n, Sigma(random, Math.Min(m, n))).A;
            var b0 = WithSingularValues(random, p, n, Sigma(random, p)).A;
            var c = Strided.Vector(random, m, 2);
            var d = Strided.Vector(random, p, 2);
            var c0 = Column(c, m);
            var d0 = Column(d, p);
            var a = Strided.FromDense(a0, layout, Shapes.Pad(random));
            var b = Strided.FromDense(b0, layout, Shapes.Pad(random));
            var x = Strided.Vector(random, n, 2);

            Lapack.Gglse(layout, m, n, p, a.Data, a.Ld, b.Data, b.Ld, c, d, x);

            string what = $"gglse {layout} m={m} n={n} p={p}";
            var xs = Column(x, n);
            // Constraint to rounding: ‖Bx − d‖ ≤ 1e-12·(‖B‖_F‖x‖ + ‖d‖).
            double violation = LapackData.Norm(Subtract(Multiply(b0, xs), d0));
            double scale = LapackData.Norm(b0) * LapackData.Norm(xs) + LapackData.Norm(d0);
            Assert.True(violation <= 1e-12 * scale, $"{what}: ‖Bx − d‖ = {violation:E3}");
            // The KKT solution: ‖x − x_kkt‖ ≤ 1e-10·‖x_kkt‖ (the KKT matrix holds AᵀA, which squares the
            // conditioning, and A restricted to null(B) can be ill-conditioned when m = n − p; observed ≤ 8e-12
            // over 15 sets of seeds).
            var reference = KktSolution(a0, b0, c0, d0);
            double err = LapackData.Norm(Subtract(xs, reference));
            Assert.True(err <= 1e-10 * LapackData.Norm(reference), $"{what}: ‖x − x_kkt‖ = {err:E3}");
            Assert.True(a.PaddingIntact() && b.PaddingIntact(), $"{what}: padding written");
            Assert.True(Strided.TailIntact(c, m) && Strided.TailIntact(d, p) && Strided.TailIntact(x, n), $"{what}: a vector was written past its length");
        }
    }

    [Theory]
    [InlineData(MatrixLayout.RowMajor)]
    [InlineData(MatrixLayout.ColumnMajor)]
    public void RankDeficiencyIsReportedWithLapacksInfo(MatrixLayout layout)
    {
        var random = new Random(8);
        int m = 6, n = 4, p = 2;
        // info = 1: B lacks full row rank (a zero row stays exactly zero in B's RQ factorisation).
        var a = ManagedLapack.Random(random, m, n);
        var b = ManagedLapack.Random(random, p, n);
        for (int j = 0; j < n; j++) b[0, j] = 0;
        var e1 = Assert.Throws<MatrixSingularException>(() => Call(layout, a, b));
        Assert.Equal(("dgglse", 1), (e1.Routine, e1.Info));
        // info = 2: [A; B] lacks full column rank (column 0 zero in both; it is not one of the p pivot
        // columns of B's RQ, so it stays exactly zero and the QR of A·Qᵀ has an exact zero diagonal).
        a = ManagedLapack.Random(random, m, n);
        b = ManagedLapack.Random(random, p, n);
        for (int i = 0; i < m; i++) a[i, 0] = 0;
        for (int i = 0; i < p; i++) b[i, 0] = 0;
        var e2 = Assert.Throws<MatrixSingularException>(() => Call(layout, a, b));
        Assert.Equal(("dgglse", 2), (e2.Routine, e2.Info));
    }

    private static void Call(MatrixLayout layout, double[,] a0, double[,] b0)
    {
        var a = Strided.FromDense(a0, layout, 1);
        var b = Strided.FromDense(b0, layout, 1);
        Lapack.Gglse(layout, a.Rows, a.Cols, b.Rows, a.Data, a.Ld, b.Data, b.Ld, new double[a.Rows], new double[b.Rows], new double[a.Cols]);
    }

    [Theory]
    [InlineData(3, 2, 3)] // p > n: more constraints than unknowns
    [InlineData(1, 5, 2)] // n > m + p: the objective cannot determine x
    public void InfeasibleDimensionsAreRejectedBeforeTheCall(int m, int n, int p)
    {
        var x = Enumerable.Repeat(7.0, n).ToArray();
        var e = Assert.Throws<ArgumentException>(() =>
            Lapack.Gglse(m, n, p, new double[m * n], n, new double[p * n], n, new double[m], new double[p], x));
        Assert.Equal("n", e.ParamName);
        Assert.All(x, v => Assert.Equal(7.0, v)); // nothing written
    }
}
