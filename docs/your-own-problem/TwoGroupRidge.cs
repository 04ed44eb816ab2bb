using Pbgd.Kernels;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace MyProblems;

/// <summary>
/// Two ridge weights, one per feature group, tuned on validation data. u = (u₀, u₁) ∈ [−6, 4]² are log-weights,
/// v = vec(W) is an m×c model stored row-major, and
///   g(u, W) = ½‖Y − XW‖² + ½ Σ_j e^{u_grp(j)} ‖W_j‖²      (fit the training data, a ridge penalty per group)
///   f(u, W) = ½‖Y_val − X_val W‖²                          (do well on the validation data).
/// </summary>
public sealed class TwoGroupRidge : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel
{
    public const double Low = -6, High = 4;
    private readonly int _n, _nv, _m, _c, _split;
    private readonly double[] _x, _y, _xv, _yv;                     // X (n×m), Y (n×c), X_val, Y_val; row-major
    private readonly double[] _gram, _cross, _gramVal, _crossVal;   // XᵀX, XᵀY, X_valᵀX_val, X_valᵀY_val
    private readonly double[] _residual, _residualVal, _a, _b;      // work buffers, allocated once
    private readonly double _lowerInU;

    public TwoGroupRidge(double[] x, double[] y, double[] xVal, double[] yVal, int features, int outputs)
    {
        (_m, _c, _split) = (features, outputs, features / 2);
        (_n, _nv) = (x.Length / features, xVal.Length / features);
        (_x, _y, _xv, _yv) = (x, y, xVal, yVal);
        _gram = Product(_x, _x, _n, _m, _m);
        _cross = Product(_x, _y, _n, _m, _c);
        _gramVal = Product(_xv, _xv, _nv, _m, _m);
        _crossVal = Product(_xv, _yv, _nv, _m, _c);
        (_residual, _residualVal) = (new double[_n * _c], new double[_nv * _c]);
        (_a, _b) = (new double[_m * _m], new double[_m * _c]);
        // ∂²g/∂u_k² = ½e^{u_k}‖W_k‖² ≤ ½e^High‖W‖², and the least regularised fit, u = (Low, Low), has the largest ‖W*‖.
        var w = new double[_m * _c];
        SolveLower([Low, Low], w);
        _lowerInU = 0.5 * Math.Exp(High) * Blas.Dot(w, w);
    }

    // AᵀB for row-major A (rows×p) and B (rows×q), by MKL through Pbgd.Native.
    private static double[] Product(double[] a, double[] b, int rows, int p, int q)
    {
        var c = new double[p * q];
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, p, q, rows, 1.0, a, p, b, q, 0.0, c, q);
        return c;
    }

    public int UpperDimension => 2;

    public int LowerDimension => _m * _c;

    private int Group(int j) => j < _split ? 0 : 1;

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        if (!gradU.IsEmpty) gradU.Clear();   // f does not depend on u
        return HalfSquaredResidual(_xv, _yv, _nv, v, _residualVal, gradV);
    }

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double value = HalfSquaredResidual(_x, _y, _n, v, _residual, gradV);
        if (!gradU.IsEmpty) gradU.Clear();
        for (int j = 0; j < _m; j++)
        {
            double weight = Math.Exp(u[Group(j)]), squared = 0;
            for (int q = 0; q < _c; q++)
            {
                double w = v[j * _c + q];
                squared += w * w;
                if (!gradV.IsEmpty) gradV[j * _c + q] += weight * w;
            }
            value += 0.5 * weight * squared;
            if (!gradU.IsEmpty) gradU[Group(j)] += 0.5 * weight * squared;
        }
        return value;
    }

    // ½‖Y − XW‖², and into a non-empty gradient its W-gradient −Xᵀ(Y − XW).
    private double HalfSquaredResidual(double[] x, double[] y, int rows, ReadOnlySpan<double> w, double[] r, Span<double> gradW)
    {
        y.CopyTo(r, 0);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, rows, _c, _m, -1.0, x, _m, w, _c, 1.0, r, _c);
        if (!gradW.IsEmpty) Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _c, rows, -1.0, x, _m, r, _c, 0.0, gradW, _c);
        return 0.5 * Blas.Dot(r, r);
    }

    public void ProjectUpper(Span<double> u)
    {
        for (int i = 0; i < u.Length; i++) u[i] = Math.Clamp(u[i], Low, High);
    }

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        // Lipschitz constants of the gradients, as bounds: the spectral norm of a Gram matrix is at most its trace.
        double upper = Trace(_gramVal);                      // ∇f moves with W through X_valᵀX_val
        double lowerInV = Trace(_gram) + Math.Exp(High);     // ∇_W g: XᵀX + diag(e^u), e^u ≤ e^High on the box
        return new Smoothness(
            Upper: upper,
            Lower: lowerInV + _lowerInU,                     // g in (u, W) jointly, the two blocks' bounds added
            LowerInV: lowerInV,
            IsLocal: false,                                  // valid everywhere on the box: estimated once
            UpperInU: 0,                                     // f does not depend on u
            LowerInU: _lowerInU);
    }

    private double Trace(double[] gram)
    {
        double trace = 0;
        for (int j = 0; j < _m; j++) trace += gram[j * _m + j];
        return trace;
    }

    // v*(u) = argmin_W g(u, W): (XᵀX + diag(e^u)) W = XᵀY.
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar) => Solve(u, 0, 1, vStar);

    // argmin_W f + γg: (X_valᵀX_val + γ(XᵀX + diag(e^u))) W = X_valᵀY_val + γXᵀY.
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v) => Solve(u, 1, gamma, v);

    private LowerSolveInfo Solve(ReadOnlySpan<double> u, double a, double b, Span<double> w)
    {
        for (int i = 0; i < _a.Length; i++) _a[i] = a * _gramVal[i] + b * _gram[i];
        for (int j = 0; j < _m; j++) _a[j * _m + j] += b * Math.Exp(u[Group(j)]);
        for (int i = 0; i < _b.Length; i++) _b[i] = a * _crossVal[i] + b * _cross[i];
        Lapack.Posv(Triangle.Upper, _m, _c, _a, _m, _b, _c);   // Cholesky: the matrix is positive definite
        _b.CopyTo(w);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, Rank: _m, FullRank: true);
    }
}

