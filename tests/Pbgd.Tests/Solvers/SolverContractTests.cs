using System.Reflection;
using Pbgd.Experiments.Setup;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Solvers;

/// <summary>
/// The one contract every solver keeps (IBilevelSolver through BilevelSolver): each of the five runs, checkpoints,
/// resumes to the bit, and stops with a checkpoint that a resume continues exactly, without logging an iteration twice.
/// </summary>
public sealed class SolverContractTests
{
    private static HyperCleaningSquaredProblem Problem()
    {
        var d = HyperCleaningGenerator.Realistic(120, 40, 4, 3, 0.4, 11);
        return new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
    }

    public static TheoryData<BilevelAlgorithm> Algorithms => new(BilevelAlgorithms.All);

    private static IBilevelSolver Build(BilevelAlgorithm algorithm, IBilevelProblem problem, Action<SolverCheckpoint>? sink,
        IterationObserver? observer = null) =>
        SolverFactory.Create(problem, new SolverSettings
        {
            Algorithm = algorithm, Gamma = "ramp:1:10:30", MaxIterations = 60, LogEvery = 4, Checkpoint = sink, CheckpointEvery = sink is null ? 0 : 10,
            Observer = observer, Rxgf = new RxgfOptions { KktTolerance = null },
        }, new double[problem.UpperDimension], new double[problem.LowerDimension]);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void EverySolverResumesFromAPeriodicCheckpointToTheBit(BilevelAlgorithm algorithm)
    {
        var problem = Problem();
        SolverCheckpoint? at30 = null;
        var full = Build(algorithm, problem, c => { if (c.Iteration == 30 && c.Stopped is null) at30 = c; })
            .Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        Assert.NotNull(at30);
        Assert.Equal(60, full.Iterations);
        Assert.Equal(full.Counts.UpperSteps, full.Iterations);

        var fresh = Problem();
        var resumed = Build(algorithm, fresh, null).Resume(RoundTrip(at30!));
        Assert.Equal(full.U, resumed.U);
        Assert.Equal(full.V, resumed.V);
        Assert.Equal(full.Final.Upper, resumed.Final.Upper);
        Assert.Equal(full.Counts, resumed.Counts);
        Assert.Equal(Iterations(full), Iterations(resumed));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ACancelledRunsLastCheckpointContinuesItWithoutRecordingAnIterationTwice(BilevelAlgorithm algorithm)
    {
        var problem = Problem();
        var u0 = new double[problem.UpperDimension];
        var v0 = new double[problem.LowerDimension];
        var full = Build(algorithm, problem, null).Run(u0, v0);

        // Cancel at iteration 23 (not a logged one: LogEvery = 4).
        using var cancel = new CancellationTokenSource();
        SolverCheckpoint? last = null;
        var interrupted = Build(algorithm, Problem(), c => last = c,
            (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => { if (r.Iteration >= 23) cancel.Cancel(); })
            .Run(u0, v0, cancel.Token);
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        Assert.NotNull(last);
        Assert.Null(last!.Stopped);
        Assert.Equal(interrupted.Iterations + 1, last.Iteration); // the step the uninterrupted run takes next was taken

        var resumed = Build(algorithm, Problem(), null).Resume(RoundTrip(last));
        Assert.Equal(full.U, resumed.U);
        Assert.Equal(full.V, resumed.V);
        Assert.Equal(full.Counts, resumed.Counts);
        Assert.Equal(Iterations(full), Iterations(resumed));
    }

    [Fact]
    public void AFinishedRunsLastCheckpointSaysWhyItStopped()
    {
        var problem = Problem();
        SolverCheckpoint? last = null;
        var result = Build(BilevelAlgorithm.Blockwise, problem, c => last = c).Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(StopReason.MaxIterations, last!.Stopped);
        Assert.Equal(60, last.Iteration);
    }

    [Fact]
    public void TheOptionsFingerprintCoversEveryOptionThatShapesTheIterates()
    {
        // Every public settable member not marked [NotFingerprinted] must change the fingerprint when changed: a new
        // option cannot be forgotten. The marked ones must not (observers, checkpoint schedules).
        var problem = Problem();
        var oracle = new Pbgd.LowerLevel.ExactLowerLevelOracle(problem);
        var baseOptions = new PbgdOptions();
        string reference = new PbgdBlockwise(problem, oracle, baseOptions).OptionsFingerprint;
        int covered = 0;
        foreach (var property in typeof(PbgdOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var changed = baseOptions with { };
            // A value the option's own validation accepts (κ must stay below 1).
            property.SetValue(changed, property.Name == nameof(PbgdOptions.InnerToleranceFactor)
                ? 0.3 : Changed(property.PropertyType, property.GetValue(baseOptions)));
            if (changed.PenalizedGapTolerance is not null && changed.PenalizedReference is null) changed = changed with { PenalizedReference = 0 };
            string fingerprint = new PbgdBlockwise(problem, oracle, changed).OptionsFingerprint;
            bool excluded = property.GetCustomAttribute<NotFingerprintedAttribute>() is not null;
            if (excluded) Assert.True(fingerprint == reference, $"{property.Name} is marked NotFingerprinted but changes the fingerprint");
            else Assert.True(fingerprint != reference, $"changing {property.Name} does not change the options fingerprint");
            covered++;
        }
        Assert.True(covered >= 15, $"only {covered} options inspected");
    }

    private static object? Changed(Type type, object? value) => type switch
    {
        _ when type == typeof(int) => (int)value! + 7,
        _ when type == typeof(double) => (double)value! * 1.5 + 0.25,
        _ when type == typeof(bool) => !(bool)value!,
        _ when type.IsEnum => Enum.GetValues(type).Cast<object>().First(v => !v.Equals(value)),
        _ when type == typeof(double?) => ((double?)value ?? 0.5) * 1.5 + 0.25,
        _ when type == typeof(TimeSpan?) => TimeSpan.FromSeconds(((TimeSpan?)value)?.TotalSeconds ?? 0 + 9),
        _ when type == typeof(Schedules.PenaltySchedule) => Schedules.PenaltySchedule.Constant(3),
        _ when type == typeof(IterationObserver) => (IterationObserver)((in IterationRecord _, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => { }),
        _ when type == typeof(Action<SolverCheckpoint>) => (Action<SolverCheckpoint>)(_ => { }),
        _ => throw new InvalidOperationException($"the test does not know how to change a {type.Name}: extend it"),
    };

    private static SolverCheckpoint RoundTrip(SolverCheckpoint checkpoint)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pbgd-contract-{Guid.NewGuid():N}.json");
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

    private static (int, double, double)[] Iterations(SolverResult r) =>
        r.History.Records.ToArray().Select(x => (x.Iteration, x.Upper, x.Penalized)).ToArray();
}
