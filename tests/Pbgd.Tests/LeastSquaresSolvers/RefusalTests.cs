using Pbgd.LeastSquares;
using Pbgd.Linalg;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The validation branches of the least-squares layer, one bad condition per case (every other value valid), each
/// refusal checked for its exception type and the parameter or text it names; values exactly at a boundary are accepted
/// or refused as documented.
public class RefusalTests
{
    public static TheoryData<LeastSquaresOptions, string> BadOptions() => new()
    {
        { new LeastSquaresOptions { ConjugateGradientTolerance = 0 }, nameof(LeastSquaresOptions.ConjugateGradientTolerance) },     // (0, …: 0 is out
        { new LeastSquaresOptions { ConjugateGradientTolerance = -1e-12 }, nameof(LeastSquaresOptions.ConjugateGradientTolerance) },
        { new LeastSquaresOptions { ConjugateGradientTolerance = 1.0000001e-6 }, nameof(LeastSquaresOptions.ConjugateGradientTolerance) }, // just above 1e−6
        { new LeastSquaresOptions { ConjugateGradientTolerance = double.NaN }, nameof(LeastSquaresOptions.ConjugateGradientTolerance) },
        { new LeastSquaresOptions { ConjugateGradientMaxSteps = 0 }, nameof(LeastSquaresOptions.ConjugateGradientMaxSteps) },       // ≥ 1: 0 is out
        { new LeastSquaresOptions { RankTolerance = 0 }, nameof(LeastSquaresOptions.RankTolerance) },                               // (0, 1): both ends out
        { new LeastSquaresOptions { RankTolerance = 1 }, nameof(LeastSquaresOptions.RankTolerance) },
        { new LeastSquaresOptions { RankTolerance = double.NaN }, nameof(LeastSquaresOptions.RankTolerance) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void OptionsOutOfRangeAreRefusedNamingTheProperty(LeastSquaresOptions options, string property)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(property, error.ParamName);
        // The solvers validate too: a chain with cg, and cg built on its own.
        var data = LeastSquaresCases.RealisticData(20, 5, 3, 2, seed: 1);
        Assert.Equal(property, Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquaresRegistry.Build("svd", data, options)).ParamName);
        Assert.Equal(property, Assert.Throws<ArgumentOutOfRangeException>(() => new ConjugateGradientSolver(data, options)).ParamName);
    }

    [Fact]
    public void OptionsExactlyAtTheirClosedBoundsAreAccepted()
    {
        // The upper end of (0, 1e−6] and the lower end of ≥ 1 belong to the ranges.
        new LeastSquaresOptions { ConjugateGradientTolerance = 1e-6, ConjugateGradientMaxSteps = 1, RankTolerance = 0.999999 }.Validate();
        new LeastSquaresOptions { ConjugateGradientTolerance = double.Epsilon, RankTolerance = double.Epsilon }.Validate();
    }