public static class TwoGroupRidgeExample
{
    /// <summary>A seeded instance: the first feature group carries the signal, the second mostly noise, so the best
    /// weights differ by group.</summary>
    public static TwoGroupRidge Instance(int seed, int n = 40, int nVal = 30, int m = 6, int c = 2)
    {
        var random = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var truth = new double[m * c];
        for (int j = 0; j < m; j++)
            for (int q = 0; q < c; q++) truth[j * c + q] = j < m / 2 ? Gauss() : 0.05 * Gauss();
        (double[] X, double[] Y) Draw(int rows, double noise)
        {
            var x = new double[rows * m];
            var y = new double[rows * c];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < m; j++) x[i * m + j] = Gauss();
                for (int q = 0; q < c; q++)
                {
                    double s = noise * Gauss();
                    for (int j = 0; j < m; j++) s += x[i * m + j] * truth[j * c + q];
                    y[i * c + q] = s;
                }
            }
            return (x, y);
        }
        var (xTrain, yTrain) = Draw(n, 0.8);
        var (xVal, yVal) = Draw(nVal, 0.3);
        return new TwoGroupRidge(xTrain, yTrain, xVal, yVal, m, c);
    }

    public static SolverResult Solve(IBilevelProblem problem, double gamma, UpperStepRule upperStep, int maxIterations = 500)
    {
        // PBGD-B with the exact oracle: g*(u) = g(u, v*(u)) from SolveLower, and an exact v-step from MinimizePenalized.
        var solver = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(gamma),
            UpperStep = upperStep,                     // Gradient (the papers' fixed step), Lbfgs or SpectralGradient (bb)
            MaxIterations = maxIterations,
            GradientTolerance = 1e-9,                  // ‖G‖ ≤ 1e−9·(1 + |L_γ|)
        });
        return solver.Run(u0: new double[problem.UpperDimension], v0: new double[problem.LowerDimension]);
    }

    public static void Run(TextWriter output)
    {
        ComputeThreads.Set(1);                         // MKL's threads and Pbgd's kernels', in one place
        IBilevelProblem problem = Instance(seed: 3);   // GetCapability is the interface's (a default method)
        output.WriteLine($"exact v-step: {problem.GetCapability<IExactPenalizedLowerLevel>() is not null}");
        foreach (double gamma in new[] { 10.0, 100.0, 1000.0 })
            foreach (var step in new[] { UpperStepRule.Lbfgs, UpperStepRule.Gradient })
            {
                var result = Solve(problem, gamma, step);
                output.WriteLine(result);              // "PBGD-B: Converged after … iterations …"
                output.WriteLine(FormattableString.Invariant(
                    $"  u = ({result.U[0]:F4}, {result.U[1]:F4}), met {result.Converged}, {result.Counts}, {result.History.Count} records kept, oscillated: {result.Oscillated}"));
            }
    }
}
