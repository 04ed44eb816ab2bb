/* The MKL prototypes this baseline uses, declared by hand: Debian's libmkl-rt ships no headers, and the
 * header package (libmkl-dev) is large for three declarations. Signatures as in MKL's mkl_cblas.h / mkl_lapacke.h
 * (LP64 interface: MKL_INT and lapack_int are 32-bit). */
#ifndef PBGD_MKL_MINIMAL_H
#define PBGD_MKL_MINIMAL_H
enum { CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 };
void cblas_dgemm(int layout, int transa, int transb, int m, int n, int k, double alpha, const double *a, int lda,
                 const double *b, int ldb, double beta, double *c, int ldc);
int LAPACKE_dgels(int layout, char trans, int m, int n, int nrhs, double *a, int lda, double *b, int ldb);
int LAPACKE_dgelsd(int layout, int m, int n, int nrhs, double *a, int lda, double *b, int ldb, double *s,
                   double rcond, int *rank);
#endif
