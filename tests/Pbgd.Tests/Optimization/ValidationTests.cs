using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// Every precondition is checked up front and the exception names the offending parameter or option.
public class ValidationTests
{
    public static TheoryData<string, BoxMinimizerOptions> InvalidOptions() => new()
    {
        { "MaxIterations", new() { MaxIterations = -1 } },
        { "GradientTolerance", new() { GradientTolerance = -1e-6 } },
        { "GradientTolerance", new() { GradientTolerance = double.NaN } },
        { "RelativeGradientTolerance", new() { RelativeGradientTolerance = 1 } },
        { "FunctionTolerance", new() { FunctionTolerance = double.PositiveInfinity } },
        { "MaxBacktracks", new() { MaxBacktracks = 0 } },
        { "ArmijoConstant", new() { ArmijoConstant = 0.5 } },
        { "ArmijoConstant", new() { ArmijoConstant = 0 } },
        { "CurvatureConstant", new() { CurvatureConstant = 1e-5 } },
        { "CurvatureConstant", new() { CurvatureConstant = 1 } },
        { "CurvatureConstant", new() { ArmijoConstant = 0.25, CurvatureConstant = 0.25 } },   // c₂ = c₁: the open end
        { "RelativeValueNoise", new() { RelativeValueNoise = -1 } },
        { "RelativeValueNoise", new() { RelativeValueNoise = 1 } },
        { "Memory", new() { Memory = 0 } },
        { "CurvatureSkipThreshold", new() { CurvatureSkipThreshold = -1 } },
        { "NonmonotoneWindow", new() { NonmonotoneWindow = 0 } },
        { "SpectralStepMin", new() { SpectralStepMin = 0 } },
        { "SpectralStepMax", new() { SpectralStepMin = 1, SpectralStepMax = 0.5 } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsNameTheOption(string name, BoxMinimizerOptions options)
    {
        Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(options.Validate).ParamName);
        var e = Assert.ThrowsAny<ArgumentException>(() => new ProjectedLbfgs(new Rosenbrock(2), Box.Unbounded(2), options));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void DefaultOptionsAreValid() => new BoxMinimizerOptions().Validate();

    /// The closed ends of the documented ranges are valid (mutation testing, issue 16: a check that refused them
    /// would go unseen otherwise): no iterations, a single backtrack, pair, or window value, no noise allowance,
    /// a zero skip threshold, and λ_max = λ_min.
    public static TheoryData<BoxMinimizerOptions> BoundaryOptions() => new()
    {
        new() { MaxIterations = 0 },
        new() { MaxBacktracks = 1 },
        new() { Memory = 1 },
        new() { NonmonotoneWindow = 1 },
        new() { RelativeValueNoise = 0 },
        new() { CurvatureSkipThreshold = 0, GradientTolerance = 0, FunctionTolerance = 0, RelativeGradientTolerance = 0 },
        new() { SpectralStepMin = 0.5, SpectralStepMax = 0.5 },
    };

    [Theory]
    [MemberData(nameof(BoundaryOptions))]
    public void OptionsAtTheClosedEndsOfTheirRangesAreValid(BoxMinimizerOptions options)
    {
        options.Validate();
        Assert.Equal(options, new SpectralProjectedGradient(new Rosenbrock(2), Box.Unbounded(2), options).Options);
    }

    /// The objective needs at least one variable; one is enough.
    [Fact]
    public void ObjectiveDimensionMustBeAtLeastOne()
    {
        var empty = Assert.Throws<ArgumentException>(() => new SpectralProjectedGradient(new NoVariables(), Box.Unbounded(1)));
        Assert.Equal("objective", empty.ParamName);
        Assert.Contains("dimension is 0", empty.Message);
        var one = new ProjectedLbfgs(new WeightedSquares([1.0], [0.0]), Box.Unbounded(1));
        Assert.Equal(1, one.Dimension);
    }

    private sealed class NoVariables : IDifferentiableObjective
    {
        public int Dimension => 0;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) => 0;
    }

    [Fact]
    public void BoxChecksItsBounds()
    {
        Assert.Equal("upper", Assert.Throws<ArgumentException>(() => new Box([0.0, 1.0], [1.0])).ParamName);
        Assert.Equal("upper", Assert.Throws<ArgumentException>(() => new Box([0.0, 2.0], [1.0, 1.0])).ParamName);
        Assert.Equal("lower", Assert.Throws<ArgumentException>(() => new Box([double.NaN], [1.0])).ParamName);
        Assert.Equal("lower", Assert.Throws<ArgumentException>(() => new Box([double.PositiveInfinity], [double.PositiveInfinity])).ParamName);
        Assert.Equal("upper", Assert.Throws<ArgumentException>(() => new Box([0.0], [double.NegativeInfinity])).ParamName);
        Assert.Equal("lower", Assert.Throws<ArgumentException>(() => new Box([], [])).ParamName);
        var box = new Box([0.0, double.NegativeInfinity], [1.0, 2.0]);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => box.Project([0.5, 0.5], new double[3])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => box.ProjectedGradientNorm([0.5, 0.5], [1.0])).ParamName);
        // x itself must have the box's length, also where the other argument does (mutation testing, issue 16: these three
        // checks, the NaN upper bound, the upper bound's own message and Uniform's dimension check could be removed unseen).
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => box.Contains([0.5])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => box.Project([0.5], new double[2])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => box.ProjectedGradientNorm([0.5], [1.0, 1.0])).ParamName);
        Assert.Equal("upper", Assert.Throws<ArgumentException>(() => new Box([0.0], [double.NaN])).ParamName);
        Assert.Contains("must be finite or +∞", Assert.Throws<ArgumentException>(() => new Box([0.0], [double.NegativeInfinity])).Message);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => Box.Uniform(0, 0, 1)).ParamName);
        // A degenerate coordinate (lower = upper) is a valid box, and x on it is inside.
        var flat = new Box([1.0, 0.0], [1.0, 2.0]);
        Assert.True(flat.Contains([1.0, 2.0]));
        Assert.False(flat.Contains([1.0 + 1e-15, 1.0]));
    }

    /// Projection clamps per coordinate; the projected-gradient norm is ‖x − P(x − g)‖∞, worked by hand:
    /// x = (0, 1.5, 0.5), g = (3, −4, 0.25) on [0,1]×(−∞,2]×[0,1] → P(x − g) = (0, 2, 0.25) → max(0, 0.5, 0.25).
    [Fact]
    public void BoxProjectionAndGradientMappingMatchHandValues()
    {
        var box = new Box([0.0, double.NegativeInfinity, 0.0], [1.0, 2.0, 1.0]);
        var p = new double[3];
        box.Project([-1.0, 7.0, 0.3], p);
        Assert.Equal([0.0, 2.0, 0.3], p);
        Assert.Equal(0.5, box.ProjectedGradientNorm([0.0, 1.5, 0.5], [3.0, -4.0, 0.25]));
        Assert.True(double.IsNaN(box.ProjectedGradientNorm([0.0, 1.5, 0.5], [double.NaN, 0.0, 0.0])));
    }

    [Fact]
    public void MinimizerChecksItsArguments()
    {
        Assert.Equal("box", Assert.Throws<ArgumentException>(() => new ProjectedLbfgs(new Rosenbrock(2), Box.Unbounded(3))).ParamName);
        Assert.Equal("objective", Assert.Throws<ArgumentNullException>(() => new SpectralProjectedGradient(null!, Box.Unbounded(3))).ParamName);
        var minimizer = new ProjectedLbfgs(new Rosenbrock(2), Box.Unbounded(2));
        Assert.Throws<InvalidOperationException>(() => minimizer.Step());
        Assert.Throws<InvalidOperationException>(() => minimizer.SaveState());
        // Also where the next call would not notice: a run whose token is already cancelled, a re-evaluation, and
        // SPG's checkpoint (mutation testing, issue 16).
        Assert.Throws<InvalidOperationException>(() => minimizer.Run(new CancellationToken(canceled: true)));
        Assert.Throws<InvalidOperationException>(() => minimizer.Reevaluate());
        Assert.Equal(0, minimizer.Counts.Evaluations);
        Assert.Throws<InvalidOperationException>(() => new SpectralProjectedGradient(new Rosenbrock(2), Box.Unbounded(2)).SaveState());
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => minimizer.Init([1.0])).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => minimizer.Init([1.0, double.NaN])).ParamName);
        Assert.Equal("solution", Assert.Throws<ArgumentException>(() => minimizer.Minimize([1.0, 1.0], new double[1])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => minimizer.Evaluate([1.0], new double[2])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => minimizer.Evaluate([1.0, 1.0], new double[1])).ParamName);
    }
}
