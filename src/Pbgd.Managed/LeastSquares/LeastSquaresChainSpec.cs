using System.Globalization;

namespace Pbgd.LeastSquares;

/// <summary>One link of a chain: a registered solver, and for how many solves it is skipped after it fails (0: it is tried
/// every time).</summary>
/// <param name="Solver">The registered name (<see cref="LeastSquaresRegistry"/>).</param>
/// <param name="RetryAfter">Solves skipped after a failure, ≥ 0.</param>
/// <param name="CostGated">Passed over, for a solve, when the next link of the chain that can take it expects less work
/// ("normal@cost"; <see cref="LeastSquaresChain"/>'s cost model).</param>
public sealed record ChainLink(string Solver, int RetryAfter = 0, bool CostGated = false)
{
    /// <summary>"name", "name@cost", "name:K" or "name@cost:K", the form <see cref="LeastSquaresChainSpec.Parse"/> reads.</summary>
    public override string ToString() =>
        Solver + (CostGated ? CostSuffix : "") + (RetryAfter > 0 ? string.Create(CultureInfo.InvariantCulture, $":{RetryAfter}") : "");

    /// <summary>The marker of a cost-gated link.</summary>
    public const string CostSuffix = "@cost";
}

/// <summary>
/// Which solvers an exact least-squares solve tries, in order: a preset's name (auto, cg, qr; see
/// <see cref="LeastSquaresRegistry.Presets"/>) or a comma-separated list of registered solver names, each optionally
/// followed by ":K" to skip it for the next K solves after it fails, "@cost" before it to weigh it against the next link
/// (auto is "normal@cost:50,cg,qr,svd"). A preset's name always
/// means the preset, so a one-solver chain of cg or qr alone is not expressible as text (<see cref="Of"/> builds one).
/// Two specs are equal when their canonical texts (<see cref="Text"/>) are.
/// </summary>
public sealed class LeastSquaresChainSpec : IEquatable<LeastSquaresChainSpec>
{
    private LeastSquaresChainSpec(ChainLink[] links) => Links = links;

    /// <summary>The links, in the order they are tried.</summary>
    public IReadOnlyList<ChainLink> Links { get; }

    /// <summary>The canonical text: the links as "name" or "name:K", comma-separated (presets expanded).</summary>
    public string Text => string.Join(",", Links);

    /// <summary>A chain of the given links.</summary>
    /// <param name="links">Registered solvers, each at most once.</param>
    /// <exception cref="ArgumentException">An unknown or repeated solver, a negative retry count, or no link.</exception>
    public static LeastSquaresChainSpec Of(params ChainLink[] links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Length == 0) throw new ArgumentException("a chain needs at least one solver.", nameof(links));
        var seen = new HashSet<string>();
        foreach (var link in links)
        {
            if (LeastSquaresRegistry.Find(link.Solver) is null)
                throw new ArgumentException($"'{link.Solver}' is not a solver (solvers: {LeastSquaresRegistry.SolverNames}; presets: {LeastSquaresRegistry.PresetNames}).", nameof(links));
            if (!seen.Add(link.Solver)) throw new ArgumentException($"'{link.Solver}' appears twice in the chain.", nameof(links));
            if (link.RetryAfter < 0) throw new ArgumentException($"'{link}': the number of solves to skip must be ≥ 0.", nameof(links));
            if (link.CostGated && link.Solver != NormalEquationsSolver.RegistryName)
                throw new ArgumentException($"'{link}': only the normal equations have a cost to weigh ({NormalEquationsSolver.RegistryName}{ChainLink.CostSuffix}).", nameof(links));
        }
        return new LeastSquaresChainSpec([.. links]);
    }

    /// <summary>Reads a preset's name or a comma-separated list of links ("normal:50,cg,qr,svd").</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="ArgumentException">Not a preset and not a valid list; the message says which part.</exception>
    public static LeastSquaresChainSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (LeastSquaresRegistry.FindPreset(trimmed) is { } preset) return Parse(preset.Chain);
        var links = new List<ChainLink>();
        foreach (string part in trimmed.Split(','))
        {
            string item = part.Trim();
            if (item.Length == 0) throw new ArgumentException($"'{text}' has an empty entry (solvers: {LeastSquaresRegistry.SolverNames}; presets: {LeastSquaresRegistry.PresetNames}).", nameof(text));
            int colon = item.IndexOf(':');
            int retryAfter = 0;
            if (colon >= 0 && !(int.TryParse(item[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out retryAfter) && retryAfter > 0))
                throw new ArgumentException($"'{item}': after ':' comes the number of solves to skip after a failure, a whole number ≥ 1.", nameof(text));
            string name = colon >= 0 ? item[..colon] : item;
            bool gated = name.EndsWith(ChainLink.CostSuffix, StringComparison.Ordinal);
            links.Add(new ChainLink(gated ? name[..^ChainLink.CostSuffix.Length] : name, retryAfter, gated));
        }
        return Of([.. links]);
    }

    /// <inheritdoc />
    public bool Equals(LeastSquaresChainSpec? other) => other is not null && Text == other.Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LeastSquaresChainSpec);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Text;
}
