using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.Solvers;

/// The line-search upper steps on a problem without an exact v-step (cross-entropy hyper-cleaning, docs/algorithms.md
/// §3a): PBGD-B's L-BFGS v-step and the L-BFGS oracle meet their tolerances by an independent plain-loop gradient, the
/// inexact ∇φ_γ is within the error its tolerances allow of a finite difference of φ_γ, and the L-BFGS upper step
/// reaches a small projected gradient in far fewer outer iterations than the gradient rule.
public class InexactLineSearchTests
{
    private const double Radius = 10, Reg = 0.01;

    private static (HyperCleaningCrossEntropyProblem Problem, NaiveCrossEntropy Reference) Instance(int train = 120, int seed = 3)
    {
        var d = HyperCleaningGenerator.Realistic(train, 60, 5, 3, 0.4, seed);
        return (new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, Reg, Radius),
            new NaiveCrossEntropy(d.XTrain, d.YTrain, d.XValidation, d.YValidation, Reg));
    }

    private static double[] Uniform(Random random, int n, double scale) =>
        Enumerable.Range(0, n).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(t => t * t));

    [Theory]
    [InlineData(0.5)]
    [InlineData(10.0)]
    public void TheInexactVStepMeetsItsToleranceByAnIndependentGradient(double gamma)
    {
        var (problem, reference) = Instance();
        var random = new Random(5);
        var state = new PbgdState(problem.UpperDimension, problem.LowerDimension);
        var step = new PenalizedLowerStep(problem, state, memory: 10, maxBacktracks: 20);
        var v = new double[problem.LowerDimension];
        foreach (double tolerance in new[] { 1e-2, 1e-5, 1e-9 })
        {
            // A new u each time, warm-started from the last solution, as PBGD-B's line search does.
            Uniform(random, problem.UpperDimension, 3).CopyTo(state.U, 0);
            double before = Norm(reference.PenalizedGradient(state.U, v, gamma));
            var (evaluations, residual) = step.Solve(v, gamma, tolerance, 0, 1000);
            double measured = Norm(reference.PenalizedGradient(state.U, v, gamma));
            Assert.True(before > tolerance, "the warm start must not already meet the tolerance");
            Assert.True(evaluations > 1);
            // The solve tests its own (kernel) gradient against the tolerance; the reference may differ by rounding only.
            Assert.True(measured <= tolerance + 1e-12, $"‖∇_v(f + γg)‖ = {measured:E3} > {tolerance:E1}");
            Assert.True(Math.Abs(measured - residual) <= 1e-9 * before + 1e-13, $"reported residual {residual:E6}, measured {measured:E6}");
        }
    }

    [Fact]
    public void TheLbfgsOracleMeetsItsToleranceByAnIndependentGradient()
    {
        var (problem, reference) = Instance();
        var random = new Random(6);
        var oracle = new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 1e-12 });
        var omega = new double[problem.LowerDimension];
        foreach (double tolerance in new[] { 1e-1, 1e-4, 1e-8, 1e-11 })
        {
            var u = Uniform(random, problem.UpperDimension, 3);
            double before = Norm(reference.LowerGradient(u, omega));
            oracle.SetTolerance(tolerance, 0);
            var report = oracle.Estimate(u, omega);
            double measured = Norm(reference.LowerGradient(u, omega));
            Assert.True(before > tolerance);
            Assert.True(report.GradientSteps > 1);
            Assert.True(measured <= tolerance + 1e-12, $"‖∇_v g‖ = {measured:E3} > {tolerance:E1}");
            Assert.Equal(measured, oracle.LastResidual, 1e-12);
        }
        // Its own tolerance (the floor) applies when no solver sets one, and requests below it are raised to it.
        var floored = new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 1e-3 });
        floored.SetTolerance(1e-9, 0);
        var w = new double[problem.LowerDimension];
        floored.Estimate(Uniform(random, problem.UpperDimension, 3), w);
        Assert.InRange(floored.LastResidual, 0, 1e-3);
        Assert.True(floored.LastResidual > 1e-8, "a request below the floor must not be honoured (it costs passes for nothing)");
    }

    /// φ_γ(u) and ∇φ_γ(u) = γ(∇_u g(u, v_γ) − ∇_u g(u, ω*)) (∇_u f = 0 here) with both inner problems solved to 1e−11 and the
    /// values and u-gradients from the plain-loop reference.
    private sealed class TightReducedFunction(HyperCleaningCrossEntropyProblem problem, NaiveCrossEntropy reference, double gamma)
    {
        private readonly PbgdState _state = new(problem.UpperDimension, problem.LowerDimension);
        private readonly LbfgsLowerLevelOracle _oracle = new(problem, new LbfgsOracleOptions { Tolerance = 1e-11, MaxIterations = 5000 });
        private PenalizedLowerStep? _step;
        internal double[] V = new double[problem.LowerDimension], Omega = new double[problem.LowerDimension];

        internal double Value(double[] u, double[]? gradient = null)
        {
            u.CopyTo(_state.U, 0);
            _step ??= new PenalizedLowerStep(problem, _state, 10, 30);
            var (_, residual) = _step.Solve(V, gamma, 1e-11, 0, 5000);
            Assert.True(residual <= 1e-10, $"tight v-solve reached only {residual:E2}");
            _oracle.Estimate(u, Omega);
            Assert.True(_oracle.LastResidual <= 1e-10, $"tight oracle reached only {_oracle.LastResidual:E2}");
            var gu = new double[u.Length];
            var gw = new double[u.Length];
            double g = reference.Lower(u, V, null, gu), gStar = reference.Lower(u, Omega, null, gw);
            if (gradient is not null) for (int i = 0; i < u.Length; i++) gradient[i] = gamma * (gu[i] - gw[i]);
            return reference.Upper(V) + gamma * (g - gStar);
        }
    }

    [Theory]
    [InlineData(1.0, 0.3)]
    [InlineData(1.0, 1e-3)]
    [InlineData(10.0, 0.3)]
    [Trait("Speed", "Slow")] // out of mutation runs: most of the Solvers folder's test time there
    public void TheInexactReducedGradientIsWithinItsToleranceOfAFiniteDifference(double gamma, double kappa)
    {
        var (problem, reference) = Instance(train: 60);
        var random = new Random(7);
        var u = Uniform(random, problem.UpperDimension, 2);
        int n = u.Length, p = problem.LowerDimension;

        // ∇φ_γ by central differences of φ_γ (tight solves), h = 1e−4: truncation O(h²φ''') ≈ 1e−9 here, far below the
        // errors the tolerances below allow.
        var tight = new TightReducedFunction(problem, reference, gamma);
        var analytic = new double[n];
        tight.Value(u, analytic);
        var (vGamma, omegaStar) = ((double[])tight.V.Clone(), (double[])tight.Omega.Clone());
        var fd = new double[n];
        const double h = 1e-4;
        for (int i = 0; i < n; i++)
        {
            double keep = u[i];
            u[i] = keep + h;
            double plus = tight.Value(u);
            u[i] = keep - h;
            double minus = tight.Value(u);
            u[i] = keep;
            fd[i] = (plus - minus) / (2 * h);
        }
        Assert.True(Norm(analytic.Zip(fd, (a, b) => a - b).ToArray()) <= 1e-6 * Norm(fd), "the tight reference itself must agree with its finite difference");

        // The inexact path: PBGD-B's evaluation from cold starts v = ω = 0 with the tolerances of reference G = ‖∇φ_γ‖.
        var solver = new PbgdBlockwise(problem, new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 1e-12 }),
            new PbgdOptions { UpperStep = UpperStepRule.Lbfgs, Penalty = PenaltySchedule.Constant(gamma), InnerToleranceFactor = kappa, InnerToleranceFloor = 1e-12 });
        var state = solver.Init(u, new double[p]);
        double g0 = Norm(fd);
        state.InnerReference = g0;
        var record = solver.EvaluatePoint(state, gamma);
        double tauV = kappa * g0, tauOmega = kappa * g0 / gamma;
        Assert.True(record.LowerBlockGradientNorm <= tauV * (1 + 1e-9), $"v residual {record.LowerBlockGradientNorm:E2} > {tauV:E2}");
        Assert.True(record.OracleResidual <= tauOmega * (1 + 1e-9), $"ω residual {record.OracleResidual:E2} > {tauOmega:E2}");

        // The error a residual r leaves in ∇φ_γ, to first order: γB·H_L⁻¹r from v and γB·H_g⁻¹r from ω, with B = ∇²_uv g and H the
        // v-Hessians (from central differences of the reference gradients). Their Frobenius norms bound the operator norms.
        double cv = Amplification(reference, u, vGamma, gamma, penalized: true);
        double cw = Amplification(reference, u, omegaStar, gamma, penalized: false);
        double allowed = 2 * (cv * tauV + cw * tauOmega);
        double error = Norm(state.DirectionU.Zip(fd, (a, b) => a - b).ToArray());
        Assert.True(error <= allowed, $"‖∇φ_inexact − ∇φ_fd‖ = {error:E3} > 2(C_v τ_v + C_ω τ_ω) = {allowed:E3} (C_v = {cv:E2}, C_ω = {cw:E2})");
        // And the bound is not vacuous: it is a fraction of the gradient itself (relative error ≤ a multiple of κ).
        Assert.True(allowed <= 50 * kappa * g0, $"bound {allowed:E2} vs κ‖∇φ‖ = {kappa * g0:E2}");
    }

    // ‖γ·B·H⁻¹‖_F at (u, v): B = ∂(∇_u g)/∂v (N×p), H = ∇²_vv(f + γg) (penalized) or ∇²_vv g.
    private static double Amplification(NaiveCrossEntropy reference, double[] u, double[] v, double gamma, bool penalized)
    {
        int n = u.Length, p = v.Length;
        const double h = 1e-5;
        var hessian = new double[p * p];
        var b = new double[n * p];
        for (int k = 0; k < p; k++)
        {
            double keep = v[k];
            v[k] = keep + h;
            var gp = penalized ? reference.PenalizedGradient(u, v, gamma) : reference.LowerGradient(u, v);
            var up = new double[n];
            reference.Lower(u, v, null, up);
            v[k] = keep - h;
            var gm = penalized ? reference.PenalizedGradient(u, v, gamma) : reference.LowerGradient(u, v);
            var um = new double[n];
            reference.Lower(u, v, null, um);
            v[k] = keep;
            for (int j = 0; j < p; j++) hessian[j * p + k] = (gp[j] - gm[j]) / (2 * h);
            for (int i = 0; i < n; i++) b[i * p + k] = (up[i] - um[i]) / (2 * h);
        }
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            // Row i of B·H⁻¹ = (H⁻¹ b_i)ᵀ (H symmetric).
            var row = DenseSolve.Solve(hessian, b.AsSpan(i * p, p).ToArray(), p);
            foreach (double x in row) sum += x * x;
        }
        return gamma * Math.Sqrt(sum);
    }

    // ‖P(u − ∇φ_γ) − u‖₂ with ∇φ_γ from tight solves: the same stationarity measure for both rules.
    private static double ProjectedGradient(HyperCleaningCrossEntropyProblem problem, NaiveCrossEntropy reference, double gamma, double[] u)
    {
        var gradient = new double[u.Length];
        new TightReducedFunction(problem, reference, gamma).Value((double[])u.Clone(), gradient);
        double sum = 0;
        for (int i = 0; i < u.Length; i++) sum += Math.Pow(Math.Clamp(u[i] - gradient[i], -Radius, Radius) - u[i], 2);
        return Math.Sqrt(sum);
    }

    [Fact]
    [Trait("Speed", "Slow")]
    public void LbfgsOnTheReducedFunctionNeedsFarFewerOuterIterationsThanTheGradientRule()
    {
        // γ = 10: the gradient rule's step c/(ℓ_f,u + γℓ_g,u) shrinks with γ, the L-BFGS step adapts to φ_γ's curvature. The
        // L-BFGS run stops on its own gradient test (‖G‖ ≤ 1e−6·(1 + |L_γ|), from its inexact gradient); the claim checked is
        // the independent one: the projected gradient of φ_γ with tight solves at the returned u.
        const double gamma = 10, target = 1e-4;
        const int lbfgsIterations = 40, gradientIterations = 20 * lbfgsIterations;
        var (problem, reference) = Instance(train: 150, seed: 4);
        var u0 = new double[problem.UpperDimension];
        var v0 = new double[problem.LowerDimension];
        var lbfgs = new PbgdBlockwise(problem, new LbfgsLowerLevelOracle(problem),
            new PbgdOptions { UpperStep = UpperStepRule.Lbfgs, Penalty = PenaltySchedule.Constant(gamma), MaxIterations = lbfgsIterations, GradientTolerance = 1e-6 })
            .Run(u0, v0);
        // The gradient rule with generous inner work (50 v-steps, the oracle to 1e−8 every iteration): only its step differs.
        var gradient = new PbgdBlockwise(problem, new LbfgsLowerLevelOracle(problem),
            new PbgdOptions { Penalty = PenaltySchedule.Constant(gamma), MaxIterations = gradientIterations, LowerStepIterations = 50 }).Run(u0, v0);
        Assert.Equal(StopReason.Converged, lbfgs.StopReason);
        Assert.InRange(lbfgs.Iterations, 1, lbfgsIterations);
        Assert.Equal(StopReason.MaxIterations, gradient.StopReason);
        double pgStart = ProjectedGradient(problem, reference, gamma, u0);
        double pgLbfgs = ProjectedGradient(problem, reference, gamma, lbfgs.U);
        double pgGradient = ProjectedGradient(problem, reference, gamma, gradient.U);
        Assert.True(pgLbfgs <= target * pgStart, $"L-BFGS after {lbfgs.Iterations} iterations: ‖P(u − ∇φ) − u‖ = {pgLbfgs:E2} (start {pgStart:E2})");
        Assert.True(pgGradient > target * pgStart, $"gradient rule after {gradientIterations} iterations: {pgGradient:E2} (start {pgStart:E2})");
        Assert.True(lbfgs.Counts.InnerSteps > lbfgs.Counts.Evaluations, "the inexact inner solves' evaluations are counted");
    }
}
