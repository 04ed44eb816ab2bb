/* One PBGD-B iteration of squared-loss hyper-cleaning (docs/algorithms.md §3-4) in C against MKL, with the same
 * formulation and calls as Pbgd.Managed: v-step and W*(u) by QR (dgels) on stacked, sqrt-weighted rows;
 * f, g(u,v), g(u,W*) and their gradients by dgemm; a projected u-step. Row-major throughout.
 * The caller owns every buffer (sizes in pbgd_reference_workspace), so the iteration allocates nothing. */
#include <math.h>
#include <string.h>
#include "mkl_minimal.h"

static double sigmoid(double u) { return u >= 0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u)); }

/* Doubles of workspace needed. */
long pbgd_reference_workspace(int n, int nval, int m, int c)
{
    long rows = (long)nval + n;
    return rows * m + rows * c + 3L * n * c + (long)nval * c + 4L * m * c + m;
}

static double residual(int rows, int m, int c, const double *x, const double *y, const double *w, double *r)
{
    memcpy(r, y, sizeof(double) * (size_t)rows * c);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, c, m, -1.0, x, m, w, c, 1.0, r, c);
    double s = 0;
    for (long k = 0; k < (long)rows * c; k++) s += r[k] * r[k];
    return 0.5 * s;
}

/* Weighted least squares: rows [x_val (if nval > 0); sqrt(scale*psi_i) x_i] -> solution (m x c). */
static int solve(int n, int nval, int m, int c, const double *xtr, const double *ytr, const double *xval,
                 const double *yval, const double *u, double scale, double *a, double *b, double *sol)
{
    long row = 0;
    if (nval > 0) {
        memcpy(a, xval, sizeof(double) * (size_t)nval * m);
        memcpy(b, yval, sizeof(double) * (size_t)nval * c);
        row = nval;
    }
    for (int i = 0; i < n; i++, row++) {
        double s = sqrt(scale * sigmoid(u[i]));
        for (int j = 0; j < m; j++) a[row * m + j] = s * xtr[(long)i * m + j];
        for (int j = 0; j < c; j++) b[row * c + j] = s * ytr[(long)i * c + j];
    }
    int info = LAPACKE_dgels(CblasRowMajor, 'N', (int)row, m, c, a, m, b, c);
    memcpy(sol, b, sizeof(double) * (size_t)m * c);
    return info;
}

/* One iteration at penalty gamma and step alpha; u (n) and w (m x c) are updated in place.
 * Returns L_gamma at (u^k, v^{k+1}), or NAN when a solve fails. */
double pbgd_reference_iteration(int n, int nval, int m, int c, const double *xtr, const double *ytr,
                                const double *xval, const double *yval, double gamma, double alpha, double radius,
                                double *u, double *w, double *work)
{
    long rows = (long)nval + n;
    double *a = work, *b = a + rows * m, *res = b + rows * c, *resstar = res + (long)n * c;
    double *resval = resstar + (long)n * c, *wstar = resval + (long)nval * c, *gradw = wstar + (long)m * c;
    double *weighted = gradw + (long)m * c, *gradg = weighted + (long)n * c, *gradgstar = gradg + (long)m * c;
    if (solve(n, nval, m, c, xtr, ytr, xval, yval, u, gamma, a, b, w) != 0) return NAN;   /* v-step */
    if (solve(n, 0, m, c, xtr, ytr, xval, yval, u, 1.0, a, b, wstar) != 0) return NAN;   /* oracle */
    double f = residual(nval, m, c, xval, yval, w, resval);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, c, nval, -1.0, xval, m, resval, c, 0.0, gradw, c);
    residual(n, m, c, xtr, ytr, w, res);
    residual(n, m, c, xtr, ytr, wstar, resstar);
    double g = 0, gstar = 0;
    for (int i = 0; i < n; i++) {
        double rr = 0, rs = 0;
        for (int j = 0; j < c; j++) { rr += res[(long)i * c + j] * res[(long)i * c + j]; rs += resstar[(long)i * c + j] * resstar[(long)i * c + j]; }
        double psi = sigmoid(u[i]);
        g += 0.5 * psi * rr;
        gstar += 0.5 * psi * rs;
        double du = gamma * 0.5 * psi * (1 - psi) * (rr - rs);
        double next = u[i] - alpha * du;
        u[i] = next < -radius ? -radius : (next > radius ? radius : next);
        for (int j = 0; j < c; j++) { weighted[(long)i * c + j] = psi * res[(long)i * c + j]; resstar[(long)i * c + j] *= psi; }
    }
    /* grad_W g at v and at w* (the managed solver logs both: the v-block gradient and the oracle residual) */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, c, n, -1.0, xtr, m, weighted, c, 0.0, gradg, c);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, c, n, -1.0, xtr, m, resstar, c, 0.0, gradgstar, c);
    return f + gamma * (g - gstar);
}
