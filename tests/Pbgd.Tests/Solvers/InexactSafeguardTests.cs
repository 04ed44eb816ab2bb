using System.Text.Json.Nodes;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// The inexact inner solves' safeguards (docs/algorithms.md §3a) on a problem built to defeat loose solves.
public class InexactSafeguardTests
{
    /// g(u, v) = ½ Σ_i h_i (v_i − (Bu)_i)², f(u, v) = ½‖v − a‖² + ½c‖u‖²: v*(u) = Bu, g* = 0, no exact capability offered.
    private sealed class IllConditioned : IBilevelProblem
    {
        private readonly double[] _b, _h, _a;
        private readonly int _p, _q;
        private const double C = 0.1;

        internal IllConditioned(int p, int q, double scale, int seed)
        {
            var random = new Random(seed);
            (_p, _q) = (p, q);
            _b = Enumerable.Range(0, p * q).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
            _h = Enumerable.Range(0, q).Select(i => Math.Pow(10, -3.0 * i / (q - 1))).ToArray();
            _a = Enumerable.Range(0, q).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        }

        public int UpperDimension => _p;
        public int LowerDimension => _q;

        public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            double f = 0;
            for (int i = 0; i < _q; i++) { double r = v[i] - _a[i]; f += 0.5 * r * r; if (!gradV.IsEmpty) gradV[i] = r; }
            for (int j = 0; j < _p; j++) { f += 0.5 * C * u[j] * u[j]; if (!gradU.IsEmpty) gradU[j] = C * u[j]; }
            return f;
        }

        public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            double g = 0;
            if (!gradU.IsEmpty) gradU.Clear();
            for (int i = 0; i < _q; i++)
            {
                double bu = 0;
                for (int j = 0; j < _p; j++) bu += _b[i * _p + j] * u[j];
                double r = v[i] - bu;
                g += 0.5 * _h[i] * r * r;
                if (!gradV.IsEmpty) gradV[i] = _h[i] * r;
                if (!gradU.IsEmpty) for (int j = 0; j < _p; j++) gradU[j] -= _b[i * _p + j] * _h[i] * r;
            }
            return g;
        }

        // The minimiser of φ_γ in closed form: v_γ = (I + γH)⁻¹(a + γHBu), so φ_γ(u) = ½c‖u‖² + ½(a − Bu)ᵀM(a − Bu) with
        // M = diag(γh_i/(1 + γh_i)), and (cI + BᵀMB)u* = BᵀMa.
        internal double[] ReducedMinimizer(double gamma)
        {
            var m = _h.Select(h => gamma * h / (1 + gamma * h)).ToArray();
            var a = new double[_p * _p];
            var rhs = new double[_p];
            for (int j = 0; j < _p; j++)
            {
                a[j * _p + j] += C;
                for (int i = 0; i < _q; i++) rhs[j] += _b[i * _p + j] * m[i] * _a[i];
                for (int k = 0; k < _p; k++)
                    for (int i = 0; i < _q; i++) a[j * _p + k] += _b[i * _p + j] * m[i] * _b[i * _p + k];
            }
            return Support.DenseSolve.Solve(a, rhs, _p);
        }

        public void ProjectUpper(Span<double> u) { }

        public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(1, 1 + _b.Sum(x => x * x), 1, false);
    }

    [Theory]
    [InlineData(10.0, 1)]
    [InlineData(30.0, 2)]
    [InlineData(100.0, 3)]
    public void LooseSolvesOnAnIllConditionedLowerLevelAreTightenedUntilTheRunReachesTheReducedMinimiser(double scale, int seed)
    {
        // h_i from 1 to 1e−3 and a large B: an oracle residual r moves ∇φ_γ by γBᵀr/… and φ_γ's value by γ·½rᵀH⁻¹r, so κ = 0.9
        // gives the line search wrong gradients (failed searches: the ×100 tightening) and values that fall for the wrong
        // reason as G grows (the tolerances therefore follow the smallest G so far). Both safeguards must bring the run to
        // the closed-form minimiser of φ_γ.
        const double gamma = 10;
        var problem = new IllConditioned(3, 40, scale, seed);
        JsonNode? last = null;
        var result = new PbgdBlockwise(problem, new LbfgsLowerLevelOracle(problem, new LbfgsOracleOptions { Tolerance = 1e-12 }),
            new PbgdOptions
            {
                UpperStep = UpperStepRule.Lbfgs, Penalty = PenaltySchedule.Constant(gamma), InnerToleranceFactor = 0.9, InnerToleranceFloor = 1e-12,
                MaxIterations = 60, GradientTolerance = 1e-9, Checkpoint = c => last = c.SolverState, CheckpointEvery = 1,
            }).Run(new double[3], new double[40]);
        var expected = problem.ReducedMinimizer(gamma);
        Assert.Equal(StopReason.Converged, result.StopReason);
        double error = Math.Sqrt(expected.Zip(result.U, (x, y) => (x - y) * (x - y)).Sum()), norm = Math.Sqrt(expected.Sum(x => x * x));
        Assert.True(error <= 1e-6 * norm, $"‖u − u*‖ = {error:E2}, ‖u*‖ = {norm:E2}");
        double tightening = last!["upperStep"]!["tightening"]!.GetValue<double>();
        Assert.True(tightening < 1, "the failed-search safeguard was expected to tighten the solves on this problem");
    }
}
