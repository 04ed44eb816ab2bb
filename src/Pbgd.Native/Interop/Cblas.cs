using System.Runtime.InteropServices;

namespace Pbgd.Native.Interop;

/// CBLAS entry points of libmkl_rt (LP64: MKL_INT is 32-bit). Enums are passed as their C int values.
/// Internal: callers go through <see cref="Blas"/>, which validates every size first.
internal static unsafe partial class Cblas
{
    static Cblas() => MklLibrary.EnsureResolver();

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_dgemm")]
    internal static partial void Dgemm(int layout, int transA, int transB, int m, int n, int k,
        double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_dgemv")]
    internal static partial void Dgemv(int layout, int trans, int m, int n, double alpha, double* a, int lda,
        double* x, int incx, double beta, double* y, int incy);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_dsyrk")]
    internal static partial void Dsyrk(int layout, int uplo, int trans, int n, int k, double alpha, double* a,
        int lda, double beta, double* c, int ldc);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_ssyrk")]
    internal static partial void Ssyrk(int layout, int uplo, int trans, int n, int k, float alpha, float* a,
        int lda, float beta, float* c, int ldc);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_daxpy")]
    internal static partial void Daxpy(int n, double alpha, double* x, int incx, double* y, int incy);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_ddot")]
    internal static partial double Ddot(int n, double* x, int incx, double* y, int incy);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_dnrm2")]
    internal static partial double Dnrm2(int n, double* x, int incx);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "cblas_dscal")]
    internal static partial void Dscal(int n, double alpha, double* x, int incx);
}
