namespace Pbgd.Experiments.Comparison;

/// <summary>The solvers <see cref="ComparisonRunner"/> can run side by side.</summary>
public enum ComparedSolver
{
    /// <summary>PBGD-B (Gauss–Seidel), exact v-step where the problem has one.</summary>
    PbgdBlockwise,
    /// <summary>PBGD-J (Jacobi).</summary>
    PbgdJacobi,
    /// <summary>The discretized relaxed gradient flow of [A25].</summary>
    Rxgf,
    /// <summary>F²SA (Kwon et al. 2023).</summary>
    F2sa,
    /// <summary>BOME (Liu et al. 2022).</summary>
    Bome,
}

/// <summary>The command-line names of <see cref="ComparedSolver"/>.</summary>
public static class ComparedSolvers
{
    /// <summary>Every solver, in table order.</summary>
    public static IReadOnlyList<ComparedSolver> All { get; } = Enum.GetValues<ComparedSolver>();

    /// <summary>pbgd-b, pbgd-j, rxgf, f2sa or bome.</summary>
    /// <param name="solver">The solver.</param>
    public static string Name(ComparedSolver solver) => solver switch
    {
        ComparedSolver.PbgdBlockwise => "pbgd-b",
        ComparedSolver.PbgdJacobi => "pbgd-j",
        ComparedSolver.Rxgf => "rxgf",
        ComparedSolver.F2sa => "f2sa",
        _ => "bome",
    };

    /// <summary>Parses a comma-separated list of names; an unknown name is reported with the valid ones.</summary>
    /// <param name="list">For example "pbgd-b,rxgf,f2sa".</param>
    public static IReadOnlyList<ComparedSolver> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var result = new List<ComparedSolver>();
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = All.Where(s => Name(s) == raw.ToLowerInvariant()).ToArray();
            if (match.Length == 0)
                throw new ArgumentException($"--solvers: '{raw}' is not one of {string.Join(", ", All.Select(Name))}.", nameof(list));
            if (!result.Contains(match[0])) result.Add(match[0]);
        }
        if (result.Count == 0) throw new ArgumentException("--solvers: name at least one solver.", nameof(list));
        return result;
    }
}
