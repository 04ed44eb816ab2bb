using Pbgd.LeastSquares;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// The chain texts: how each link is written and read back, which texts are refused (the message quoting the offending
/// token, one fault per case), and the registry's names, help text and solution summary.
public class ChainSpecTests
{
    [Theory]
    [InlineData("normal@cost:50", "normal", 50, true)]
    [InlineData("normal@cost", "normal", 0, true)]
    [InlineData("cg:7", "cg", 7, false)]
    [InlineData("qr", "qr", 0, false)]
    public void EachLinkIsReadAndWrittenAsDocumented(string text, string solver, int retryAfter, bool gated)
    {
        var link = Assert.Single(LeastSquaresChainSpec.Of(new ChainLink(solver, retryAfter, gated)).Links);
        Assert.Equal(text, link.ToString());
        var parsed = LeastSquaresChainSpec.Parse(text + ",svd").Links[0];
        Assert.Equal(new ChainLink(solver, retryAfter, gated), parsed);
    }

    [Theory]
    [InlineData("normal:-1,svd", "'normal:-1'", "text")]   // a sign is not a whole number here
    [InlineData("normal:,svd", "'normal:'", "text")]
    [InlineData("normal:+2,svd", "'normal:+2'", "text")]
    [InlineData("cg, svd:1.5", "'svd:1.5'", "text")]
    [InlineData("normal,lu:3,svd", "'lu' is not a solver", "links")]
    [InlineData(":5", "'' is not a solver", "links")]        // the retry count is read, the name before ':' is empty
    [InlineData("@cost,svd", "'' is not a solver", "links")] // the marker is removed, nothing is left
    [InlineData("svd@cost", "'svd@cost': only the normal equations have a cost to weigh", "links")]
    [InlineData("cg,svd,cg:2", "'cg' appears twice", "links")]
    [InlineData(" , svd", "' , svd' has an empty entry", "text")]
    public void BadTextsAreRefusedQuotingTheOffendingToken(string text, string named, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => LeastSquaresChainSpec.Parse(text));
        Assert.Contains(named, error.Message);
        Assert.Equal(parameter, error.ParamName); // Parse's own checks name the text, Of's the links
    }

    [Fact]
    public void OfRefusesNoLinksANegativeRetryCountAndNull()
    {
        var empty = Assert.Throws<ArgumentException>(() => LeastSquaresChainSpec.Of());
        Assert.Equal("links", empty.ParamName);
        Assert.Contains("at least one solver", empty.Message);
        var negative = Assert.Throws<ArgumentException>(() => LeastSquaresChainSpec.Of(new ChainLink("cg", -1), new ChainLink("svd")));
        Assert.Equal("links", negative.ParamName);
        Assert.Contains("'cg': the number of solves to skip must be ≥ 0", negative.Message);
        var unknown = Assert.Throws<ArgumentException>(() => LeastSquaresChainSpec.Of(new ChainLink("svd"), new ChainLink("lu")));
        Assert.Contains("'lu' is not a solver (solvers: normal, cg, qr, svd; presets: auto, cg, qr)", unknown.Message);
        Assert.Throws<ArgumentNullException>(() => LeastSquaresChainSpec.Of(null!));
        Assert.Throws<ArgumentNullException>(() => LeastSquaresChainSpec.Parse(null!));
    }

    [Fact]
    public void SpecsAreEqualExactlyWhenTheirTextsAre()
    {
        var a = LeastSquaresChainSpec.Parse(" cg ");               // the preset, expanded
        var b = LeastSquaresChainSpec.Parse("cg,normal,qr,svd");
        var c = LeastSquaresChainSpec.Parse("cg,normal,svd");
        Assert.Equal("cg,normal,qr,svd", a.Text);
        Assert.Equal(a.Text, a.ToString());
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(c));
        Assert.False(a.Equals((LeastSquaresChainSpec?)null));
        Assert.False(a.Equals((object)"cg,normal,qr,svd")); // a string with the same text is not a spec
    }

    [Fact]
    public void TheRegistryNamesItsSolversAndPresetsAndFindsOnlyThose()
    {
        Assert.Equal("normal, cg, qr, svd", LeastSquaresRegistry.SolverNames);
        Assert.Equal("auto, cg, qr", LeastSquaresRegistry.PresetNames);
        Assert.Null(LeastSquaresRegistry.Find("auto"));
        Assert.Null(LeastSquaresRegistry.FindPreset("svd"));
        Assert.Equal("qr,svd", LeastSquaresRegistry.FindPreset("qr")!.Chain);
        Assert.Contains("NAME:K skips NAME for the next K solves after it fails", LeastSquaresRegistry.HelpText);
        Assert.Contains("comma-separated, e.g. normal,cg,svd", LeastSquaresRegistry.HelpText);
        Assert.True(LeastSquaresRegistry.ReadsSinglePrecisionCopy(LeastSquaresChainSpec.Parse("normal,cg,svd")));
        Assert.False(LeastSquaresRegistry.ReadsSinglePrecisionCopy(LeastSquaresChainSpec.Parse("normal,svd")));
    }

    [Fact]
    public void TheSummaryListsSolversInRegistrationOrderLeavingOutThoseWithoutSolutions()
    {
        var options = new LeastSquaresOptions { ConjugateGradientTolerance = 2.5e-9 };
        var counts = new Dictionary<string, long> { ["svd"] = 1, ["qr"] = 0, ["cg"] = 200, ["normal"] = 4 };
        Assert.Equal("4 by normal equations (Cholesky), 200 by conjugate gradients (normwise backward error ≤ 2.5E-09), 1 by minimum-norm SVD (gelsd)",
            LeastSquaresRegistry.DescribeCounts(counts, options));
        Assert.Equal("5 by QR (gels)", LeastSquaresRegistry.DescribeCounts(new Dictionary<string, long> { ["qr"] = 5, ["lu"] = 3 }, options));
        Assert.Equal("none", LeastSquaresRegistry.DescribeCounts(new Dictionary<string, long>(), options));
        Assert.Throws<ArgumentNullException>(() => LeastSquaresRegistry.DescribeCounts(null!, options));
        Assert.Throws<ArgumentNullException>(() => LeastSquaresRegistry.DescribeCounts(counts, null!));
    }

    [Fact]
    public void BuildRefusesNullsAndValidatesTheOptions()
    {
        var data = LeastSquaresCases.RealisticData(20, 5, 3, 2, seed: 1);
        Assert.Throws<ArgumentNullException>(() => LeastSquaresRegistry.Build((LeastSquaresChainSpec)null!, data));
        Assert.Throws<ArgumentNullException>(() => LeastSquaresRegistry.Build("svd", null!));
        var chain = LeastSquaresRegistry.Build("normal,svd", data);
        Assert.Same(data, chain.Data);
        Assert.Equal(new LeastSquaresOptions(), chain.Options); // null: the defaults
        Assert.Equal("normal,svd", chain.Spec.Text);
        Assert.Null(chain.Find<ConjugateGradientSolver>());
        Assert.NotNull(chain.Find<MinimumNormSolver>());
    }
}
