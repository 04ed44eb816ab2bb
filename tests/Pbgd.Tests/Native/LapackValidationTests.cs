using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// Every LAPACK wrapper checks its arguments in managed code (LAPACK itself would print to stdout and return a
/// negative info): the exact exception type and ParamName, before anything is written. Each case changes one
/// argument of a valid call.
public class LapackValidationTests
{
    private static readonly Transpose N = Transpose.NoTrans;
    private static readonly Triangle U = Triangle.Upper;

    // Valid baselines (row-major): gels/gelsd 4×2 with one right-hand side (B has max(m, n) = 4 rows);
    // posv/potrs n = 3 with 2 right-hand sides; gglse m = 3, n = 2, p = 1; syevd n = 3.
    private static readonly Dictionary<string, Rejection> Cases = new()
    {
        ["gels m < 0"] = Rejection.OutOfRange("m", p => Lapack.Gels(N, -1, 2, 1, p.Take(8), 2, p.Take(4), 1)),
        ["gels n < 0"] = Rejection.OutOfRange("n", p => Lapack.Gels(N, 4, -1, 1, p.Take(8), 2, p.Take(4), 1)),
        ["gels nrhs < 0"] = Rejection.OutOfRange("nrhs", p => Lapack.Gels(N, 4, 2, -1, p.Take(8), 2, p.Take(4), 1)),
        ["gels lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Gels(N, 4, 2, 1, p.Take(8), 1, p.Take(4), 1)),
        ["gels ldb < max(m,n) (column-major)"] = Rejection.OutOfRange("ldb", p => Lapack.Gels(MatrixLayout.ColumnMajor, N, 4, 2, 1, p.Take(8), 4, p.Take(4), 2)),
        ["gels a too short"] = Rejection.Argument("a", p => Lapack.Gels(N, 4, 2, 1, p.Take(7), 2, p.Take(4), 1)),
        ["gels b sized for n rows, not max(m, n)"] = Rejection.Argument("b", p => Lapack.Gels(N, 4, 2, 1, p.Take(8), 2, p.Take(2), 1)),
        ["gels b overlaps a"] = Rejection.Argument("b", p => { var s = p.Take(10); Lapack.Gels(N, 4, 2, 1, s.AsSpan(0, 8), 2, s.AsSpan(6, 4), 1); }),
        ["gels trans unknown"] = Rejection.OutOfRange("trans", p => Lapack.Gels((Transpose)0, 4, 2, 1, p.Take(8), 2, p.Take(4), 1)),
        ["gels layout unknown"] = Rejection.OutOfRange("layout", p => Lapack.Gels((MatrixLayout)1, N, 4, 2, 1, p.Take(8), 2, p.Take(4), 1)),

        ["gelsd m < 0"] = Rejection.OutOfRange("m", p => Lapack.Gelsd(-1, 2, 1, p.Take(8), 2, p.Take(4), 1, p.Take(2), -1)),
        ["gelsd nrhs < 0"] = Rejection.OutOfRange("nrhs", p => Lapack.Gelsd(4, 2, -1, p.Take(8), 2, p.Take(4), 1, p.Take(2), -1)),
        ["gelsd lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Gelsd(4, 2, 1, p.Take(8), 1, p.Take(4), 1, p.Take(2), -1)),
        ["gelsd ldb < nrhs"] = Rejection.OutOfRange("ldb", p => Lapack.Gelsd(4, 2, 2, p.Take(8), 2, p.Take(8), 1, p.Take(2), -1)),
        ["gelsd b too short"] = Rejection.Argument("b", p => Lapack.Gelsd(4, 2, 1, p.Take(8), 2, p.Take(3), 1, p.Take(2), -1)),
        ["gelsd s shorter than min(m, n)"] = Rejection.Argument("s", p => Lapack.Gelsd(4, 2, 1, p.Take(8), 2, p.Take(4), 1, p.Take(1), -1)),
        ["gelsd rcond NaN"] = Rejection.OutOfRange("rcond", p => Lapack.Gelsd(4, 2, 1, p.Take(8), 2, p.Take(4), 1, p.Take(2), double.NaN)),
        ["gelsd b overlaps a"] = Rejection.Argument("b", p => { var s = p.Take(11); Lapack.Gelsd(4, 2, 1, s.AsSpan(0, 8), 2, s.AsSpan(7, 4), 1, p.Take(2), -1); }),
        ["gelsd s overlaps a"] = Rejection.Argument("s", p => { var s = p.Take(9); Lapack.Gelsd(4, 2, 1, s.AsSpan(0, 8), 2, p.Take(4), 1, s.AsSpan(7, 2), -1); }),
        ["gelsd s overlaps b"] = Rejection.Argument("s", p => { var s = p.Take(5); Lapack.Gelsd(4, 2, 1, p.Take(8), 2, s.AsSpan(0, 4), 1, s.AsSpan(3, 2), -1); }),
        ["gelsd layout unknown"] = Rejection.OutOfRange("layout", p => Lapack.Gelsd((MatrixLayout)100, 4, 2, 1, p.Take(8), 2, p.Take(4), 1, p.Take(2), -1)),

        ["posv n < 0"] = Rejection.OutOfRange("n", p => Lapack.Posv(U, -1, 2, p.Take(9), 3, p.Take(6), 2)),
        ["posv nrhs < 0"] = Rejection.OutOfRange("nrhs", p => Lapack.Posv(U, 3, -1, p.Take(9), 3, p.Take(6), 2)),
        ["posv lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Posv(U, 3, 2, p.Take(9), 2, p.Take(6), 2)),
        ["posv ldb < nrhs"] = Rejection.OutOfRange("ldb", p => Lapack.Posv(U, 3, 2, p.Take(9), 3, p.Take(6), 1)),
        ["posv a too short"] = Rejection.Argument("a", p => Lapack.Posv(U, 3, 2, p.Take(8), 3, p.Take(6), 2)),
        ["posv b too short"] = Rejection.Argument("b", p => Lapack.Posv(U, 3, 2, p.Take(9), 3, p.Take(5), 2)),
        ["posv b overlaps a"] = Rejection.Argument("b", p => { var s = p.Take(14); Lapack.Posv(U, 3, 2, s.AsSpan(0, 9), 3, s.AsSpan(8, 6), 2); }),
        ["posv uplo unknown"] = Rejection.OutOfRange("uplo", p => Lapack.Posv((Triangle)0, 3, 2, p.Take(9), 3, p.Take(6), 2)),
        ["posv layout unknown"] = Rejection.OutOfRange("layout", p => Lapack.Posv((MatrixLayout)104, U, 3, 2, p.Take(9), 3, p.Take(6), 2)),

        ["potrf n < 0"] = Rejection.OutOfRange("n", p => Lapack.Potrf(U, -1, p.Take(9), 3)),
        ["potrf lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Potrf(U, 3, p.Take(9), 2)),
        ["potrf a too short"] = Rejection.Argument("a", p => Lapack.Potrf(U, 3, p.Take(8), 3)),
        ["potrf uplo unknown"] = Rejection.OutOfRange("uplo", p => Lapack.Potrf((Triangle)120, 3, p.Take(9), 3)),
        ["potrf layout unknown"] = Rejection.OutOfRange("layout", p => Lapack.Potrf((MatrixLayout)0, U, 3, p.Take(9), 3)),

        ["potrs n < 0"] = Rejection.OutOfRange("n", p => Lapack.Potrs(U, -1, 2, p.Take(9), 3, p.Take(6), 2)),
        ["potrs nrhs < 0"] = Rejection.OutOfRange("nrhs", p => Lapack.Potrs(U, 3, -1, p.Take(9), 3, p.Take(6), 2)),
        ["potrs lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Potrs(U, 3, 2, p.Take(9), 2, p.Take(6), 2)),
        ["potrs ldb < n (column-major)"] = Rejection.OutOfRange("ldb", p => Lapack.Potrs(MatrixLayout.ColumnMajor, U, 3, 2, p.Take(9), 3, p.Take(6), 2)),
        ["potrs factor too short"] = Rejection.Argument("factor", p => Lapack.Potrs(U, 3, 2, p.Take(8), 3, p.Take(6), 2)),
        ["potrs b too short"] = Rejection.Argument("b", p => Lapack.Potrs(U, 3, 2, p.Take(9), 3, p.Take(5), 2)),
        ["potrs b overlaps factor"] = Rejection.Argument("b", p => { var s = p.Take(12); Lapack.Potrs(U, 3, 2, s.AsSpan(0, 9), 3, s.AsSpan(6, 6), 2); }),
        ["potrs uplo unknown"] = Rejection.OutOfRange("uplo", p => Lapack.Potrs((Triangle)(-1), 3, 2, p.Take(9), 3, p.Take(6), 2)),

        ["gglse m < 0"] = Rejection.OutOfRange("m", p => Lapack.Gglse(-1, 2, 1, p.Take(6), 2, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(2))),
        ["gglse n < 0"] = Rejection.OutOfRange("n", p => Lapack.Gglse(3, -1, 1, p.Take(6), 2, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(2))),
        ["gglse p < 0"] = Rejection.OutOfRange("p", p => Lapack.Gglse(3, 2, -1, p.Take(6), 2, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(2))),
        ["gglse p > n"] = Rejection.Argument("n", p => Lapack.Gglse(3, 2, 3, p.Take(6), 2, p.Take(6), 2, p.Take(3), p.Take(3), p.Take(2))),
        ["gglse n > m + p"] = Rejection.Argument("n", p => Lapack.Gglse(0, 2, 1, p.Take(0), 2, p.Take(2), 2, p.Take(0), p.Take(1), p.Take(2))),
        ["gglse lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Gglse(3, 2, 1, p.Take(6), 1, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(2))),
        ["gglse ldb < p (column-major)"] = Rejection.OutOfRange("ldb", p => Lapack.Gglse(MatrixLayout.ColumnMajor, 3, 2, 2, p.Take(6), 3, p.Take(4), 1, p.Take(3), p.Take(2), p.Take(2))),
        ["gglse a too short"] = Rejection.Argument("a", p => Lapack.Gglse(3, 2, 1, p.Take(5), 2, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(2))),
        ["gglse b too short"] = Rejection.Argument("b", p => Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(1), 2, p.Take(3), p.Take(1), p.Take(2))),
        ["gglse c too short"] = Rejection.Argument("c", p => Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(2), 2, p.Take(2), p.Take(1), p.Take(2))),
        ["gglse d too short"] = Rejection.Argument("d", p => Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(2), 2, p.Take(3), p.Take(0), p.Take(2))),
        ["gglse x too short"] = Rejection.Argument("x", p => Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(1))),
        // Aliased operands made dgglse return a different, wrong x without any error.
        ["gglse b overlaps a"] = Rejection.Argument("b", p => { var s = p.Take(7); Lapack.Gglse(3, 2, 1, s.AsSpan(0, 6), 2, s.AsSpan(5, 2), 2, p.Take(3), p.Take(1), p.Take(2)); }),
        ["gglse d overlaps c"] = Rejection.Argument("d", p => { var s = p.Take(3); Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(2), 2, s, s.AsSpan(2, 1), p.Take(2)); }),
        ["gglse x overlaps c"] = Rejection.Argument("x", p => { var s = p.Take(3); Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(2), 2, s, p.Take(1), s.AsSpan(0, 2)); }),
        ["gglse x overlaps d"] = Rejection.Argument("x", p => { var s = p.Take(2); Lapack.Gglse(3, 2, 1, p.Take(6), 2, p.Take(2), 2, p.Take(3), s.AsSpan(0, 1), s); }),
        ["gglse x overlaps a"] = Rejection.Argument("x", p => { var s = p.Take(7); Lapack.Gglse(3, 2, 1, s.AsSpan(0, 6), 2, p.Take(2), 2, p.Take(3), p.Take(1), s.AsSpan(5, 2)); }),
        ["gglse layout unknown"] = Rejection.OutOfRange("layout", p => Lapack.Gglse((MatrixLayout)(-1), 3, 2, 1, p.Take(6), 2, p.Take(2), 2, p.Take(3), p.Take(1), p.Take(2))),

        ["syevd n < 0"] = Rejection.OutOfRange("n", p => Lapack.Syevd(true, U, -1, p.Take(9), 3, p.Take(3))),
        ["syevd lda < n"] = Rejection.OutOfRange("lda", p => Lapack.Syevd(true, U, 3, p.Take(9), 2, p.Take(3))),
        ["syevd a too short"] = Rejection.Argument("a", p => Lapack.Syevd(true, U, 3, p.Take(8), 3, p.Take(3))),
        ["syevd w too short"] = Rejection.Argument("w", p => Lapack.Syevd(false, U, 3, p.Take(9), 3, p.Take(2))),
        ["syevd w overlaps a"] = Rejection.Argument("w", p => { var s = p.Take(11); Lapack.Syevd(true, U, 3, s.AsSpan(0, 9), 3, s.AsSpan(8, 3)); }),
        ["syevd uplo unknown"] = Rejection.OutOfRange("uplo", p => Lapack.Syevd(true, (Triangle)7, 3, p.Take(9), 3, p.Take(3))),
        ["syevd layout unknown"] = Rejection.OutOfRange("layout", p => Lapack.Syevd((MatrixLayout)2, true, U, 3, p.Take(9), 3, p.Take(3))),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRejectedWithTheParameterNameBeforeAnyWrite(string name) => Cases[name].Verify();

    [Fact]
    public void EveryBaselineIsValid()
    {
        // The cases above are one-argument changes of these calls, which must succeed and compute.
        // gels: A = [1 0; 0 1; 1 0; 0 1], b = (1, 2, 3, 4): least squares x = (2, 3) (means of pairs).
        var b = new double[] { 1, 2, 3, 4 };
        Lapack.Gels(N, 4, 2, 1, [1, 0, 0, 1, 1, 0, 0, 1], 2, b, 1);
        Assert.Equal(2.0, b[0], 1e-14);
        Assert.Equal(3.0, b[1], 1e-14);
        // gelsd on the same system: same x, rank 2, singular values √2, √2.
        b = [1, 2, 3, 4];
        var s = new double[2];
        Assert.Equal(2, Lapack.Gelsd(4, 2, 1, [1, 0, 0, 1, 1, 0, 0, 1], 2, b, 1, s, -1));
        Assert.Equal(3.0, b[1], 1e-14);
        Assert.Equal(Math.Sqrt(2), s[0], 1e-14);
        // posv/potrf/potrs: 2·I·x = B → x = B/2.
        double[] twoI = [2, 0, 0, 0, 2, 0, 0, 0, 2];
        var x = new double[] { 2, 4, 6, 8, 10, 12 };
        Lapack.Posv(U, 3, 2, (double[])twoI.Clone(), 3, x, 2);
        for (int i = 0; i < 6; i++) Assert.Equal(i + 1.0, x[i], 1e-14);
        var factor = (double[])twoI.Clone();
        Lapack.Potrf(U, 3, factor, 3);
        Assert.Equal(Math.Sqrt(2), factor[0], 1e-15);
        x = [2, 4, 6, 8, 10, 12];
        Lapack.Potrs(U, 3, 2, factor, 3, x, 2);
        Assert.Equal(3.0, x[2], 1e-14);
        // gglse: min (1 − x₁)² + (1 − x₂)² (A = [1 0; 0 1; 0 0], c = 1) subject to x₁ + x₂ = 1: x = (½, ½).
        var xg = new double[2];
        Lapack.Gglse(3, 2, 1, [1, 0, 0, 1, 0, 0], 2, [1, 1], 2, [1, 1, 1], [1], xg);
        Assert.Equal(0.5, xg[0], 1e-14);
        Assert.Equal(0.5, xg[1], 1e-14);
        // syevd: diag(3, 1, 2) → 1, 2, 3.
        var w = new double[3];
        Lapack.Syevd(false, U, 3, [3, 0, 0, 0, 1, 0, 0, 0, 2], 3, w);
        for (int i = 0; i < 3; i++) Assert.Equal(i + 1.0, w[i], 1e-14);
    }
}
