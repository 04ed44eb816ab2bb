using Pbgd.Certificates;
using Pbgd.Linalg;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Certificates;

/// The representation-learning certificates at their edges: the shape boundary between gglse and KKT, the KKT
/// system's block scaling under badly scaled data (what the scaling is for), degenerate zero blocks, and the
/// argument checks of every entry point.
public class RepresentationLearningCertificateEdgeTests
{
    private static Matrix Scaled(Matrix a, double s)
    {
        var b = a.Clone();
        for (int k = 0; k < b.Span.Length; k++) b.Span[k] *= s;
        return b;
    }

    private static Matrix Uniform(int rows, int columns, Random random)
    {
        var x = new Matrix(rows, columns);
        for (int k = 0; k < x.Span.Length; k++) x.Span[k] = 2 * random.NextDouble() - 1;
        return x;
    }

    private static double MaxDifference(Matrix a, Matrix b) => a.Data.Zip(b.Data, (x, y) => Math.Abs(x - y)).Max();

    [Fact]
    public void AtMEqualToNPlusNPrimeGglseIsStillChosenAndAgreesWithKkt()
    {
        // N = 2, N' = 3, m = 5 = N + N': LAPACK's gglse condition N ≤ m ≤ N + N' holds with equality. f*_gen = 0 (both interpolate) and W* is unique
        // ([X_val; X_trn] is square and invertible), so gglse and KKT agree to 1e−9.
        // (The generator keeps m < N + N' so that f*_gen > 0; here f*_gen = 0 and the data are drawn directly.)
        var random = new Random(4);
        var d = new { XTrain = Uniform(2, 5, random), YTrain = Uniform(2, 2, random), XValidation = Uniform(3, 5, random), YValidation = Uniform(3, 2, random) };
        var (value, w, method) = RepresentationLearningCertificate.GenericOptimum(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var (byGglse, _) = RepresentationLearningCertificate.GenericOptimumByGglse(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var (byKkt, wKkt) = RepresentationLearningCertificate.GenericOptimumByKkt(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        Assert.Equal("gglse", method);
        Assert.Equal(byGglse, value);
        Assert.Equal(byKkt, value, 1e-20); // both interpolate: f*_gen = 0 up to rounding
        Assert.True(MaxDifference(w, wKkt) <= 1e-9, $"‖W_gglse − W_kkt‖∞ = {MaxDifference(w, wKkt):E2}");
    }

    [Theory]
    [InlineData(1e-7, 1.0)] // ‖X_val‖² ≈ 1e−14 against ‖X_trn‖ ≈ 1: unscaled, the validation block is below gelsd's 1e−12 cut
    [InlineData(1.0, 1e-7)] // the constraint block is tiny instead
    public void KktIsInsensitiveToTheScaleOfEitherBlock(double validationScale, double trainScale)
    {
        // Scaling (X_val, Y_val) by s leaves W* unchanged and f* times s²; scaling (X_trn, Y_trn) by r leaves both
        // unchanged. The KKT solve must return the unscaled instance's W* (by gglse) to 1e−6 relative: the
        // constraint rows' scaling c = ‖X_val‖_F²/‖X_trn‖_F is what keeps both blocks above the rank cut.
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 11);
        var (reference, wRef) = RepresentationLearningCertificate.GenericOptimumByGglse(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        var (value, w) = RepresentationLearningCertificate.GenericOptimumByKkt(
            Scaled(d.XTrain, trainScale), Scaled(d.YTrain, trainScale), Scaled(d.XValidation, validationScale), Scaled(d.YValidation, validationScale));
        double scale = wRef.Data.Max(Math.Abs);
        Assert.True(MaxDifference(w, wRef) <= 1e-6 * scale, $"‖W − W*‖∞ = {MaxDifference(w, wRef):E2} (‖W*‖∞ = {scale:E2})");
        Assert.Equal(reference * validationScale * validationScale, value, 1e-6 * reference * validationScale * validationScale);
    }

    [Fact]
    public void KktWithAZeroTrainingBlockIsTheValidationFit()
    {
        // X_trn = 0 and Y_trn = 0: the constraint is void, so W* is the least-squares fit of Y_val by X_val (one feature:
        // w = Σxy/Σx²), f* its residual. No scaling is possible (‖X_trn‖ = 0) and none may be attempted (no NaN).
        double[] xv = [1.0, 2.0, -1.0], yv = [0.5, 1.5, 0.0];
        var (value, w) = RepresentationLearningCertificate.GenericOptimumByKkt(
            new Matrix(2, 1), new Matrix(2, 1), new Matrix(3, 1, xv), new Matrix(3, 1, yv));
        double wStar = (0.5 + 3.0 + 0.0) / (1 + 4 + 1);
        double fStar = 0.5 * xv.Zip(yv, (x, y) => (y - x * wStar) * (y - x * wStar)).Sum();
        Assert.Equal(wStar, w[0, 0], 1e-14);
        Assert.Equal(fStar, value, 1e-14);
    }

    [Fact]
    public void KktWithAZeroValidationBlockIsTheMinimumNormInterpolant()
    {
        // X_val = 0: every W meeting X_trn W = Y_trn is optimal (f* = ½‖Y_val‖²) and the minimum-norm solve returns
        // W = X_trnᵀ(X_trn X_trnᵀ)⁻¹Y_trn; one row x: W = xᵀy/‖x‖² (1e−14). A zero scale would drop the constraint.
        double[] x = [1.0, -2.0, 2.0];
        var (value, w) = RepresentationLearningCertificate.GenericOptimumByKkt(
            new Matrix(1, 3, x), new Matrix(1, 1, [4.5]), new Matrix(2, 3), new Matrix(2, 1, [1.0, -3.0]));
        for (int k = 0; k < 3; k++) Assert.Equal(x[k] * 4.5 / 9, w[k, 0], 1e-14);
        Assert.Equal(0.5 * (1 + 9), value, 1e-14);
    }

    [Fact]
    public void ConstraintResidualIsTheRelativeFrobeniusResidual()
    {
        // ‖X W − Y‖_F/‖Y‖_F by plain loops (1e−15 relative), with ‖Y‖_F = 5 so a product for the quotient shows.
        double[] x = [1, 2, 0, -1], wv = [0.5, 1.0];
        var r = RepresentationLearningCertificate.ConstraintResidual(new Matrix(2, 2, x), new Matrix(2, 1, [3.0, 4.0]), new Matrix(2, 1, wv));
        double r0 = x[0] * wv[0] + x[1] * wv[1] - 3, r1 = x[2] * wv[0] + x[3] * wv[1] - 4;
        Assert.Equal(Math.Sqrt(r0 * r0 + r1 * r1) / 5, r, 1e-15);
        // A zero Y and a zero W: 0, not NaN (the divisor has a floor).
        Assert.Equal(0, RepresentationLearningCertificate.ConstraintResidual(new Matrix(2, 2, x), new Matrix(2, 1), new Matrix(2, 1)));
    }

    [Fact]
    public void EveryEntryPointChecksItsArguments()
    {
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 1);
        var bad = new Matrix(2, 2);
        Assert.Equal("xTrain", Assert.Throws<ArgumentNullException>(() => RepresentationLearningCertificate.GenericOptimum(null!, d.YTrain, d.XValidation, d.YValidation)).ParamName);
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => RepresentationLearningCertificate.GenericOptimum(d.XTrain, bad, d.XValidation, d.YValidation)).ParamName);
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => RepresentationLearningCertificate.MinimumPenalized(d.XTrain, bad, d.XValidation, d.YValidation, 1)).ParamName);
        Assert.Equal("xTrain", Assert.Throws<ArgumentNullException>(() => RepresentationLearningCertificate.MinimumPenalized(null!, d.YTrain, d.XValidation, d.YValidation, 1)).ParamName);
        Assert.Equal("yTrain", Assert.Throws<ArgumentException>(() => RepresentationLearningCertificate.ConstraintResidual(d.XTrain, bad, new Matrix(6, 2))).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => RepresentationLearningCertificate.ConstraintResidual(d.XTrain, d.YTrain, new Matrix(6, 3))).ParamName);
        // m = 6 > N + N' = 5: outside gglse's range.
        var random = new Random(2);
        Assert.Equal("xTrain", Assert.Throws<ArgumentException>(() => RepresentationLearningCertificate.GenericOptimumByGglse(
            Uniform(3, 6, random), d.YTrain, Uniform(2, 6, random), new Matrix(2, 2))).ParamName);
    }
}
