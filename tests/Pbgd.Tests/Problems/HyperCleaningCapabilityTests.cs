using Pbgd.Distributed;
using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// What the hyper-cleaning problems offer besides f and g: the capabilities a solver may ask for (second-order products
/// need double X_trn), the fingerprint's dependence on the model's parameters, and the smoothness estimates' floor on the
/// u-block when the fit is exact (the residuals, or the losses, vanish).
public class HyperCleaningCapabilityTests
{
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(12, 6, 3, 2, 0.3, seed: 2);
    private const double PsiSecond = 0.096225044864937631; // max |ψ''| = 1/(6√3)

    [Fact]
    public void DoubleDataOfferSecondOrderProductsAndFloatOnlyDataDoNot()
    {
        IBilevelProblem squared = new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation);
        IBilevelProblem crossEntropy = new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, precision: DataPrecision.Single);
        foreach (var p in new[] { squared, crossEntropy })
        {
            Assert.Same(p, p.GetCapability<ILowerLevelSecondOrder>());
            Assert.Same(p, p.GetCapability<ILowerLevelPair>());
            Assert.NotNull(p.GetCapability<RowShard>());
        }
        Assert.Same(((HyperCleaningSquaredProblem)squared).Shard, squared.GetCapability<RowShard>());

        var single = SingleRows.From(D.XTrain);
        var floatSquared = new HyperCleaningSquaredProblem(single, D.YTrain, D.XValidation, D.YValidation,
            new HyperCleaningSquaredOptions { Precision = DataPrecision.SingleOnly, ExactSolver = "cg" }, null);
        var floatCrossEntropy = new HyperCleaningCrossEntropyProblem(single, D.YTrain, D.XValidation, D.YValidation, 0, 10, null);
        foreach (IBilevelProblem p in new IBilevelProblem[] { floatSquared, floatCrossEntropy })
        {
            Assert.Null(p.GetCapability<ILowerLevelSecondOrder>());
            Assert.Same(p, p.GetCapability<ILowerLevelPair>());
            Assert.Same(p, p.GetCapability<IPredictiveModel>());
            // The products themselves, called anyway, refuse with the reason rather than failing on a null matrix.
            var second = (ILowerLevelSecondOrder)p;
            Assert.Throws<NotSupportedException>(() => second.LowerHessianVV(new double[12], new double[p.LowerDimension],
                new double[p.LowerDimension], new double[p.LowerDimension]));
        }
        Assert.Same(floatSquared, ((IBilevelProblem)floatSquared).GetCapability<IExactLowerLevel>());
        Assert.Same(floatSquared.Shard, ((IBilevelProblem)floatSquared).GetCapability<RowShard>());
        Assert.Same(floatCrossEntropy.Shard, ((IBilevelProblem)floatCrossEntropy).GetCapability<RowShard>());
    }

    [Fact]
    public void CrossEntropyFingerprintFollowsTheRegularisationAndTheRadius()
    {
        string Of(double r, double radius, DataPrecision precision = DataPrecision.Double) =>
            new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, r, radius, precision).DataFingerprint;
        string reference = Of(0.2, 10);
        Assert.Equal(reference, Of(0.2, 10));
        Assert.NotEqual(reference, Of(0.3, 10));
        Assert.NotEqual(reference, Of(0.2, 5));
        Assert.NotEqual(reference, Of(0.2, 10, DataPrecision.Single));
        // A different model on the same data is a different problem.
        Assert.NotEqual(reference, new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation).DataFingerprint);
        // Float-only data are the data rounded to float, which these are not exactly.
        Assert.NotEqual(reference, new HyperCleaningCrossEntropyProblem(SingleRows.From(D.XTrain), D.YTrain, D.XValidation, D.YValidation, 0.2, 10, null).DataFingerprint);
    }

    [Fact]
    public void SquaredUBlockConstantHasAFloorWhenTheFitInterpolates()
    {
        // N = 2 rows, m = 3 features, λ = 0: W*(u) fits both rows exactly, so at v = W*(u) every squared residual is at
        // rounding level (< 1e−20) and the u-block constant is its floor (½|ψ''|max + ¼)·1e−12, not zero.
        var x = new Matrix(2, 3, [1.0, 0.5, -0.3, 0.2, -1.0, 0.7]);
        var y = new Matrix(2, 2, [1.0, 0.0, 0.0, 1.0]);
        var xv = new Matrix(3, 3, [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
        var yv = new Matrix(3, 2, [1.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
        var p = new HyperCleaningSquaredProblem(x, y, xv, yv, new HyperCleaningSquaredOptions { ExactSolver = "svd" });
        double[] u = [0.4, -1.1];
        var wStar = new double[6];
        p.SolveLower(u, wStar);
        for (int i = 0; i < 2; i++) Assert.True(PlainReference.SquaredResidual(x, y, i, wStar) < 1e-20);
        var s = p.EstimateSmoothness(u, wStar);
        Assert.Equal((0.5 * PsiSecond + 0.25) * 1e-12, s.LowerInU, 1e-12 * 1e-12);
        // ‖X_trn‖₂² of this X_trn: the eigenvalues of XXᵀ = [[1.34, −0.51], [−0.51, 1.53]] by the quadratic formula.
        double trace = 1.34 + 1.53, det = 1.34 * 1.53 - 0.51 * 0.51;
        double largest = 0.5 * (trace + Math.Sqrt(trace * trace - 4 * det));
        // (The library's power iteration stops at 1e−6 relative and adds a 1e−5 margin: 1e−4 as in SmoothnessEstimateTests.)
        Assert.Equal(largest, s.LowerInV, 1e-4 * largest);
        Assert.Equal(s.LowerInV + s.LowerInU, s.Lower, 1e-15);
        Assert.Equal(1, s.Upper, 1e-4); // ‖I₃‖₂² = 1
    }

    [Fact]
    public void CrossEntropyUBlockConstantHasAFloorWhenTheLossesVanish()
    {
        // Every training label is class 0 and the model's bias is (60, 0): each loss is ln(1 + e^{−60}) ≈ 9e−27, so the
        // u-block constant is its floor (|ψ''|max + ¼)·1e−12/N.
        var y = new Matrix(12, 2);
        for (int i = 0; i < 12; i++) y[i, 0] = 1;
        var p = new HyperCleaningCrossEntropyProblem(D.XTrain, y, D.XValidation, D.YValidation);
        var v = new double[8];
        v[6] = 60;
        double loss = Math.Log(1 + Math.Exp(-60));
        Assert.True(loss < 1e-25);
        // (In double, 1 + e^{−60} rounds to 1: the library's losses are 0 or of that size; g = (1/N)·Σ ½ℓ_i is as small.)
        Assert.InRange(p.Lower(new double[12], v, default, default), 0, 1e-25);
        var s = p.EstimateSmoothness(new double[12], v);
        Assert.Equal((PsiSecond + 0.25) * 1e-12 / 12, s.LowerInU, 1e-12 * 1e-12);
        Assert.False(s.IsLocal);
    }
}
