using Pbgd.Distributed;
using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The data checks of the hyper-cleaning problems (HyperCleaningDataValidator, for double and for float-only X_trn): each
/// case breaks exactly one condition of one check, so a check that tests the wrong condition, joins two with the wrong
/// operator or is skipped names another parameter or nothing. The exception type, the parameter and the message are asserted.
public class HyperCleaningDataRefusalTests
{
    // N = 12 training rows, N' = 6 validation rows, m = 3 features, c = 2 classes.
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(12, 6, 3, 2, 0.3, seed: 2);

    private static Matrix WithValue(Matrix x, int i, int j, double value)
    {
        var copy = x.Clone();
        copy[i, j] = value;
        return copy;
    }

    // (what is broken, X_trn, Y_trn, X_val, Y_val, the parameter named, a part of the message)
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "no training rows", "xTrain", "The training set is empty." },
        { "no features", "xTrain", "The training set is empty." },
        { "fewer target rows", "yTrain", "yTrain has 11 rows but xTrain has 12." },
        { "no target columns", "yTrain", "yTrain has no columns." },
        { "no validation rows", "xValidation", "The validation set is empty." },
        { "more validation features", "xValidation", "xValidation has 4 features but xTrain has 3." },
        { "fewer validation target rows", "yValidation", "yValidation is 5×2; expected 6×2." },
        { "more validation target columns", "yValidation", "yValidation is 6×3; expected 6×2." },
        { "NaN in Y_trn", "yTrain", "yTrain[4, 1] is NaN; data must be finite." },
        { "NaN in X_val", "xValidation", "xValidation[5, 0] is NaN; data must be finite." },
        { "infinity in Y_val", "yValidation", "yValidation[2, 1] is " },
    };

    // The matrices of a case, X_trn in double.
    private static (Matrix XTrain, Matrix YTrain, Matrix XVal, Matrix YVal) Broken(string what) => what switch
    {
        // Rows 0 but 3 features: only the first half of "Rows == 0 || Columns == 0" holds.
        "no training rows" => (new Matrix(0, 3), new Matrix(0, 2), D.XValidation, D.YValidation),
        // 12 rows but no features (X_val alike, so nothing else is wrong): only the second half holds.
        "no features" => (new Matrix(12, 0), D.YTrain, new Matrix(6, 0), D.YValidation),
        "fewer target rows" => (D.XTrain, new Matrix(11, 2), D.XValidation, D.YValidation),
        "no target columns" => (D.XTrain, new Matrix(12, 0), D.XValidation, new Matrix(6, 0)),
        "no validation rows" => (D.XTrain, D.YTrain, new Matrix(0, 3), new Matrix(0, 2)),
        "more validation features" => (D.XTrain, D.YTrain, new Matrix(6, 4), D.YValidation),
        // Each half of "Rows differ || Columns differ" alone.
        "fewer validation target rows" => (D.XTrain, D.YTrain, D.XValidation, new Matrix(5, 2)),
        "more validation target columns" => (D.XTrain, D.YTrain, D.XValidation, new Matrix(6, 3)),
        "NaN in Y_trn" => (D.XTrain, WithValue(D.YTrain, 4, 1, double.NaN), D.XValidation, D.YValidation),
        "NaN in X_val" => (D.XTrain, D.YTrain, WithValue(D.XValidation, 5, 0, double.NaN), D.YValidation),
        "infinity in Y_val" => (D.XTrain, D.YTrain, D.XValidation, WithValue(D.YValidation, 2, 1, double.PositiveInfinity)),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    private static void Refused(Action create, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(create);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleDataAreRefusedNamingTheMatrix(string what, string parameter, string message)
    {
        var (xt, yt, xv, yv) = Broken(what);
        Refused(() => new HyperCleaningSquaredProblem(xt, yt, xv, yv), parameter, message);
        Refused(() => new HyperCleaningCrossEntropyProblem(xt, yt, xv, yv), parameter, message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatOnlyDataAreRefusedNamingTheMatrix(string what, string parameter, string message)
    {
        // The same checks for X_trn kept in float only (its own overload of the validator).
        var (xt, yt, xv, yv) = Broken(what);
        var single = new SingleRows(xt.Rows, xt.Columns);
        for (int k = 0; k < xt.Data.Length; k++) single.Span[k] = (float)xt.Data[k];
        var options = new HyperCleaningSquaredOptions { Precision = DataPrecision.SingleOnly, ExactSolver = "cg" };
        Refused(() => new HyperCleaningSquaredProblem(single, yt, xv, yv, options, null), parameter, message);
        Refused(() => new HyperCleaningCrossEntropyProblem(single, yt, xv, yv, 0, 10, null), parameter, message);
    }

    [Fact]
    public void ANonFiniteTrainingFeatureIsRefusedWithItsPosition()
    {
        var x = WithValue(D.XTrain, 1, 2, double.NaN);
        Refused(() => new HyperCleaningSquaredProblem(x, D.YTrain, D.XValidation, D.YValidation), "xTrain", "xTrain[1, 2] is NaN; data must be finite.");
        Refused(() => new HyperCleaningCrossEntropyProblem(x, D.YTrain, D.XValidation, D.YValidation), "xTrain", "xTrain[1, 2] is NaN; data must be finite.");
        // In float: the last entry (the loop must reach it) and an infinity.
        foreach (var (row, column, value) in new[] { (11, 2, float.NaN), (0, 1, float.NegativeInfinity) })
        {
            var single = SingleRows.From(D.XTrain);
            single.Span[row * 3 + column] = value;
            Refused(() => new HyperCleaningCrossEntropyProblem(single, D.YTrain, D.XValidation, D.YValidation, 0, 10, null),
                "xTrain", $"xTrain[{row}, {column}] is ");
        }
    }

    [Fact]
    public void AChainOnBadDataIsRefusedByTheProblemToo()
    {
        // LeastSquaresData checks shapes but not values: the problem built on a chain checks the data itself.
        var x = WithValue(D.XTrain, 3, 0, double.NaN);
        var options = new HyperCleaningSquaredOptions { ExactSolver = "qr" };
        var chain = LeastSquaresRegistry.Build("qr", new LeastSquaresData(x, D.YTrain, D.XValidation, D.YValidation), options.LeastSquares);
        Refused(() => new HyperCleaningSquaredProblem(chain, options), "xTrain", "xTrain[3, 0] is NaN");
        // The same for float-only X_trn.
        var single = SingleRows.From(D.XTrain);
        single.Span[7] = float.NaN; // row 2, column 1
        var floatOptions = options with { Precision = DataPrecision.SingleOnly, ExactSolver = "cg" };
        var floatChain = LeastSquaresRegistry.Build("cg", new LeastSquaresData(single, D.YTrain, D.XValidation, D.YValidation, null), floatOptions.LeastSquares);
        Refused(() => new HyperCleaningSquaredProblem(floatChain, floatOptions), "xTrain", "xTrain[2, 1] is NaN");
        // And the options it is given (the public constructors check them before building the chain; this one after).
        var badRidge = options with { Ridge = -1 };
        var goodChain = LeastSquaresRegistry.Build("qr", new LeastSquaresData(D.XTrain, D.YTrain, D.XValidation, D.YValidation), badRidge.LeastSquares);
        Assert.Equal("Ridge", Assert.Throws<ArgumentOutOfRangeException>(() => new HyperCleaningSquaredProblem(goodChain, badRidge)).ParamName);
    }

    [Fact]
    public void StorageAndPrecisionMustAgree()
    {
        Refused(() => new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation,
            new HyperCleaningSquaredOptions { Precision = DataPrecision.SingleOnly }), "options", "Precision = SingleOnly needs X_trn in float only");
        var single = SingleRows.From(D.XTrain);
        Refused(() => new HyperCleaningSquaredProblem(single, D.YTrain, D.XValidation, D.YValidation,
            new HyperCleaningSquaredOptions { Precision = DataPrecision.Single }, null), "options", "float-only X_trn needs Precision = SingleOnly, not Single.");
        // A chain on float-only data handed to the problem with double options.
        var options = new HyperCleaningSquaredOptions { ExactSolver = "cg" };
        var chain = LeastSquaresRegistry.Build("cg", new LeastSquaresData(single, D.YTrain, D.XValidation, D.YValidation, null), options.LeastSquares);
        Refused(() => new HyperCleaningSquaredProblem(chain, options), "options", "X_trn is kept in float only, but the options ask for Double precision");
        Refused(() => new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, 0, 10, DataPrecision.SingleOnly, null),
            "precision", "Precision = SingleOnly needs X_trn in float only");
    }

    [Theory]
    [InlineData("Ridge", -1.0)]
    [InlineData("Ridge", double.NaN)]
    [InlineData("Ridge", double.PositiveInfinity)]
    [InlineData("Radius", 0.0)] // the boundary: the box [−R, R] must not be a point
    [InlineData("Radius", -2.0)]
    [InlineData("Radius", double.NaN)]
    [InlineData("Radius", double.PositiveInfinity)]
    public void SquaredOptionsOutOfRangeAreRefusedByName(string option, double value)
    {
        var options = option == "Ridge" ? new HyperCleaningSquaredOptions { Ridge = value } : new HyperCleaningSquaredOptions { Radius = value };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains(option == "Ridge" ? "The ridge must be finite and ≥ 0." : "The radius must be finite and > 0.", error.Message);
    }

    [Fact]
    public void AnUnknownSquaredPrecisionIsRefusedByName()
    {
        var options = new HyperCleaningSquaredOptions { Precision = (DataPrecision)9 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, options));
        Assert.Equal("Precision", error.ParamName);
        Assert.Contains("Unknown data precision.", error.Message);
    }

    [Theory]
    [InlineData("regularization", -0.5)]
    [InlineData("regularization", double.NaN)]
    [InlineData("regularization", double.PositiveInfinity)]
    [InlineData("radius", 0.0)] // the boundary
    [InlineData("radius", -1.0)]
    [InlineData("radius", double.NaN)]
    [InlineData("radius", double.PositiveInfinity)]
    public void CrossEntropyParametersOutOfRangeAreRefusedByName(string parameter, double value)
    {
        double r = parameter == "regularization" ? value : 0.2, radius = parameter == "radius" ? value : 10;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, r, radius));
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(parameter == "radius" ? "The radius must be finite and > 0." : "r must be finite and ≥ 0.", error.Message);
    }

    [Fact]
    public void ACrossEntropyShardOfAnotherSizeIsRefused()
    {
        Refused(() => new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, 0, 10, DataPrecision.Double, RowShard.Local(11)),
            "shard", "the shard holds 11 rows but xTrain has 12.");
    }
}
