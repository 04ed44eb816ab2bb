namespace Pbgd.Native;

/// <summary>
/// Validated, span-based LAPACK (MKL LAPACKE). Matrices are row-major unless a <see cref="MatrixLayout"/> is
/// passed first; every size is checked before the native call, and a failing <c>info</c> becomes a
/// <see cref="LapackException"/> subtype. Workspace is allocated by LAPACKE on the native heap.
/// </summary>
public static unsafe partial class Lapack
{
}
