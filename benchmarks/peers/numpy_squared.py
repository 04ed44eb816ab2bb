"""numpy/scipy peers of squared-loss hyper-cleaning ([XC24]'s model, `pbgd hyperclean` with the default preset):

  g(u, W) = 1/2 sum_i psi(u_i) ||y_i - W^T x_i||^2 + 1/2 lam ||W||^2      f(W) = 1/2 ||Y_val - X_val W||^2
  u in [-R, R]^N, psi = sigmoid, gamma = 10.

Exact solves as a careful numpy user would write them: the Gram matrix X^T Psi X of the sqrt(psi)-scaled rows
(numpy's A.T @ A, which numpy hands to BLAS syrk), then Cholesky. On MNIST scipy.linalg.cho_factor fails (besides the
all-zero pixel columns, a dozen non-zero pixel columns are exactly dependent: rank 644 of 785), so the solves use
LAPACK's rank-revealing pivoted Cholesky (scipy.linalg.lapack.dpstrf, pivots below 1e-14 of the largest diagonal entry
treated as zero, Pbgd's threshold for dropping columns): the columns beyond the numerical rank get zero weights, as
Pbgd gives zero weights to all-zero columns. Both solves of an iteration share
one Gram matrix:

  W*(u):              (X^T Psi X + lam I) W = X^T Psi Y
  W_gamma(u):         (X_val^T X_val + gamma (X^T Psi X + lam I)) W = X_val^T Y_val + gamma X^T Psi Y

  phi_gamma(u) = min_W L_gamma(u, W) = f(W_gamma) + gamma (g(u, W_gamma) - g(u, W*))
  grad phi_gamma(u)_i = (gamma/2) psi'(u_i) (||y_i - W_gamma^T x_i||^2 - ||y_i - W*^T x_i||^2)

--method pbgd-b: PBGD-B with exact v-step and exact g* (Pbgd's PbgdBlockwise + ExactLowerLevelOracle): at iteration k
v = W_gamma(u), omega = W*(u), record f, g, g*, L = phi_gamma(u), then u <- clip(u - alpha grad, -R, R) with Pbgd's
step alpha = 1/(gamma l_gu), l_gu = (psi''max/2 + 1/4) max(max_i ||r_i(W*(u0))||^2, max_i ||y_i||^2) (EstimateSmoothness
at u0, v0 = 0; psi''max = 1/(6 sqrt 3)).
--method lbfgs: scipy.optimize.minimize(method="L-BFGS-B") on phi_gamma with box bounds [-R, R]; one row per evaluation.
--eval-u FILE: phi_gamma and its parts at the u in FILE (PBGDMAT1, N x 1) only (the agreement check).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg as sl  # noqa: E402
from scipy.linalg import lapack  # noqa: E402
from scipy.special import expit  # noqa: E402

from peer_common import (Split, Trajectory, accuracy, blas_report, clock, cleaning_f1, read_matrix,  # noqa: E402
                         write_json, write_matrix)

PSI_MAX_SECOND_DERIVATIVE = 1.0 / (6.0 * np.sqrt(3.0))
RANK_TOLERANCE = 1e-14


class SquaredModel:
    def __init__(self, split, gamma, ridge=0.0):
        self.s = split
        self.X, self.Y = split.x_train, split.y_train
        self.Xv, self.Yv = split.x_val, split.y_val
        self.gamma, self.ridge = gamma, ridge
        self.n, self.m = self.X.shape
        # The validation block does not depend on u: once.
        self.Gv = self.Xv.T @ self.Xv
        self.Bv = self.Xv.T @ self.Yv
        self.solves = 0
        self.ranks = []

    def gram(self, psi):
        s = np.sqrt(psi)[:, None]
        Xs = self.X * s
        return Xs.T @ Xs, Xs.T @ (self.Y * s)

    def solve(self, A, B):
        """Pivoted (rank-revealing) Cholesky solve of the symmetric positive semi-definite A W = B."""
        # Rank tolerance: 1e-14 of the largest diagonal entry, the threshold below which Pbgd's normal equations drop
        # a column. LAPACK's default (N eps max diag, 1.7e-13 here) drops a direction that matters on MNIST
        # (phi_gamma off by ~1e-5 relative against the SVD solution).
        c, piv, rank, info = lapack.dpstrf(A, tol=RANK_TOLERANCE * np.max(np.diag(A)), lower=0)
        if info < 0:
            raise ValueError(f"dpstrf: argument {-info} is invalid")
        p = piv[:rank] - 1
        R = c[:rank, :rank]
        z = sl.solve_triangular(R, B[p], trans="T", lower=False, check_finite=False)
        W = np.zeros((A.shape[0], B.shape[1]))
        W[p] = sl.solve_triangular(R, z, lower=False, check_finite=False)
        self.solves += 1
        self.ranks.append(int(rank))
        return W

    def lower_solution(self, psi, G=None, B=None):
        if G is None:
            G, B = self.gram(psi)
        A = G + self.ridge * np.eye(self.m) if self.ridge else G
        return self.solve(A, B)

    def evaluate(self, u):
        """phi_gamma(u), its gradient and the parts: f, g(u, W_gamma), g(u, W*), W_gamma."""
        psi = expit(u)
        G, B = self.gram(psi)
        gam, lam = self.gamma, self.ridge
        A = self.Gv + gam * G
        if lam:
            A = A + gam * lam * np.eye(self.m)
        V = self.solve(A, self.Bv + gam * B)
        Ws = self.lower_solution(psi, G, B)
        Rv = self.Yv - self.Xv @ V
        f = 0.5 * np.sum(Rv * Rv)
        R1 = self.Y - self.X @ V
        r1 = np.sum(R1 * R1, axis=1)
        R2 = self.Y - self.X @ Ws
        r2 = np.sum(R2 * R2, axis=1)
        g = 0.5 * np.dot(psi, r1) + (0.5 * lam * np.sum(V * V) if lam else 0.0)
        gs = 0.5 * np.dot(psi, r2) + (0.5 * lam * np.sum(Ws * Ws) if lam else 0.0)
        grad = gam * 0.5 * psi * (1.0 - psi) * (r1 - r2)
        return f + gam * (g - gs), grad, f, g, gs, V

    def step_size(self, u0):
        """Pbgd's PBGD-B u-step 1/(l_f,u + gamma l_g,u) with l_f,u = 0 (EstimateSmoothness at u0, v0 = 0)."""
        psi = expit(u0)
        Ws = self.lower_solution(psi)
        R = self.Y - self.X @ Ws
        max_row = max(np.max(np.sum(R * R, axis=1)), np.max(np.sum(self.Y * self.Y, axis=1)))
        lower_in_u = (0.5 * PSI_MAX_SECOND_DERIVATIVE + 0.25) * max(max_row, 1e-12)
        return 1.0 / (self.gamma * lower_in_u)

    def test_accuracy(self, V):
        return accuracy(self.s.x_test @ V, self.s.labels_test)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder of the exported default split (PBGDMAT1 files)")
    p.add_argument("--out", required=True)
    p.add_argument("--method", choices=["pbgd-b", "lbfgs"], default="pbgd-b")
    p.add_argument("--iterations", type=int, default=100, help="PBGD-B iterations, or L-BFGS-B's maxiter")
    p.add_argument("--max-evaluations", type=int, default=300, help="L-BFGS-B's maxfun")
    p.add_argument("--log-every", type=int, default=1)
    p.add_argument("--gamma", type=float, default=10.0)
    p.add_argument("--ridge", type=float, default=0.0)
    p.add_argument("--radius", type=float, default=10.0)
    p.add_argument("--eval-u", help="only evaluate phi_gamma at this u (PBGDMAT1 N x 1) and write phi.json")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    s = Split(a.data)
    model = SquaredModel(s, a.gamma, a.ridge)
    info = blas_report()
    info.update(peer="numpy", scipy=scipy.__version__, method=a.method)

    if a.eval_u:
        u = read_matrix(a.eval_u)[:, 0]
        phi, grad, f, g, gs, V = model.evaluate(u)
        # The gradient formula L-BFGS-B relies on, against a central difference along the gradient direction.
        d = grad / np.linalg.norm(grad)
        h = 1e-3
        difference = (model.evaluate(u + h * d)[0] - model.evaluate(u - h * d)[0]) / (2 * h)
        derivative_error = abs(difference - np.dot(grad, d)) / abs(np.dot(grad, d))
        write_json(os.path.join(a.out, "phi.json"), dict(phi=phi, upper=f, lower=g, lower_optimal=gs,
                                                         directional_derivative_relative_error=derivative_error,
                                                         grad_norm=float(np.linalg.norm(grad)), ranks=model.ranks,
                                                         test_accuracy=model.test_accuracy(V),
                                                         clean_f1=cleaning_f1(u, s.clean)))
        write_json(os.path.join(a.out, "info.json"), info)
        return

    trajectory = Trajectory()
    u = np.zeros(model.n)
    if a.method == "pbgd-b":
        # Pbgd estimates its smoothness before its clock starts (PbgdSolver.Init): so does the peer.
        alpha = model.step_size(u)
        t0 = clock()
        for k in range(a.iterations + 1):
            phi, grad, f, g, gs, V = model.evaluate(u)
            seconds = clock() - t0
            if k % a.log_every == 0 or k == a.iterations:
                trajectory.add(iteration=k, seconds=seconds, gamma=a.gamma, step=alpha, upper=f, lower=g,
                               lower_optimal=gs, penalized=phi, test_accuracy=model.test_accuracy(V),
                               clean_f1=cleaning_f1(u, s.clean))
            if k == a.iterations:
                break
            u = np.clip(u - alpha * grad, -a.radius, a.radius)
        final_v = V
        info.update(step=alpha)
    else:
        from scipy.optimize import minimize
        state = dict(k=0, best=np.inf, v=None)
        t0 = clock()

        def fun(x):
            phi, grad, f, g, gs, V = model.evaluate(x)
            seconds = clock() - t0
            k = state["k"]
            state["k"] = k + 1
            if phi < state["best"]:
                state.update(best=phi, v=V, u=x.copy())
            trajectory.add(iteration=k, seconds=seconds, gamma=a.gamma, upper=f, lower=g, lower_optimal=gs,
                           penalized=phi, test_accuracy=model.test_accuracy(V), clean_f1=cleaning_f1(x, s.clean))
            return phi, grad

        result = minimize(fun, u, jac=True, method="L-BFGS-B", bounds=[(-a.radius, a.radius)] * model.n,
                          options=dict(maxiter=a.iterations, maxfun=a.max_evaluations, ftol=1e-15, gtol=1e-12,
                                       maxcor=10))
        u, final_v = state["u"], state["v"]
        info.update(lbfgs=dict(message=str(result.message), nit=int(result.nit), nfev=int(result.nfev),
                               fun=float(result.fun), success=bool(result.success)))
    trajectory.write(os.path.join(a.out, "trajectory.csv"))
    write_matrix(os.path.join(a.out, "u.f64"), u.reshape(-1, 1))
    write_matrix(os.path.join(a.out, "v.f64"), final_v)
    info.update(solves=model.solves, ranks=sorted(set(model.ranks)), seconds=trajectory.rows[-1][1])
    write_json(os.path.join(a.out, "info.json"), info)


if __name__ == "__main__":
    main()
