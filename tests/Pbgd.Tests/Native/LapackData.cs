using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// Shared pieces of the LAPACK tests: operands as dense references and as padded storage.
internal static class LapackData
{
    internal static readonly MatrixLayout[] Layouts = [MatrixLayout.RowMajor, MatrixLayout.ColumnMajor];

    /// op(A) as a dense matrix.
    internal static double[,] Op(Strided a, Transpose t) =>
        t == Transpose.NoTrans ? a.ToDense() : ManagedLapack.Transposed(a.ToDense());

    /// A finite value for the spare rows of an under-determined system's B (LAPACK overwrites them without
    /// reading them; LAPACKE's NaN check would reject a NaN sentinel there). If read, results go far off.
    internal const double Junk = 12345.678;

    /// B with `rows` ≥ b's rows (LAPACK's max(m, n)×nrhs right-hand side): b on top, <see cref="Junk"/> below.
    internal static Strided RightHandSide(double[,] b, int rows, MatrixLayout layout, int pad) =>
        Strided.Create(layout, rows, b.GetLength(1), pad, (i, j) => i < b.GetLength(0) ? b[i, j] : Junk);

    internal static double Norm(double[,] a) => ManagedLapack.Frobenius(a);

    /// A symmetric matrix stored with only the `uplo` triangle set; the other triangle holds NaN sentinels,
    /// which LAPACK must not read.
    internal static Strided Symmetric(double[,] s, Triangle uplo, MatrixLayout layout, int pad) =>
        Strided.Create(layout, s.GetLength(0), s.GetLength(1), pad,
            (i, j) => (uplo == Triangle.Upper ? j >= i : j <= i) ? s[i, j] : Strided.Sentinel);
}
