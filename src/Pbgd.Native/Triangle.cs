namespace Pbgd.Native;

/// <summary>Which triangle of a symmetric matrix is referenced (CBLAS <c>CBLAS_UPLO</c>).</summary>
public enum Triangle
{
    /// <summary>The upper triangle.</summary>
    Upper = 121,
    /// <summary>The lower triangle.</summary>
    Lower = 122,
}
