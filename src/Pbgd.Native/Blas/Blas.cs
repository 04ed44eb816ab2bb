namespace Pbgd.Native;

/// <summary>
/// Validated, span-based BLAS (MKL CBLAS). Inputs are <see cref="ReadOnlySpan{T}"/>, the output comes last;
/// dimensions and leading dimensions are explicit and checked before the native call; matrices are
/// row-major unless a <see cref="MatrixLayout"/> is passed first. No call allocates managed memory.
/// </summary>
public static unsafe partial class Blas
{
}
