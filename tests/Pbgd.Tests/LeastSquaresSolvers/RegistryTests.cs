using Pbgd.LeastSquares;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// Every registered solver and preset is reachable by name, builds, and describes itself; chain texts parse as
/// documented and bad ones are refused naming the part that is wrong.
public class RegistryTests
{
    [Fact]
    public void EveryRegisteredSolverParsesBuildsAndDescribes()
    {
        var data = LeastSquaresCases.RealisticData(40, 10, 4, 2, seed: 1);
        var options = new LeastSquaresOptions();
        Assert.Equal(["normal", "cg", "qr", "svd"], LeastSquaresRegistry.Solvers.Select(s => s.Name));
        foreach (var entry in LeastSquaresRegistry.Solvers)
        {
            // Alone (a preset of the same name expands, so the one-link chain is built with Of) and inside a list.
            var alone = LeastSquaresRegistry.Build(LeastSquaresChainSpec.Of(new ChainLink(entry.Name)), data, options);
            Assert.Equal(entry.Name, Assert.Single(alone.Solvers).Name);
            if (entry.Name != "svd") Assert.Equal([entry.Name, "svd"], LeastSquaresChainSpec.Parse($"{entry.Name},svd").Links.Select(l => l.Solver));
            Assert.Contains(entry.Name, LeastSquaresChainSpec.Parse(entry.Name).Links.Select(l => l.Solver)); // a preset of that name, or the solver alone
            Assert.Same(entry, LeastSquaresRegistry.Find(entry.Name));
            Assert.False(string.IsNullOrWhiteSpace(entry.Description));
            Assert.DoesNotContain('\n', entry.Description);
            Assert.False(string.IsNullOrWhiteSpace(entry.Label(options)));
            Assert.Contains($"{entry.Name}: {entry.Description}", LeastSquaresRegistry.HelpText);
            Assert.Equal($"3 by {entry.Label(options)}", LeastSquaresRegistry.DescribeCounts(new Dictionary<string, long> { [entry.Name] = 3 }, options));
        }
        Assert.Equal("none", LeastSquaresRegistry.DescribeCounts(new Dictionary<string, long> { ["svd"] = 0 }, options));
    }

    [Fact]
    public void PresetsAreChainsOfRegisteredSolversEndingWithTheSvd()
    {
        Assert.Equal(["auto", "cg", "qr"], LeastSquaresRegistry.Presets.Select(p => p.Name));
        foreach (var preset in LeastSquaresRegistry.Presets)
        {
            var spec = LeastSquaresChainSpec.Parse(preset.Name);
            Assert.Equal(preset.Chain, spec.Text);
            Assert.Equal(spec, LeastSquaresChainSpec.Parse(preset.Chain));
            Assert.Equal("svd", spec.Links[^1].Solver); // the SVD always answers
            Assert.Contains($"{preset.Name} (= {preset.Chain}): {preset.Description}", LeastSquaresRegistry.HelpText);
        }
        Assert.Equal([new ChainLink("normal", 50, CostGated: true), new ChainLink("cg"), new ChainLink("qr"), new ChainLink("svd")], LeastSquaresChainSpec.Parse("auto").Links);
        Assert.True(LeastSquaresRegistry.ReadsSinglePrecisionCopy(LeastSquaresChainSpec.Parse("auto")));
        Assert.False(LeastSquaresRegistry.ReadsSinglePrecisionCopy(LeastSquaresChainSpec.Parse("qr")));
    }

    [Theory]
    [InlineData(" normal , cg:5,svd ", "normal,cg:5,svd")]
    [InlineData("svd", "svd")]
    [InlineData("normal", "normal")]
    public void ChainTextsAreReadIntoTheirCanonicalForm(string text, string canonical) =>
        Assert.Equal(canonical, LeastSquaresChainSpec.Parse(text).Text);

    [Theory]
    [InlineData("lu", "'lu' is not a solver")]
    [InlineData("normal,cg,normal", "'normal' appears twice")]
    [InlineData("normal:0,svd", "'normal:0'")]
    [InlineData("normal:x,svd", "'normal:x'")]
    [InlineData("normal,,svd", "empty entry")]
    [InlineData("", "empty entry")]
    public void BadChainTextsAreRefusedNamingThePart(string text, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => LeastSquaresChainSpec.Parse(text));
        Assert.Contains(named, error.Message);
    }
}
