using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Solvers;

/// Measures process-wide allocation (the kernel pool's threads included), so it runs alone.
[CollectionDefinition(nameof(InexactAllocationCollection), DisableParallelization = true)]
public class InexactAllocationCollection;

/// PBGD-B with a line-search upper step over inexact inner solves (L-BFGS v-step, L-BFGS oracle) allocates no managed memory
/// per outer iteration in steady state. N = 2 304 rows, so the fused passes split into the kernel pool's 8 parts and its
/// threads run. Two measurements after a warm-up (JIT tiers, the pool's threads, first-call paths): the calling thread's own
/// counter over nine iterations is exact and must not move; the process-wide counter (GC.GetTotalAllocatedBytes, precise),
/// which also sees the pool's threads, is read around each of 16 single iterations and its minimum must be zero: the test
/// host's own threads allocate 168 bytes now and then (on a loaded machine in most windows of a slow iteration), while an
/// allocation per iteration would show in every window.
[Collection(nameof(InexactAllocationCollection))]
[Trait("Category", "Allocation")] // out of mutation runs: the instrumented assembly allocates
public class InexactAllocationTests
{
    [Theory]
    [InlineData(UpperStepRule.Lbfgs, DataPrecision.Double)]
    [InlineData(UpperStepRule.Lbfgs, DataPrecision.Single)]
    [InlineData(UpperStepRule.SpectralGradient, DataPrecision.Double)]
    public void SteadyStateOuterIterationsAllocateNothing(UpperStepRule rule, DataPrecision precision)
    {
        // Few features and classes keep an iteration short, so the windows are short next to the host's own allocations.
        var d = HyperCleaningGenerator.Realistic(2304, 300, 4, 3, 0.4, seed: 8);
        var problem = new HyperCleaningCrossEntropyProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, regularization: 1e-3, precision: precision);
        var solver = new PbgdBlockwise(problem, new LbfgsLowerLevelOracle(problem),
            new PbgdOptions { UpperStep = rule, Penalty = PenaltySchedule.Constant(3), MaxIterations = 10_000 });
        var state = solver.Init(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        for (int k = 0; k < 4; k++) solver.Step(state);

        const int windows = 16;
        var allocated = new long[windows];
        long innerBefore = state.Counts.InnerSteps, evaluationsBefore = state.Counts.Evaluations;
        long thread = GC.GetAllocatedBytesForCurrentThread();
        for (int window = 0; window < windows; window++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            solver.Step(state);
            allocated[window] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        thread = GC.GetAllocatedBytesForCurrentThread() - thread;
        Assert.Equal(4 + windows, state.Iteration);
        Assert.True(state.Counts.Evaluations - evaluationsBefore >= windows, "the windows must have evaluated φ_γ");
        Assert.True(state.Counts.InnerSteps - innerBefore >= windows * 2, "the windows must have run inner solves");
        Assert.Equal(0, thread);
        Assert.True(allocated.Min() == 0, $"bytes per iteration, process-wide: {string.Join(", ", allocated)}");
    }
}