    [Theory]
    [InlineData(-1e-300)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ABadRidgeIsRefusedForBothSystems(double ridge)
    {
        var psi = new double[] { 0.5 };
        Assert.Equal("ridge", Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquaresSystem.Lower(psi, ridge)).ParamName);
        Assert.Equal("ridge", Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquaresSystem.Penalized(psi, 1, ridge)).ParamName);
    }

    [Theory]
    [InlineData(-1e-300)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ABadGammaIsRefused(double gamma) =>
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquaresSystem.Penalized(new double[] { 0.5 }, gamma, 0)).ParamName);

    [Fact]
    public void ZeroRidgeAndZeroGammaAreValidAndTheSystemsNameThemselves()
    {
        var psi = new double[] { 0.5 };
        var lower = LeastSquaresSystem.Lower(psi, 0);
        var penalized = LeastSquaresSystem.Penalized(psi, 0, 0);
        Assert.False(lower.IsPenalized);
        Assert.True(double.IsNaN(lower.Gamma));
        Assert.True(penalized.IsPenalized);
        Assert.Equal((0.0, 0.0), (penalized.Gamma, penalized.Ridge));
        Assert.Equal("system 1", lower.ToString());
        Assert.Equal("system 2 (γ = 0.25)", LeastSquaresSystem.Penalized(psi, 0.25, 1).ToString());
    }

    [Fact]
    public void MismatchedShapesAreRefusedNamingTheArgument()
    {
        static Matrix Z(int rows, int columns) => new(rows, columns);
        void Refused(string name, Matrix xt, Matrix yt, Matrix xv, Matrix yv) =>
            Assert.Equal(name, Assert.Throws<ArgumentException>(() => new LeastSquaresData(xt, yt, xv, yv)).ParamName);
        // Valid: X 4×3, Y 4×2, X_val 2×3, Y_val 2×2. One mismatch per line.
        Refused("xTrain", Z(0, 3), Z(0, 2), Z(2, 3), Z(2, 2));
        Refused("xTrain", Z(4, 0), Z(4, 2), Z(2, 0), Z(2, 2));
        Refused("xTrain", Z(4, 3), Z(4, 0), Z(2, 3), Z(2, 0));
        Refused("yTrain", Z(4, 3), Z(5, 2), Z(2, 3), Z(2, 2));
        Refused("xValidation", Z(4, 3), Z(4, 2), Z(2, 4), Z(2, 2));
        Refused("yValidation", Z(4, 3), Z(4, 2), Z(2, 3), Z(3, 2));
        Refused("yValidation", Z(4, 3), Z(4, 2), Z(2, 3), Z(2, 1));
        Assert.Throws<ArgumentNullException>(() => new LeastSquaresData(null!, Z(4, 2), Z(2, 3), Z(2, 2)));
        Assert.Throws<ArgumentNullException>(() => new LeastSquaresData(Z(4, 3), null!, Z(2, 3), Z(2, 2)));
        Assert.Throws<ArgumentNullException>(() => new LeastSquaresData(Z(4, 3), Z(4, 2), null!, Z(2, 2)));
        Assert.Throws<ArgumentNullException>(() => new LeastSquaresData(Z(4, 3), Z(4, 2), Z(2, 3), null!));
        var data = new LeastSquaresData(Z(4, 3), Z(4, 2), Z(2, 3), Z(2, 2));
        Assert.Equal((4, 2, 3, 2), (data.TrainCount, data.ValidationCount, data.FeatureCount, data.OutputCount));
        // No validation rows is a valid (if useless) system 2.
        Assert.Equal(0, new LeastSquaresData(Z(4, 3), Z(4, 2), Z(0, 3), Z(0, 2)).ValidationCount);
    }

    [Fact]
    public void FloatOnlyDataHasNoDoubleCopyAndAShardMustHoldTheRows()
    {
        var (x, y, xv, yv) = (new Matrix(4, 3), new Matrix(4, 2), new Matrix(2, 3), new Matrix(2, 2));
        var floatOnly = new LeastSquaresData(SingleRows.From(x, "xTrain"), y, xv, yv, null);
        Assert.Equal((4, 3), (floatOnly.TrainCount, floatOnly.FeatureCount));
        Assert.Contains("single precision only", Assert.Throws<InvalidOperationException>(() => floatOnly.XTrain).Message);
        Assert.Same(x, new LeastSquaresData(x, y, xv, yv).XTrain);
        Assert.Throws<ArgumentNullException>(() => new LeastSquaresData((SingleRows)null!, y, xv, yv, null));
        var shard = Assert.Throws<ArgumentException>(() => new LeastSquaresData(x, y, xv, yv, Pbgd.Distributed.RowShard.Local(5)));
        Assert.Equal("shard", shard.ParamName);
        Assert.Contains("the shard holds 5 rows but xTrain has 4", shard.Message);
        Assert.Equal(4, new LeastSquaresData(x, y, xv, yv, Pbgd.Distributed.RowShard.Local(4)).Shard.GlobalRows);
    }
}
