using Pbgd.Experiments.Setup;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Solvers;

/// A line-search upper step over inexact inner solves (PBGD-B's L-BFGS v-step, the L-BFGS oracle; PBGD-J's joint L-BFGS
/// with the L-BFGS oracle) resumes from a checkpoint to the bit: the warm starts (v, ω), the tolerance reference G and its
/// tightening, the outer L-BFGS memory and the oracle's tolerance all travel in the checkpoint. A γ ramp makes the resumed
/// part re-evaluate and re-settle the inner solves after checkpoints.
public class InexactResumeTests
{
    private static HyperCleaningCrossEntropyProblem Problem()
    {
        var d = HyperCleaningGenerator.Realistic(300, 80, 6, 3, 0.4, 21);
        return new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 0.01);
    }

    public static TheoryData<BilevelAlgorithm, UpperStepRule, string> Cases => new()
    {
        { BilevelAlgorithm.Blockwise, UpperStepRule.Lbfgs, "ramp:0.5:5:12" },
        { BilevelAlgorithm.Blockwise, UpperStepRule.Lbfgs, "2" },
        { BilevelAlgorithm.Blockwise, UpperStepRule.SpectralGradient, "ramp:0.5:5:12" },
        { BilevelAlgorithm.Jacobi, UpperStepRule.Lbfgs, "ramp:0.5:5:12" },
    };

    private static IBilevelSolver Build(IBilevelProblem problem, BilevelAlgorithm algorithm, UpperStepRule rule, string gamma,
        Action<SolverCheckpoint>? sink, IterationObserver? observer = null) =>
        SolverFactory.Create(problem, new SolverSettings
        {
            Algorithm = algorithm, UpperStep = rule, LbfgsOracle = true, ExactOracle = false, Gamma = gamma, MaxIterations = 24, LogEvery = 3,
            Checkpoint = sink, CheckpointEvery = sink is null ? 0 : 5, Observer = observer,
        }, new double[problem.UpperDimension], new double[problem.LowerDimension]);

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Speed", "Slow")] // out of mutation runs: most of the Solvers folder's test time there
    public void APeriodicCheckpointResumesToTheBit(BilevelAlgorithm algorithm, UpperStepRule rule, string gamma)
    {
        var problem = Problem();
        var (u0, v0) = (new double[problem.UpperDimension], new double[problem.LowerDimension]);
        SolverCheckpoint? at10 = null;
        var full = Build(problem, algorithm, rule, gamma, c => { if (c.Iteration == 10 && c.Stopped is null) at10 = c; }).Run(u0, v0);
        Assert.Equal(StopReason.MaxIterations, full.StopReason);
        Assert.NotNull(at10);
        Assert.True(full.Counts.InnerSteps > 0);

        var resumed = Build(Problem(), algorithm, rule, gamma, null).Resume(RoundTrip(at10!));
        Assert.Equal(full.U, resumed.U);
        Assert.Equal(full.V, resumed.V);
        Assert.Equal(full.Omega, resumed.Omega);
        Assert.Equal(full.Counts, resumed.Counts);
        Assert.Equal(Records(full), Records(resumed));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ACancelledRunContinuesExactly(BilevelAlgorithm algorithm, UpperStepRule rule, string gamma)
    {
        var (u0, v0) = (new double[Problem().UpperDimension], new double[Problem().LowerDimension]);
        var full = Build(Problem(), algorithm, rule, gamma, null).Run(u0, v0);
        using var cancel = new CancellationTokenSource();
        SolverCheckpoint? last = null;
        var interrupted = Build(Problem(), algorithm, rule, gamma, c => last = c,
            (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => { if (r.Iteration >= 7) cancel.Cancel(); }).Run(u0, v0, cancel.Token);
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        var resumed = Build(Problem(), algorithm, rule, gamma, null).Resume(RoundTrip(last!));
        Assert.Equal(full.U, resumed.U);
        Assert.Equal(full.V, resumed.V);
        Assert.Equal(full.Counts, resumed.Counts);
        Assert.Equal(Records(full), Records(resumed));
    }

    private static SolverCheckpoint RoundTrip(SolverCheckpoint checkpoint)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pbgd-inexact-{Guid.NewGuid():N}.json");
        try
        {
            checkpoint.Save(path);
            return SolverCheckpoint.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (int, double, double, double, double)[] Records(SolverResult r) =>
        r.History.Records.ToArray().Select(x => (x.Iteration, x.Upper, x.Penalized, x.LowerBlockGradientNorm, x.OracleResidual)).ToArray();
}
