namespace Pbgd.Cli;

/// The one table from the library's names to the CLI's flags. The library's exceptions name what they refuse in its
/// own terms (ArgumentException.ParamName: a configuration property such as Train, or a parameter such as hidden)
/// and ExitCodes prints them as "--flag: message" through this table. A name missing here is printed without a flag.
internal static class FlagNames
{
    // Names that are the same flag in every command.
    private static readonly Dictionary<string, string> Common = new(StringComparer.Ordinal)
    {
        // HyperCleaningConfig, PreparationSpec, ReadOptions and the data sources (hyperclean, compare, rerun, resume)
        ["Dataset"] = "--dataset", ["ValidationFile"] = "--val-file", ["LabelColumn"] = "--label-column",
        ["Train"] = "--train", ["Validation"] = "--val", ["Test"] = "--test", ["Corruption"] = "--corrupt",
        ["Gamma"] = "--gamma", ["Iterations"] = "--iterations", ["TimeBudgetSeconds"] = "--time-budget",
        ["GradientTolerance"] = "--tolerance", ["StepSize"] = "--step", ["StepScale"] = "--step-scale",
        ["Oracle"] = "--oracle", ["OracleSteps"] = "--oracle-steps", ["ExactSolver"] = "--exact-solver",
        ["ConjugateGradientTolerance"] = "--cg-tolerance", ["Ridge"] = "--ridge", ["Regularization"] = "--reg",
        ["Precision"] = "--precision", ["Radius"] = "--radius", ["InitialU"] = "--u0", ["Seed"] = "--seed",
        ["Threads"] = "--threads", ["LogEvery"] = "--log-every", ["CheckpointEvery"] = "--checkpoint-every",
        ["CheckpointSeconds"] = "--checkpoint-seconds", ["Algorithm"] = "--algo", ["Solvers"] = "--solvers", ["UpperStep"] = "--upper-step",
        ["InnerToleranceFactor"] = "--inner-tolerance", ["InnerToleranceFloor"] = "--inner-floor", ["Holdout"] = "--holdout", ["Protocol"] = "--protocol",
        ["OfficialTest"] = "--official-test",
        // RepresentationLearningConfig (replearn)
        ["Data"] = "--data", ["Hidden"] = "--hidden", ["Tolerance"] = "--tolerance",
        // RepresentationLearningGenerator's parameters (replearn, compare --problem replearn)
        ["train"] = "--train", ["validation"] = "--val", ["features"] = "--features", ["hidden"] = "--hidden", ["outputs"] = "--outputs",
    };

    // Where a command spells a name differently: compare's ComparisonSettings and RxgfOptions.
    private static readonly Dictionary<(string Command, string Name), string> ByCommand = new()
    {
        [("compare", "MaxIterations")] = "--iterations", [("compare", "TimeBudget")] = "--time-budget",
        [("compare", "Epsilon")] = "--rxgf-epsilon", [("compare", "Alpha")] = "--rxgf-alpha", [("compare", "StepSize")] = "--rxgf-step",
    };

    /// The flag of a library name in a command (the subcommand's name, e.g. "hyperclean"), or null.
    internal static string? For(string? command, string? name)
    {
        if (name is null) return null;
        if (command is not null && ByCommand.TryGetValue((command, name), out var flag)) return flag;
        return Common.GetValueOrDefault(name);
    }
}
