using System.Runtime.InteropServices;

namespace Pbgd.Native.Interop;

/// LAPACKE entry points of libmkl_rt. LAPACK character arguments are single bytes ('N', 'T', 'U', 'L', 'V').
/// LAPACKE allocates its own workspace (native heap), so these calls allocate nothing managed.
internal static unsafe partial class Lapacke
{
    static Lapacke() => MklLibrary.EnsureResolver();

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dgels")]
    internal static partial int Dgels(int layout, byte trans, int m, int n, int nrhs, double* a, int lda,
        double* b, int ldb);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dgelsd")]
    internal static partial int Dgelsd(int layout, int m, int n, int nrhs, double* a, int lda, double* b,
        int ldb, double* s, double rcond, int* rank);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dposv")]
    internal static partial int Dposv(int layout, byte uplo, int n, int nrhs, double* a, int lda, double* b,
        int ldb);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dpotrf")]
    internal static partial int Dpotrf(int layout, byte uplo, int n, double* a, int lda);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dpotrs")]
    internal static partial int Dpotrs(int layout, byte uplo, int n, int nrhs, double* a, int lda, double* b,
        int ldb);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dpotri")]
    internal static partial int Dpotri(int layout, byte uplo, int n, double* a, int lda);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dgglse")]
    internal static partial int Dgglse(int layout, int m, int n, int p, double* a, int lda, double* b, int ldb,
        double* c, double* d, double* x);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "LAPACKE_dsyevd")]
    internal static partial int Dsyevd(int layout, byte jobz, byte uplo, int n, double* a, int lda, double* w);
}
