using Pbgd.Checkpoints;
using Pbgd.LeastSquares;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Reliability;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HyperCleaningSquaredProblem Problem(int seed = 5)
    {
        var d = HyperCleaningGenerator.Realistic(200, 60, 5, 3, 0.4, seed);
        return new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
    }

    private static HyperCleaningSquaredProblem DeficientProblem(string exactSolver, int seed = 4)
    {
        var d = HyperCleaning.RankDeficientData.Create(300, 80, 12, 3, seed);
        return new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { ExactSolver = exactSolver });
    }

    private static PbgdOptions Options(Action<SolverCheckpoint>? sink = null) => new()
    {
        Penalty = PenaltySchedule.LinearRamp(0, 10, 50), MaxIterations = 90, LogEvery = 3, CheckpointEvery = 20, Checkpoint = sink,
    };

    [Theory]
    [InlineData("B", "exact")]
    [InlineData("J", "iterative")]
    public void ResumedRunIsBitIdenticalToAnUninterruptedOne(string algorithm, string oracleKind)
    {
        PbgdSolver Solver(IBilevelProblem p, Action<SolverCheckpoint>? sink)
        {
            ILowerLevelOracle oracle = oracleKind == "exact" ? new ExactLowerLevelOracle(p) : new IterativeLowerLevelOracle(p, new IterativeOracleOptions { Steps = 3 });
            return algorithm == "B" ? new PbgdBlockwise(p, oracle, Options(sink)) : new PbgdJacobi(p, oracle, Options(sink));
        }
        var problem = Problem();
        var u0 = new double[problem.UpperDimension];
        var v0 = new double[problem.LowerDimension];
        string path = Path.Combine(_dir, "ckpt.json");
        var full = Solver(problem, c => { if (c.Iteration == 40) c.Save(path); }).Run(u0, v0);

        // A fresh problem and solver, as after a crash: resume from the file written at iteration 40.
        var resumed = Solver(Problem(), null).Resume(SolverCheckpoint.Load(path));
        Assert.Equal(full.Iterations, resumed.Iterations);
        Assert.Equal(full.U, resumed.U);      // exact equality of every double
        Assert.Equal(full.V, resumed.V);
        Assert.Equal(full.Omega, resumed.Omega);
        Assert.Equal(full.History.Records.ToArray().Select(r => (r.Iteration, r.Penalized, r.Gamma, r.StepSize)),
            resumed.History.Records.ToArray().Select(r => (r.Iteration, r.Penalized, r.Gamma, r.StepSize)));
        Assert.Equal(full.Counts.InnerSteps, resumed.Counts.InnerSteps);
    }

    // The squared model's conjugate-gradient solves are warm-started from the previous solutions and preconditioned
    // by a factor from an earlier u: a resume reproduces the run only when the checkpoint carries that state. On
    // rank-deficient data Auto reaches the same solver once the normal equations are rejected.
    [Theory]
    [InlineData("cg")]
    [InlineData("auto")]
    [InlineData("normal:7,cg,svd")] // a chain of the user's: the skip counter rides along too
    public void ResumedRunOnRankDeficientDataIsBitIdentical(string exactSolver)
    {
        var problem = DeficientProblem(exactSolver);
        string path = Path.Combine(_dir, "ckpt.json");
        var full = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), Options(c => { if (c.Iteration == 40) c.Save(path); }))
            .Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        Assert.True(problem.ExactSolver.Find<ConjugateGradientSolver>() is { } pcg && pcg.Totals.Solves > 0, "the run must have used conjugate gradients");

        var fresh = DeficientProblem(exactSolver);
        var resumed = new PbgdBlockwise(fresh, new ExactLowerLevelOracle(fresh), Options()).Resume(SolverCheckpoint.Load(path));
        Assert.Equal(full.Iterations, resumed.Iterations);
        Assert.Equal(full.U, resumed.U);
        Assert.Equal(full.V, resumed.V);
        Assert.Equal(full.Omega, resumed.Omega);
        Assert.Equal(full.History.Records.ToArray().Select(r => (r.Iteration, r.Penalized)),
            resumed.History.Records.ToArray().Select(r => (r.Iteration, r.Penalized)));
        Assert.Equal(problem.SolveCounts, fresh.SolveCounts); // the counts before the checkpoint came with it
    }

    // The problem's state is its exact-solver chain's: a damaged one stops the resume with the field named, before any
    // iteration runs.
    [Fact]
    public void ResumeFromADamagedProblemStateIsRefusedNamingTheField()
    {
        var problem = DeficientProblem("auto");
        string path = Path.Combine(_dir, "ckpt.json");
        new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), Options(c => { if (c.Iteration == 40) c.Save(path); }))
            .Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        var checkpoint = SolverCheckpoint.Load(path);
        var state = checkpoint.ProblemState!.DeepClone();
        state["links"]!["cg"]!["solver"]!["previousLower"]!.AsArray().RemoveAt(0);
        var fresh = DeficientProblem("auto");
        var error = Assert.Throws<InvalidDataException>(
            () => new PbgdBlockwise(fresh, new ExactLowerLevelOracle(fresh), Options()).Resume(checkpoint with { ProblemState = state }));
        Assert.Contains("links.cg.solver: previousLower has 35 numbers; expected 36", error.Message);
    }

    [Fact]
    public void ResumeWithOtherOptionsOrDataIsRefused()
    {
        var problem = Problem();
        SolverCheckpoint? last = null;
        new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), Options(c => last = c))
            .Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        Assert.NotNull(last);
        var otherOptions = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), Options() with { StepScale = 2 });
        Assert.Contains("other solver options", Assert.Throws<ArgumentException>(() => otherOptions.Resume(last!)).Message);
        var otherData = Problem(seed: 6);
        var onOtherData = new PbgdBlockwise(otherData, new ExactLowerLevelOracle(otherData), Options());
        Assert.Contains("other data", Assert.Throws<ArgumentException>(() => onOtherData.Resume(last!)).Message);
        // Auto accepts conjugate-gradient solutions at this tolerance where the normal equations are rejected.
        var d = HyperCleaningGenerator.Realistic(200, 60, 5, 3, 0.4, 5);
        var otherTolerance = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { ConjugateGradientTolerance = 1e-10 });
        Assert.Contains("other data", Assert.Throws<ArgumentException>(
            () => new PbgdBlockwise(otherTolerance, new ExactLowerLevelOracle(otherTolerance), Options()).Resume(last!)).Message);
        var jacobi = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), Options());
        Assert.Contains("PBGD-B", Assert.Throws<ArgumentException>(() => jacobi.Resume(last!)).Message);
    }

    [Fact]
    public void DivergenceStopsWithTheLastFiniteState()
    {
        // A fixed step far beyond 1/ℓ on the quadratic user problem blows up geometrically to infinity/NaN.
        var problem = Solvers.QuadraticBilevelProblem.Create(seed: 2);
        SolverCheckpoint? final = null;
        var result = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(10), StepSize = 5, MaxIterations = 100_000, Checkpoint = c => final = c,
        }).Run(new double[problem.P], Enumerable.Repeat(1.0, problem.Q).ToArray());
        Assert.Equal(StopReason.Diverged, result.StopReason);
        Assert.True(result.Iterations > 10);
        Assert.All(result.U, x => Assert.True(double.IsFinite(x)));
        Assert.All(result.V, x => Assert.True(double.IsFinite(x)));
        Assert.True(result.Final.IsFinite);
        Assert.Equal(result.Iterations, result.Final.Iteration);
        Assert.True(result.PenaltyIncreases >= 5, "the growing L_γ must have been reported");
        Assert.Equal(result.U, final!.U); // the checkpoint at the stop holds the same last finite state
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // Auto's normal equations rejected: its conjugate gradients run side by side
    public void ParallelRunsMatchTheirSequentialResults(bool rankDeficient)
    {
        var seeds = new[] { 1, 2, 3, 4 };
        SolverResult RunOne(int seed)
        {
            var p = rankDeficient ? DeficientProblem("auto", seed) : Problem(seed);
            return new PbgdBlockwise(p, new ExactLowerLevelOracle(p), new PbgdOptions { Penalty = PenaltySchedule.Constant(5), MaxIterations = 60 })
                .Run(new double[p.UpperDimension], new double[p.LowerDimension]);
        }
        var sequential = seeds.Select(RunOne).ToArray();
        var parallel = new SolverResult[seeds.Length];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = RunOne(seeds[i]));
        for (int i = 0; i < seeds.Length; i++)
        {
            Assert.Equal(sequential[i].U, parallel[i].U);
            Assert.Equal(sequential[i].V, parallel[i].V);
        }
    }
}
