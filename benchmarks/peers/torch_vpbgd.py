"""PyTorch peer: the V-PBGD protocol's iteration on hyper-cleaning with a multinomial logistic model, as a PyTorch
user would write it (autograd, F.cross_entropy), doing the same work as `pbgd hyperclean --protocol vpbgd`:

  l_i(W, b) = logsumexp(W^T x_i + b) - (W^T x_i + b)_{y_i}
  g(u, W, b) = (1/N) sum_i sigmoid(u_i) l_i        f(W, b) = (1/N') sum_j l_j^val        u in [-R, R]^N

PBGD-J with one warm-started oracle step per iteration (omega <- omega - beta grad_v g(u, omega), beta = 0.01), then
at (u, v, omega):  L = f(v) + gamma (g(u, v) - g(u, omega))  with omega held fixed;  u <- clamp(u - alpha dL/du),
v <- v - alpha dL/dv, both from the same point. gamma_k = 0.2 min(1, k/30000), alpha_k = 0.1 min(1, 1/gamma_k),
u0 = 0, v0 = omega0 = 0. Iteration k is recorded after its evaluation (f, g, g(u, omega), L), test accuracy and
cleaning F1 every --log-every iterations, as Pbgd records them.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from peer_common import Split, Trajectory, blas_report, clock, cleaning_f1, write_json, write_matrix  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder of the exported vpbgd split (PBGDMAT1 files)")
    p.add_argument("--out", required=True)
    p.add_argument("--iterations", type=int, default=40000)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--gamma-end", type=float, default=0.2)
    p.add_argument("--ramp", type=int, default=30000)
    p.add_argument("--step", type=float, default=0.1)
    p.add_argument("--oracle-step", type=float, default=0.01)
    p.add_argument("--radius", type=float, default=10.0)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)

    torch.set_num_threads(a.threads)
    dtype = torch.float64 if a.dtype == "float64" else torch.float32
    s = Split(a.data)
    X = torch.from_numpy(s.x_train).to(dtype).contiguous()
    y = torch.from_numpy(s.labels_train)
    Xv = torch.from_numpy(s.x_val).to(dtype).contiguous()
    yv = torch.from_numpy(s.labels_val)
    Xt = torch.from_numpy(s.x_test).to(dtype).contiguous()
    yt = torch.from_numpy(s.labels_test)
    n, m = X.shape
    c = int(s.y_train.shape[1])

    u = torch.zeros(n, dtype=dtype, requires_grad=True)
    W = torch.zeros(m, c, dtype=dtype, requires_grad=True)
    b = torch.zeros(c, dtype=dtype, requires_grad=True)
    Wo = torch.zeros(m, c, dtype=dtype, requires_grad=True)
    bo = torch.zeros(c, dtype=dtype, requires_grad=True)

    def losses(x, labels, w, bias):
        return F.cross_entropy(x @ w + bias, labels, reduction="none")

    def metrics():
        with torch.no_grad():
            acc = (torch.argmax(Xt @ W + b, dim=1) == yt).to(torch.float64).mean().item()
        return acc, cleaning_f1(u.detach().numpy(), s.clean)

    trajectory = Trajectory()
    # Warm-up outside the clock (Pbgd's clock starts after its solver's setup too): first-call paths of autograd.
    losses(X[:8], y[:8], W, b).sum().backward()
    for t in (u, W, b):
        t.grad = None
    t0 = clock()
    for k in range(a.iterations + 1):
        gamma = a.gamma_end * min(1.0, k / a.ramp)
        alpha = a.step * (min(1.0, 1.0 / gamma) if gamma > 0 else 1.0)
        # Oracle: one warm-started gradient step on g(u, .) at omega.
        psi = torch.sigmoid(u.detach())
        g_omega = (psi * losses(X, y, Wo, bo)).mean()
        gWo, gbo = torch.autograd.grad(g_omega, (Wo, bo))
        with torch.no_grad():
            Wo -= a.oracle_step * gWo
            bo -= a.oracle_step * gbo
        # The penalized objective at (u, v) with omega fixed, and its gradients in u and v.
        f = losses(Xv, yv, W, b).mean()
        psi = torch.sigmoid(u)
        g = (psi * losses(X, y, W, b)).mean()
        with torch.no_grad():
            l_omega = losses(X, y, Wo, bo)
        g_star = (psi * l_omega).mean()
        L = f + gamma * (g - g_star)
        du, dW, db = torch.autograd.grad(L, (u, W, b))
        seconds = clock() - t0
        logged = k % a.log_every == 0 or k == a.iterations
        row = dict(iteration=k, seconds=seconds, gamma=gamma, step=alpha, upper=f.item(), lower=g.item(),
                   lower_optimal=g_star.item(), penalized=L.item())
        if logged:
            acc, f1 = metrics()
            row.update(test_accuracy=acc, clean_f1=f1)
            trajectory.add(**row)
        if k == a.iterations:
            break
        with torch.no_grad():
            u -= alpha * du
            u.clamp_(-a.radius, a.radius)
            W -= alpha * dW
            b -= alpha * db

    trajectory.write(os.path.join(a.out, "trajectory.csv"))
    write_matrix(os.path.join(a.out, "u.f64"), u.detach().to(torch.float64).numpy().reshape(-1, 1))
    v = torch.cat([W.detach().reshape(-1), b.detach()]).to(torch.float64).numpy().reshape(-1, c)
    write_matrix(os.path.join(a.out, "v.f64"), v)
    report = blas_report()
    report.update(peer="pytorch", torch=torch.__version__, dtype=a.dtype, threads=torch.get_num_threads(),
                  torch_config=torch.__config__.show(), torch_parallel=torch.__config__.parallel_info(),
                  iterations=a.iterations, seconds=trajectory.rows[-1][1])
    write_json(os.path.join(a.out, "info.json"), report)


if __name__ == "__main__":
    main()
