using Pbgd.Problems;

namespace Pbgd.Tests.UpperSteps;

/// <summary>
/// A user's own problem, written as a user would against the public interfaces: two ridge weights, one per feature
/// group, tuned on validation data. u ∈ [−6, 4]² (log-weights), v = vec(W) (m×c row-major):
/// <code>
/// g(u, W) = ½‖Y − XW‖² + ½ Σ_j e^{u_{grp(j)}} ‖W_j‖²      f(W) = ½‖Y_val − X_val W‖²
/// </code>
/// Exact lower level and exact penalized v-step by plain-loop Cholesky on the m×m normal equations (independent of MKL).
/// </summary>
internal sealed class GroupRidgeProblem : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel
{
    internal const double Low = -6, High = 4;
    private readonly double[,] _x, _y, _xv, _yv;
    private readonly int _n, _nv, _m, _c, _split;

    internal GroupRidgeProblem(int seed, int n = 40, int nv = 30, int m = 6, int c = 2)
    {
        var random = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        (_n, _nv, _m, _c, _split) = (n, nv, m, c, m / 2);
        // The first group carries the signal, the second mostly noise: the best weights differ by group.
        var wTrue = new double[m, c];
        for (int j = 0; j < m; j++)
            for (int q = 0; q < c; q++) wTrue[j, q] = j < _split ? Gauss() : 0.05 * Gauss();
        (_x, _y) = Draw(n, 0.8);
        (_xv, _yv) = Draw(nv, 0.3);
        (double[,], double[,]) Draw(int rows, double noise)
        {
            var x = new double[rows, m];
            var y = new double[rows, c];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < m; j++) x[i, j] = Gauss();
                for (int q = 0; q < c; q++)
                {
                    double s = noise * Gauss();
                    for (int j = 0; j < m; j++) s += x[i, j] * wTrue[j, q];
                    y[i, q] = s;
                }
            }
            return (x, y);
        }
    }

    public int UpperDimension => 2;

    public int LowerDimension => _m * _c;

    private int Group(int j) => j < _split ? 0 : 1;

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV) =>
        Residual(_xv, _yv, _nv, v, gradU, gradV);

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double value = Residual(_x, _y, _n, v, Span<double>.Empty, gradV);
        if (!gradU.IsEmpty) gradU.Clear();
        for (int j = 0; j < _m; j++)
        {
            double w = Math.Exp(u[Group(j)]), norm = 0;
            for (int q = 0; q < _c; q++)
            {
                norm += v[j * _c + q] * v[j * _c + q];
                if (!gradV.IsEmpty) gradV[j * _c + q] += w * v[j * _c + q];
            }
            value += 0.5 * w * norm;
            if (!gradU.IsEmpty) gradU[Group(j)] += 0.5 * w * norm;
        }
        return value;
    }

    // ½‖Y − XW‖² with ∇_W = −Xᵀ(Y − XW); ∇_u of it is zero.
    private double Residual(double[,] x, double[,] y, int rows, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        if (!gradU.IsEmpty) gradU.Clear();
        if (!gradV.IsEmpty) gradV.Clear();
        double value = 0;
        for (int i = 0; i < rows; i++)
            for (int q = 0; q < _c; q++)
            {
                double r = y[i, q];
                for (int j = 0; j < _m; j++) r -= x[i, j] * v[j * _c + q];
                value += 0.5 * r * r;
                if (!gradV.IsEmpty)
                    for (int j = 0; j < _m; j++) gradV[j * _c + q] -= x[i, j] * r;
            }
        return value;
    }

    public void ProjectUpper(Span<double> u)
    {
        for (int i = 0; i < u.Length; i++) u[i] = Math.Clamp(u[i], Low, High);
    }

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        // ℓ_f = ‖X_val‖₂² ≤ ‖X_val‖_F², ℓ_g in W ≤ ‖X‖_F² + e^High; in u the weights' curvature ½e^u‖W_g‖² (bounded on
        // the box by the norm of the unregularised solution).
        double fro(double[,] a) { double s = 0; foreach (double z in a) s += z * z; return s; }
        double lowerInV = fro(_x) + Math.Exp(High);
        return new Smoothness(fro(_xv), lowerInV + Math.Exp(High), lowerInV, IsLocal: false, UpperInU: 0, LowerInU: Math.Exp(High));
    }

    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        Solve(u, 0, 1, vStar);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, _m, true);
    }

    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        Solve(u, 1, gamma, v);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, _m, true);
    }

    /// <summary>F(u) = f(W*(u)), the nested objective the grid search minimises.</summary>
    internal double Nested(ReadOnlySpan<double> u)
    {
        var w = new double[_m * _c];
        Solve(u, 0, 1, w);
        return Upper(u, w, default, default);
    }

    /// <summary>φ_γ(u) = f(v_γ) + γ(g(u, v_γ) − g(u, W*(u))), with both solves by the plain-loop Cholesky.</summary>
    internal double Reduced(ReadOnlySpan<double> u, double gamma)
    {
        var v = new double[_m * _c];
        var w = new double[_m * _c];
        Solve(u, 1, gamma, v);
        Solve(u, 0, 1, w);
        return Upper(u, v, default, default) + gamma * (Lower(u, v, default, default) - Lower(u, w, default, default));
    }

    // (a·X_valᵀX_val + b·(XᵀX + D(u))) W = a·X_valᵀY_val + b·XᵀY, by a plain Cholesky.
    private void Solve(ReadOnlySpan<double> u, double a, double b, Span<double> w)
    {
        var A = new double[_m, _m];
        var B = new double[_m, _c];
        void Add(double[,] x, double[,] y, int rows, double s)
        {
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < _m; j++)
                {
                    for (int k = 0; k < _m; k++) A[j, k] += s * x[i, j] * x[i, k];
                    for (int q = 0; q < _c; q++) B[j, q] += s * x[i, j] * y[i, q];
                }
        }
        if (a != 0) Add(_xv, _yv, _nv, a);
        Add(_x, _y, _n, b);
        for (int j = 0; j < _m; j++) A[j, j] += b * Math.Exp(u[Group(j)]);
        for (int j = 0; j < _m; j++)
        {
            for (int k = 0; k < j; k++) A[j, j] -= A[j, k] * A[j, k];
            A[j, j] = Math.Sqrt(A[j, j]);
            for (int i = j + 1; i < _m; i++)
            {
                for (int k = 0; k < j; k++) A[i, j] -= A[i, k] * A[j, k];
                A[i, j] /= A[j, j];
            }
        }
        for (int q = 0; q < _c; q++)
        {
            var z = new double[_m];
            for (int j = 0; j < _m; j++)
            {
                double s = B[j, q];
                for (int k = 0; k < j; k++) s -= A[j, k] * z[k];
                z[j] = s / A[j, j];
            }
            for (int j = _m - 1; j >= 0; j--)
            {
                double s = z[j];
                for (int k = j + 1; k < _m; k++) s -= A[k, j] * w[k * _c + q];
                w[j * _c + q] = s / A[j, j];
            }
        }
    }
}
