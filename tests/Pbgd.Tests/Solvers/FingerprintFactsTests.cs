using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Tests.Solvers;

/// Besides the options record, a checkpoint's options fingerprint covers what else shapes the iterates: the solver, the
/// oracle (PBGD's, or the reports' for RXGF, F²SA and BOME) and the problem's dimensions; a problem without a data
/// fingerprint says "unknown".
public sealed class FingerprintFactsTests
{
    private static BoxQuadraticProblem Sized(int n, int p) =>
        new(Enumerable.Range(0, n * p).Select(i => 0.1 * (i + 1)).ToArray(), n, p, new double[p], 0.5, -1, 1, new Smoothness(1, 2, 1, false));

    public static TheoryData<string> Solvers => new(["J", "B", "RXGF", "F2SA", "BOME"]);

    private static IBilevelSolver Build(string kind, BoxQuadraticProblem q, ILowerLevelOracle oracle) => kind switch
    {
        "J" => new PbgdJacobi(q, oracle),
        "B" => new PbgdBlockwise(q, oracle),
        "RXGF" => new Rxgf(q, oracle),
        "F2SA" => new F2sa(q, oracle),
        _ => new Bome(q, oracle),
    };

    [Theory]
    [MemberData(nameof(Solvers))]
    public void TheOracleAndEachDimensionChangeTheFingerprint(string kind)
    {
        var q = Sized(2, 3);
        string reference = Build(kind, q, new ExactLowerLevelOracle(q)).OptionsFingerprint;
        Assert.Equal(reference, Build(kind, Sized(2, 3), new ExactLowerLevelOracle(q)).OptionsFingerprint);
        Assert.NotEqual(reference, Build(kind, q, new OffsetOracle(q, new double[3], 0)).OptionsFingerprint);
        var wider = Sized(3, 3);
        Assert.NotEqual(reference, Build(kind, wider, new ExactLowerLevelOracle(wider)).OptionsFingerprint);
        var taller = Sized(2, 4);
        Assert.NotEqual(reference, Build(kind, taller, new ExactLowerLevelOracle(taller)).OptionsFingerprint);
        Assert.Equal("unknown", Build(kind, q, new ExactLowerLevelOracle(q)) switch
        {
            PbgdSolver s => s.DataFingerprint,
            Rxgf s => s.DataFingerprint,
            BaselineSolver s => s.DataFingerprint,
            _ => "",
        });
    }

    [Fact]
    public void TheSolversNameChangesTheFingerprint()
    {
        var q = Sized(2, 3);
        var oracle = new ExactLowerLevelOracle(q);
        Assert.NotEqual(new PbgdJacobi(q, oracle).OptionsFingerprint, new PbgdBlockwise(q, oracle).OptionsFingerprint);
        Assert.NotEqual(new F2sa(q, oracle).OptionsFingerprint, new Bome(q, oracle).OptionsFingerprint);
    }
}
