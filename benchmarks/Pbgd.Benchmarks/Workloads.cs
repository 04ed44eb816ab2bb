using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// The solver workloads the suites time, built one way: a seeded synthetic instance, its solver, a state after
/// one warm-up iteration (so timings exclude first-call paths).
internal static class Workloads
{
    internal static (PbgdBlockwise Solver, PbgdState State, HyperCleaningSquaredProblem Problem, HyperCleaningInstance Data) HyperCleaning(
        int n, int nVal, int m, int c, HyperCleaningSquaredOptions? options = null)
    {
        var data = HyperCleaningGenerator.Realistic(n, nVal, m, c, 0.5, seed: 1);
        var problem = new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation, options);
        var solver = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions { MaxIterations = int.MaxValue });
        var state = solver.Init(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        solver.Step(state);
        return (solver, state, problem, data);
    }

    internal static (PbgdJacobi Solver, PbgdState State) RepresentationLearning(int train, int validation, int m, int outputs)
    {
        var d = RepresentationLearningGenerator.Create(train, validation, m, m, outputs, seed: 1);
        var problem = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
        var solver = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), new PbgdOptions { MaxIterations = int.MaxValue });
        var state = solver.Init(d.W1.Data, d.W2.Data);
        solver.Step(state);
        return (solver, state);
    }
}
