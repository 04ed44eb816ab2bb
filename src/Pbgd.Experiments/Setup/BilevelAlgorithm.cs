using Pbgd.Validation;

namespace Pbgd.Experiments.Setup;

/// <summary>The solvers an experiment can run (every one through <see cref="Solvers.IBilevelSolver"/>).</summary>
public enum BilevelAlgorithm
{
    /// <summary>PBGD-B (Gauss–Seidel / blockwise), exact v-step where the problem has one.</summary>
    Blockwise,
    /// <summary>PBGD-J (Jacobi).</summary>
    Jacobi,
    /// <summary>The discretized relaxed gradient flow of [A25].</summary>
    Rxgf,
    /// <summary>F²SA (Kwon et al. 2023).</summary>
    F2sa,
    /// <summary>BOME (Liu et al. 2022).</summary>
    Bome,
}

/// <summary>The command-line names of <see cref="BilevelAlgorithm"/>: pbgd-b, pbgd-j, rxgf, f2sa, bome.</summary>
public static class BilevelAlgorithms
{
    /// <summary>Every solver, in table order.</summary>
    public static IReadOnlyList<BilevelAlgorithm> All { get; } = Enum.GetValues<BilevelAlgorithm>();

    /// <summary>The name of a solver.</summary>
    /// <param name="algorithm">The solver.</param>
    public static string Name(BilevelAlgorithm algorithm) => algorithm switch
    {
        BilevelAlgorithm.Blockwise => "pbgd-b",
        BilevelAlgorithm.Jacobi => "pbgd-j",
        BilevelAlgorithm.Rxgf => "rxgf",
        BilevelAlgorithm.F2sa => "f2sa",
        BilevelAlgorithm.Bome => "bome",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown algorithm."),
    };

    /// <summary>"pbgd-b | pbgd-j | rxgf | f2sa | bome", for help texts.</summary>
    public static string Choices => string.Join(" | ", All.Select(Name));

    /// <summary>A solver by name (case-insensitive); an unknown name is reported with the valid ones.</summary>
    /// <param name="name">For example "pbgd-b".</param>
    /// <param name="parameter">The parameter the name came from, for the exception.</param>
    public static BilevelAlgorithm Parse(string name, string parameter = "Algorithm")
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var a in All)
            if (string.Equals(Name(a), name.Trim(), StringComparison.OrdinalIgnoreCase)) return a;
        throw new InvalidValueException(parameter, $"'{name}' is not a solver; the solvers are {string.Join(", ", All.Select(Name))}.");
    }

    /// <summary>A comma-separated list of names, without repeats.</summary>
    /// <param name="list">For example "pbgd-b,rxgf,f2sa".</param>
    /// <param name="parameter">The parameter the list came from, for the exception.</param>
    public static IReadOnlyList<BilevelAlgorithm> ParseList(string list, string parameter = "Solvers")
    {
        ArgumentNullException.ThrowIfNull(list);
        var result = new List<BilevelAlgorithm>();
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var a = Parse(raw, parameter);
            if (!result.Contains(a)) result.Add(a);
        }
        if (result.Count == 0) throw new InvalidValueException(parameter, "name at least one solver.");
        return result;
    }
}
