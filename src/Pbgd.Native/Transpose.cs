namespace Pbgd.Native;

/// <summary>Whether an operand is used as stored or transposed (CBLAS <c>CBLAS_TRANSPOSE</c>).</summary>
public enum Transpose
{
    /// <summary>op(A) = A.</summary>
    NoTrans = 111,
    /// <summary>op(A) = Aᵀ.</summary>
    Trans = 112,
}
