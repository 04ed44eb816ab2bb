namespace Pbgd.LeastSquares;

/// <summary>
/// The least-squares solvers by name, and the preset chains. Each solver's file defines its <see cref="SolverEntry"/>;
/// adding a solver is that file and one line in the list of registrations below. Help texts, summaries, validation and
/// fingerprints take names and descriptions from here.
/// </summary>
public static class LeastSquaresRegistry
{
    /// <summary>A registered solver.</summary>
    /// <param name="Name">The name chains use.</param>
    /// <param name="Description">One line for help texts.</param>
    /// <param name="Label">How a summary names the solutions it produced ("9 by conjugate gradients (…)").</param>
    /// <param name="ReadsSinglePrecisionCopy">Whether it uses <see cref="LeastSquaresOptions.SinglePrecisionProducts"/>.</param>
    /// <param name="Create">Builds it for a chain.</param>
    public sealed record SolverEntry(string Name, string Description, Func<LeastSquaresOptions, string> Label, bool ReadsSinglePrecisionCopy,
        Func<LeastSquaresContext, ILeastSquaresSolver> Create);

    /// <summary>A named chain.</summary>
    /// <param name="Name">The preset's name.</param>
    /// <param name="Chain">Its links, as <see cref="LeastSquaresChainSpec.Parse"/> reads them.</param>
    /// <param name="Description">One line for help texts.</param>
    public sealed record Preset(string Name, string Chain, string Description);

    private static readonly SolverEntry[] s_solvers =
    [
        NormalEquationsSolver.Registration,
        ConjugateGradientSolver.Registration,
        QrSolver.Registration,
        MinimumNormSolver.Registration,
    ];

    // auto retries rejected normal equations only every 50 solves: the rejection comes from the data's near-dependent
    // columns, which the weights rescale but do not remove, and forming XᵀΨX only to reject it again costs most of an
    // iteration on MNIST.
    private static readonly Preset[] s_presets =
    [
        new("auto", "normal@cost:50,cg,qr,svd",
            "normal equations when forming their Gram matrix (O(N·m²) per new u) is expected to cost less than cg's passes over X (O(N·m) each, as many as recent solves took), else cg; after a rejection (as on MNIST) the next 50 solves go to cg; QR, then SVD, when cg misses its tolerance"),
        new("cg", "cg,normal,qr,svd", "conjugate gradients first (the fast path on MNIST), then normal equations, QR, SVD"),
        new("qr", "qr,svd", "QR, then SVD once the design proves rank-deficient: most robust, slowest, needs a scaled copy of X"),
    ];

    /// <summary>Every registered solver, in registration order.</summary>
    public static IReadOnlyList<SolverEntry> Solvers => s_solvers;

    /// <summary>The preset chains.</summary>
    public static IReadOnlyList<Preset> Presets => s_presets;

    /// <summary>"normal, cg, qr, svd".</summary>
    public static string SolverNames => string.Join(", ", s_solvers.Select(s => s.Name));

    /// <summary>"auto, cg, qr".</summary>
    public static string PresetNames => string.Join(", ", s_presets.Select(p => p.Name));

    /// <summary>The solver registered under a name, or null.</summary>
    /// <param name="name">The name.</param>
    public static SolverEntry? Find(string name) => s_solvers.FirstOrDefault(s => s.Name == name);

    /// <summary>The preset of a name, or null.</summary>
    /// <param name="name">The name.</param>
    public static Preset? FindPreset(string name) => s_presets.FirstOrDefault(p => p.Name == name);

    /// <summary>Builds a chain for the data.</summary>
    /// <param name="spec">The chain (a preset's name or a list; see <see cref="LeastSquaresChainSpec"/>).</param>
    /// <param name="data">The data.</param>
    /// <param name="options">The solvers' options; null for the defaults.</param>
    public static LeastSquaresChain Build(string spec, LeastSquaresData data, LeastSquaresOptions? options = null) =>
        Build(LeastSquaresChainSpec.Parse(spec), data, options);

    /// <inheritdoc cref="Build(string, LeastSquaresData, LeastSquaresOptions?)"/>
    public static LeastSquaresChain Build(LeastSquaresChainSpec spec, LeastSquaresData data, LeastSquaresOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new LeastSquaresOptions();
        options.Validate();
        var context = new LeastSquaresContext(data, options);
        return new LeastSquaresChain(spec, context, spec.Links.Select(l => Find(l.Solver)!.Create(context)).ToArray());
    }

    /// <summary>Whether some solver of the chain uses the float32 copy of X (<see cref="LeastSquaresOptions.SinglePrecisionProducts"/>).</summary>
    /// <param name="spec">The chain.</param>
    public static bool ReadsSinglePrecisionCopy(LeastSquaresChainSpec spec) =>
        spec.Links.Any(l => Find(l.Solver)!.ReadsSinglePrecisionCopy);

    /// <summary>The syntax, presets and solvers, for a command-line help text.</summary>
    public static string HelpText =>
        $"a preset [{string.Join(" | ", s_presets.Select(p => $"{p.Name} (= {p.Chain}): {p.Description}"))}] or solvers tried in order, " +
        $"comma-separated, e.g. normal,cg,svd [{string.Join(" | ", s_solvers.Select(s => $"{s.Name}: {s.Description}"))}]; " +
        "NAME:K skips NAME for the next K solves after it fails; a chain that does not end with svd can fail";

    /// <summary>"200 by conjugate gradients (normwise backward error ≤ 1E-11), 1 by minimum-norm SVD (gelsd)": the
    /// solvers that produced solutions, in registration order, those that produced none left out ("none" if no one did).</summary>
    /// <param name="counts">Solutions by solver name (<see cref="LeastSquaresChain.SolveCounts"/>).</param>
    /// <param name="options">The options the labels quote (the CG tolerance).</param>
    public static string DescribeCounts(IReadOnlyDictionary<string, long> counts, LeastSquaresOptions options)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(options);
        var parts = new List<string>();
        foreach (var solver in s_solvers)
            if (counts.TryGetValue(solver.Name, out long n) && n > 0) parts.Add(FormattableString.Invariant($"{n} by {solver.Label(options)}"));
        return parts.Count > 0 ? string.Join(", ", parts) : "none";
    }
}

/// <summary>What a solver's factory gets: the data, the options, and the workspace solvers may share.</summary>
public sealed class LeastSquaresContext
{
    private StackedRows? _stacked;

    internal LeastSquaresContext(LeastSquaresData data, LeastSquaresOptions options) => (Data, Options) = (data, options);

    /// <summary>The data.</summary>
    public LeastSquaresData Data { get; }

    /// <summary>The options.</summary>
    public LeastSquaresOptions Options { get; }

    // One stacked copy of the system for QR and the SVD (each fills it before use), made when first asked for.
    internal StackedRows Stacked => _stacked ??= new StackedRows(Data);
}
