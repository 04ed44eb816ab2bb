using Pbgd.Certificates;
using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

/// RepresentationLearningProblem (docs/algorithms.md §5) against plain-loop and eigendecomposition references.
public class RepresentationLearningProblemTests(ITestOutputHelper output)
{
    // (N, N', m, h, n, seed): the spec's shape and a wider one, both in the measurable setting.
    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 3, 5, 6, 8, 2, 1 }, { 3, 5, 6, 8, 2, 2 }, { 3, 5, 6, 8, 2, 3 }, { 4, 7, 9, 12, 3, 4 },
    };

    private static (RepresentationLearningInstance D, RepresentationLearningProblem P) Create(int n, int nv, int m, int h, int k, int seed)
    {
        var d = RepresentationLearningGenerator.Create(n, nv, m, h, k, seed);
        return (d, new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValuesMatchPlainLoops(int n, int nv, int m, int h, int k, int seed)
    {
        // f and g against ½‖Y − X (W1 W2)‖² by plain loops (relative 1e−12), with and without gradient outputs.
        var (d, p) = Create(n, nv, m, h, k, seed);
        var w = NaiveDense.Multiply(d.W1.Data, m, h, d.W2.Data, k);
        double f = NaiveDense.HalfSquaredResidual(d.XValidation, d.YValidation, w);
        double g = NaiveDense.HalfSquaredResidual(d.XTrain, d.YTrain, w);
        Assert.Equal(f, p.Upper(d.W1.Data, d.W2.Data, default, default), 1e-12 * f);
        Assert.Equal(g, p.Lower(d.W1.Data, d.W2.Data, default, default), 1e-12 * g);
        Assert.Equal(f, p.Upper(d.W1.Data, d.W2.Data, new double[m * h], new double[h * k]), 1e-12 * f);
        Assert.Equal(g, p.Lower(d.W1.Data, d.W2.Data, new double[m * h], default), 1e-12 * g);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SolveLowerAtAFullRankW1IsTheMinimumNormInterpolant(int n, int nv, int m, int h, int k, int seed)
    {
        // Generic W1 (full rank): rank(X_trn W1) = N, so W2* = Aᵀ(AAᵀ)⁻¹Y_trn (A = X_trn W1, solved by managed
        // Gaussian elimination), ∇_v g(W1, W2*) = 0 and g* = ½‖(I − P)Y_trn‖² = 0.
        var (d, p) = Create(n, nv, m, h, k, seed);
        var vStar = new double[h * k];
        var info = p.SolveLower(d.W1.Data, vStar);
        Assert.Equal((LowerSolveInfo.MinimumNorm, n, true), (info.Solver, info.Rank, info.FullRank));
        Assert.Equal(n, p.NumericalRank(d.W1.Data));

        var a = NaiveDense.Multiply(d.XTrain, d.W1.Data, h);
        var at = NaiveDense.Transpose(a, n, h);
        var gram = NaiveDense.Multiply(a, n, h, at, n);
        var z = new double[n * k];
        for (int j = 0; j < k; j++)
        {
            var column = Support.DenseSolve.Solve(gram, Enumerable.Range(0, n).Select(i => d.YTrain[i, j]).ToArray(), n);
            for (int i = 0; i < n; i++) z[i * k + j] = column[i];
        }
        var reference = NaiveDense.Multiply(at, h, n, z, k);
        double error = NaiveDense.Norm(NaiveDense.Subtract(vStar, reference)) / NaiveDense.Norm(reference);
        double gradient = StationarityResidual(p, d.W1.Data, vStar, a, d.YTrain);
        double g = p.Lower(d.W1.Data, vStar, default, default);
        output.WriteLine($"seed {seed}: ‖W2* − Aᵀ(AAᵀ)⁻¹Y‖/‖·‖ = {error:E2}; ‖∇_v g‖/(‖A‖‖Y‖) = {gradient:E2}; g(W1, W2*) = {g:E2}");
        Assert.True(error <= 1e-9, $"W2* differs from the reference by {error:E2}");
        Assert.True(gradient <= 1e-10, $"‖∇_v g‖ relative {gradient:E2}");
        Assert.True(g <= 1e-20 * Math.Pow(d.YTrain.FrobeniusNorm(), 2), $"g* = {g:E2} should vanish at rank N");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SolveLowerAtARankDeficientW1MatchesTheProjector(int rank)
    {
        // W1 of rank r < N: rank(X_trn W1) = r, g* = ½‖(I − P)Y_trn‖² > 0 with P the projector onto range(X_trn W1)
        // from an eigendecomposition of AAᵀ (relative 1e−10), ∇_v g = 0, and W2* lies in range(Aᵀ) (minimum norm).
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 11);
        var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
        int n = 3, h = 8, k = 2;
        var w1 = rank == 0 ? new double[6 * h] : NaiveDense.LowRank(6, h, rank, seed: 5);
        var vStar = new double[h * k];
        var info = p.SolveLower(w1, vStar);
        Assert.Equal((rank, false), (info.Rank, info.FullRank));
        Assert.Equal(rank, p.NumericalRank(w1));

        var a = NaiveDense.Multiply(d.XTrain, w1, h);
        var (projector, referenceRank) = rank == 0 ? (new double[n * n], 0) : NaiveDense.RangeProjector(a, n, h);
        Assert.Equal(rank, referenceRank);
        var residual = NaiveDense.Subtract(d.YTrain.Data, NaiveDense.Multiply(projector, n, n, d.YTrain.Data, k));
        double expected = 0.5 * Math.Pow(NaiveDense.Norm(residual), 2);
        double g = p.Lower(w1, vStar, default, default);
        output.WriteLine($"rank {rank}: g(W1, W2*) = {g:G17}, ½‖(I − P)Y‖² = {expected:G17}");
        Assert.True(expected > 0);
        Assert.Equal(expected, g, 1e-10 * expected);
        if (rank > 0) Assert.True(StationarityResidual(p, w1, vStar, a, d.YTrain) <= 1e-10);

        // Minimum norm: W2* = Q W2* with Q the projector onto range(Aᵀ) = the row space of A.
        if (rank == 0) { Assert.All(vStar, x => Assert.Equal(0, x)); return; }
        var (rowProjector, _) = NaiveDense.RangeProjector(NaiveDense.Transpose(a, n, h), h, n);
        var projected = NaiveDense.Multiply(rowProjector, h, h, vStar, k);
        Assert.True(NaiveDense.Norm(NaiveDense.Subtract(projected, vStar)) <= 1e-10 * NaiveDense.Norm(vStar));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(10)]
    [InlineData(1000)]
    public void MinimizePenalizedReachesTheGenericMinimumOfTheStackedLeastSquares(double gamma)
    {
        // W1 has full row rank m (h ≥ m), so W1·W2 ranges over every m×n matrix and g* = 0: min_W2 f + γg must equal the
        // certificate's min L_γ over W (relative 1e−10), and ∇_v(f + γg) = 0 there (relative to ‖A_val‖‖Y_val‖ + γ‖A_trn‖‖Y_trn‖).
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed);
            var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
            var v = new double[8 * 2];
            var info = p.MinimizePenalized(d.W1.Data, gamma, v);
            Assert.Equal(LowerSolveInfo.MinimumNorm, info.Solver);
            var gf = new double[v.Length];
            var gg = new double[v.Length];
            double value = p.Upper(d.W1.Data, v, default, gf) + gamma * p.Lower(d.W1.Data, v, default, gg);
            double reference = RepresentationLearningCertificate.MinimumPenalized(d.XTrain, d.YTrain, d.XValidation, d.YValidation, gamma).Value;
            double scale = NaiveDense.Norm(NaiveDense.Multiply(d.XValidation, d.W1.Data, 8)) * d.YValidation.FrobeniusNorm()
                + gamma * NaiveDense.Norm(NaiveDense.Multiply(d.XTrain, d.W1.Data, 8)) * d.YTrain.FrobeniusNorm();
            double stationarity = NaiveDense.Norm(gf.Zip(gg, (x, y) => x + gamma * y).ToArray()) / scale;
            output.WriteLine($"γ = {gamma}, seed {seed}: f + γg = {value:G15}, certificate min L_γ = {reference:G15}, stationarity {stationarity:E2}");
            Assert.Equal(reference, value, 1e-10 * reference);
            Assert.True(stationarity <= 1e-10);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SmoothnessEstimatesMatchExactSpectralNorms(int n, int nv, int m, int h, int k, int seed)
    {
        // Against ‖·‖₂² from eigenvalues of the Gram matrices (dsyevd): ℓ_f = ‖X_val‖²(‖W1‖² + ‖W2‖²),
        // ℓ_g = ‖X_trn‖²(‖W1‖² + ‖W2‖²), ℓ in W2 = ‖X_trn W1‖²; relative 1e−3 on the first call, the estimates never
        // below the exact values by more than that, and a second (warm-started) call at least as accurate to 1e−6.
        var (d, p) = Create(n, nv, m, h, k, seed);
        double w1 = NaiveDense.SpectralNormSquared(d.W1.Data, m, h), w2 = NaiveDense.SpectralNormSquared(d.W2.Data, h, k);
        double xt = NaiveDense.SpectralNormSquared(d.XTrain.Data, n, m), xv = NaiveDense.SpectralNormSquared(d.XValidation.Data, nv, m);
        double design = NaiveDense.SpectralNormSquared(NaiveDense.Multiply(d.XTrain, d.W1.Data, h), n, h);
        var first = p.EstimateSmoothness(d.W1.Data, d.W2.Data);
        var second = p.EstimateSmoothness(d.W1.Data, d.W2.Data);
        Assert.True(first.IsLocal);
        foreach (var (name, estimate, warm, exact) in new[]
                 {
                     ("ℓ_f", first.Upper, second.Upper, xv * (w1 + w2)), ("ℓ_g", first.Lower, second.Lower, xt * (w1 + w2)),
                     ("ℓ_g in v", first.LowerInV, second.LowerInV, design),
                 })
        {
            double e1 = estimate / exact - 1, e2 = warm / exact - 1;
            output.WriteLine($"{name}: exact {exact:G10}, first call {e1:+0.0E+0;-0.0E+0}, warm call {e2:+0.0E+0;-0.0E+0} (relative)");
            Assert.InRange(e1, -1e-3, 1e-3);
            Assert.InRange(e2, -1e-6, 1e-4);
        }
    }

    [Fact]
    [Trait("Category", "Allocation")] // out of mutation runs: the instrumented assembly allocates
    public void HotPathsAllocateNothing()
    {
        // After a warm-up, 20 rounds of every per-iteration method allocate 0 managed bytes on this thread.
        var (d, p) = Create(4, 7, 9, 12, 3, seed: 4);
        var u = d.W1.Data;
        var v = d.W2.Data;
        var gu = new double[u.Length];
        var gv = new double[v.Length];
        var out2 = new double[v.Length];
        void Round()
        {
            p.Upper(u, v, gu, gv);
            p.Upper(u, v, default, default);
            p.Lower(u, v, gu, gv);
            p.Lower(u, v, gu, default);
            p.SolveLower(u, out2);
            p.MinimizePenalized(u, 10, out2);
            p.EstimateSmoothness(u, v);
            p.NumericalRank(u);
        }
        for (int i = 0; i < 5; i++) Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Round();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"allocated {allocated} bytes over 20 rounds");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ConstructorAndMethodsNameTheOffendingParameter()
    {
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 1);
        string Param(Action a) => Assert.ThrowsAny<ArgumentException>(a).ParamName!;
        Assert.Equal("yTrain", Param(() => new RepresentationLearningProblem(d.XTrain, new Matrix(4, 2), d.XValidation, d.YValidation, 8)));
        Assert.Equal("xValidation", Param(() => new RepresentationLearningProblem(d.XTrain, d.YTrain, new Matrix(5, 7), d.YValidation, 8)));
        Assert.Equal("yValidation", Param(() => new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, new Matrix(5, 3), 8)));
        Assert.Equal("hidden", Param(() => new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 0)));
        Assert.Equal("rankTolerance", Param(() => new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 8, 0)));
        var bad = d.XTrain.Clone();
        bad[1, 2] = double.NaN;
        Assert.Equal("xTrain", Param(() => new RepresentationLearningProblem(bad, d.YTrain, d.XValidation, d.YValidation, 8)));

        var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 8);
        Assert.Equal(6 * 8, p.UpperDimension);
        Assert.Equal(8 * 2, p.LowerDimension);
        var u = d.W1.Data;
        var v = d.W2.Data;
        Assert.Equal("u", Param(() => p.Upper(new double[5], v, default, default)));
        Assert.Equal("v", Param(() => p.Lower(u, new double[5], default, default)));
        Assert.Equal("gradU", Param(() => p.Lower(u, v, new double[3], default)));
        Assert.Equal("gradV", Param(() => p.Upper(u, v, default, new double[3])));
        Assert.Equal("vStar", Param(() => p.SolveLower(u, new double[3])));
        Assert.Equal("gamma", Param(() => p.MinimizePenalized(u, -1, new double[16])));
        Assert.Equal("u", Param(() => p.NumericalRank(new double[3])));
    }

    // ‖∇_v g(W1, W2)‖ / (‖A‖_F ‖Y‖_F), A = X_trn W1: the natural scale of ∇_v g = −Aᵀ(Y − A W2).
    private static double StationarityResidual(RepresentationLearningProblem p, double[] u, double[] v, double[] a, Matrix y)
    {
        var gv = new double[v.Length];
        p.Lower(u, v, default, gv);
        return NaiveDense.Norm(gv) / (NaiveDense.Norm(a) * y.FrobeniusNorm());
    }
}
