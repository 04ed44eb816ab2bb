using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The cross-entropy model at logits a thousand apart (W = 0, b = (1000, 0, −1000)), where e^z overflows unless the
/// largest logit is subtracted first: the softmax is exactly (1, 0, 0) in double, so the values, the b-gradient and the
/// second-order products have closed forms, written here as plain loops. Any shift other than the maximum gives NaN.
public class SaturatedSoftmaxTests
{
    private const int N = 12, M = 3, C = 3;
    private const double R = 0.3;
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(N, 6, M, C, 0.3, seed: 21);
    private static readonly double[] Bias = [1000, 0, -1000];

    private static double Psi(double u) => PlainReference.Sigmoid(u);

    private static double PsiPrime(double u) => 0.25 / Math.Pow(Math.Cosh(0.5 * u), 2);

    private static int Label(Pbgd.Linalg.Matrix y, int i) => Enumerable.Range(0, C).Single(q => y[i, q] == 1);

    private static (HyperCleaningCrossEntropyProblem P, double[] U, double[] V) Create()
    {
        var p = new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, R);
        var random = new Random(3);
        var u = Enumerable.Range(0, N).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var v = new double[M * C + C];
        Bias.CopyTo(v, M * C);
        return (p, u, v);
    }

    [Fact]
    public void ValuesAndBiasGradientAreTheMarginsAndTheLabelGaps()
    {
        // ℓ_i = logsumexp(b) − b_{y_i} = 1000 − b_{y_i} (0, 1000 or 2000); ∇_b g = Σ_i (ψ(u_i)/N)(e_0 − y_i); ∇_W g = Σ_i x_i(ψ_i/N)(e_0 − y_i)ᵀ.
        var (p, u, v) = Create();
        double g = 0, f = 0;
        var gradB = new double[C];
        var gradW = new double[M * C];
        for (int i = 0; i < N; i++)
        {
            int y = Label(D.YTrain, i);
            g += Psi(u[i]) * (1000 - Bias[y]) / N;
            for (int q = 0; q < C; q++)
            {
                double e = Psi(u[i]) / N * ((q == 0 ? 1 : 0) - (q == y ? 1 : 0));
                gradB[q] += e;
                for (int j = 0; j < M; j++) gradW[j * C + q] += D.XTrain[i, j] * e;
            }
        }
        for (int i = 0; i < 6; i++) f += (1000 - Bias[Label(D.YValidation, i)]) / 6;
        var gu = new double[N];
        var gv = new double[v.Length];
        Assert.Equal(g, p.Lower(u, v, gu, gv), 1e-12 * g);
        for (int q = 0; q < C; q++) Assert.Equal(gradB[q], gv[M * C + q], 1e-15);
        for (int k = 0; k < M * C; k++) Assert.Equal(gradW[k], gv[k], 1e-14);
        for (int i = 0; i < N; i++) Assert.Equal(PsiPrime(u[i]) * (1000 - Bias[Label(D.YTrain, i)]) / N, gu[i], 1e-11);
        Assert.Equal(f, p.Upper(u, v, default, default), 1e-12 * f);
    }

    [Fact]
    public void SecondOrderProductsAreTheirSaturatedClosedForms()
    {
        // With p_i = e_0: ∇²_vv g·w = [2r·dW; 0] (p_j(dz_j − pᵀdz) = 0 for every j), (∇²_uv g)·w = (ψ'_i/N)(dz_i0 − dz_{i,y_i})
        // and (∇²_vu g)·z = [Σ_i x_i e'_iᵀ; Σ_i e'_i] with e'_i = (ψ'_i z_i/N)(e_0 − y_i), dz_i = dWᵀx_i + db.
        var (p, u, v) = Create();
        var random = new Random(4);
        var w = Enumerable.Range(0, v.Length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var z = Enumerable.Range(0, N).Select(_ => random.NextDouble() - 0.5).ToArray();

        var hvv = new double[v.Length];
        p.LowerHessianVV(u, v, w, hvv);
        for (int k = 0; k < M * C; k++) Assert.Equal(2 * R * w[k], hvv[k], 1e-15);
        for (int q = 0; q < C; q++) Assert.Equal(0, hvv[M * C + q], 1e-15);

        var huv = new double[N];
        p.LowerMixedTransposeVU(u, v, w, huv);
        for (int i = 0; i < N; i++)
        {
            double[] dz = new double[C];
            for (int q = 0; q < C; q++)
            {
                dz[q] = w[M * C + q];
                for (int j = 0; j < M; j++) dz[q] += w[j * C + q] * D.XTrain[i, j];
            }
            Assert.Equal(PsiPrime(u[i]) / N * (dz[0] - dz[Label(D.YTrain, i)]), huv[i], 1e-14);
        }

        // On a fresh problem, so that nothing computed by the products above is at hand.
        var hvu = new double[v.Length];
        Create().P.LowerMixedTransposeUV(u, v, z, hvu);
        var expected = new double[v.Length];
        for (int i = 0; i < N; i++)
        {
            int y = Label(D.YTrain, i);
            for (int q = 0; q < C; q++)
            {
                double e = PsiPrime(u[i]) * z[i] / N * ((q == 0 ? 1 : 0) - (q == y ? 1 : 0));
                expected[M * C + q] += e;
                for (int j = 0; j < M; j++) expected[j * C + q] += D.XTrain[i, j] * e;
            }
        }
        for (int k = 0; k < v.Length; k++) Assert.Equal(expected[k], hvu[k], 1e-14);
    }
}
