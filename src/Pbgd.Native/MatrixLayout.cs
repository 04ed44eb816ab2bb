namespace Pbgd.Native;

/// <summary>How a matrix is stored in its span (CBLAS/LAPACKE <c>matrix_layout</c>).</summary>
public enum MatrixLayout
{
    /// <summary>Row-major: element (i, j) at <c>i * ld + j</c>. The default of every wrapper.</summary>
    RowMajor = 101,
    /// <summary>Column-major (Fortran): element (i, j) at <c>i + j * ld</c>.</summary>
    ColumnMajor = 102,
}
