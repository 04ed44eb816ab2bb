using System.Text.Json.Nodes;
using Pbgd.Checkpoints;

namespace Pbgd.LeastSquares;

/// <summary>
/// An explicit fallback chain of least-squares solvers (<see cref="LeastSquaresChainSpec"/>): a solve goes to the first
/// link that accepts the system, is not being skipped and succeeds. A link with a retry count is skipped for that many
/// solves after it fails. The chain counts, per solver, the attempts and the solutions produced, and its state
/// (<see cref="IResumable"/>) is its own counters and skip counters plus every member's state, so a checkpoint resumes it
/// to the bit. Built by <see cref="LeastSquaresRegistry.Build(string, LeastSquaresData, LeastSquaresOptions?)"/>.
/// </summary>
public sealed class LeastSquaresChain : IResumable
{
    private sealed class Link(ILeastSquaresSolver solver, int retryAfter, bool costGated)
    {
        internal ILeastSquaresSolver Solver { get; } = solver;
        internal int RetryAfter { get; } = retryAfter;
        internal bool CostGated { get; } = costGated;
        // Solves passed to a later link because it expected less work (in memory only: the choice itself is recomputed
        // from checkpointed state).
        internal long CostSkips { get; set; }
        internal int SkipsLeft { get; set; }
        internal long Attempts { get; set; }
        internal long Solutions { get; set; }
    }

    private readonly Link[] _links;
    private readonly int _n, _m, _c;

    internal LeastSquaresChain(LeastSquaresChainSpec spec, LeastSquaresContext context, ILeastSquaresSolver[] solvers)
    {
        (Spec, Data, Options) = (spec, context.Data, context.Options);
        (_n, _m, _c) = (context.Data.TrainCount, context.Data.FeatureCount, context.Data.OutputCount);
        _links = spec.Links.Select((l, k) => new Link(solvers[k], l.RetryAfter, l.CostGated)).ToArray();
    }

    /// <summary>The chain.</summary>
    public LeastSquaresChainSpec Spec { get; }

    /// <summary>The data it solves on.</summary>
    public LeastSquaresData Data { get; }

    /// <summary>The solvers' options.</summary>
    public LeastSquaresOptions Options { get; }

    /// <summary>The members, in chain order.</summary>
    public IReadOnlyList<ILeastSquaresSolver> Solvers => _links.Select(l => l.Solver).ToArray();

    /// <summary>The member of a type, or null (diagnostics and tests).</summary>
    /// <typeparam name="T">The solver type.</typeparam>
    public T? Find<T>() where T : class, ILeastSquaresSolver => _links.Select(l => l.Solver).OfType<T>().FirstOrDefault();

    /// <summary>Solutions produced so far, by solver name (every member listed, in chain order); a restored state's
    /// include those before its checkpoint.</summary>
    public IReadOnlyDictionary<string, long> SolveCounts => _links.ToDictionary(l => l.Solver.Name, l => l.Solutions);

    /// <summary>Attempts so far (successful or not), by solver name; skipped and declined solves are not attempts.</summary>
    public IReadOnlyDictionary<string, long> Attempts => _links.ToDictionary(l => l.Solver.Name, l => l.Attempts);

    /// <summary>Solves a system with the first member that accepts it, is not skipped and succeeds.</summary>
    /// <param name="system">The system; its weights have one entry per training row.</param>
    /// <param name="solution">W, m×c row-major.</param>
    /// <returns>Which solver produced the solution and the rank it reported.</returns>
    /// <exception cref="InvalidOperationException">No member produced a solution (only possible for a chain that does
    /// not end with svd).</exception>
    public LeastSquaresSolution Solve(LeastSquaresSystem system, Span<double> solution)
    {
        if (system.Weights.Length != _n)
            throw new ArgumentException($"the system has {system.Weights.Length} weights; expected N = {_n}.", nameof(system));
        if (solution.Length != _m * _c)
            throw new ArgumentException($"the solution has {solution.Length} elements; expected m·c = {_m * _c}.", nameof(solution));
        foreach (var link in _links)
        {
            if (!link.Solver.Accepts(system)) continue;
            if (link.SkipsLeft > 0)
            {
                link.SkipsLeft--;
                continue;
            }
            if (link.CostGated && CheaperLater(link, system))
            {
                link.CostSkips++;
                continue;
            }
            link.Attempts++;
            if (link.Solver.TrySolve(system, solution, out int rank))
            {
                link.Solutions++;
                return new LeastSquaresSolution(link.Solver.Name, rank, rank == _m);
            }
            if (link.RetryAfter > 0) link.SkipsLeft = link.RetryAfter;
        }
        throw new InvalidOperationException(
            $"no solver of the exact-solver chain '{Spec.Text}' solved {system.ToString()}: each declined or failed. End the chain with svd, which always answers.");
    }

    /// <summary>Solves each cost-gated link passed to a later one (by solver name; in memory only).</summary>
    public IReadOnlyDictionary<string, long> CostSkips => _links.ToDictionary(l => l.Solver.Name, l => l.CostSkips);

    // Whether the next link that would take the system expects less work than this one (both must have a cost model).
    private bool CheaperLater(Link gated, LeastSquaresSystem system)
    {
        if (gated.Solver is not ISolveCost own) return false;
        bool after = false;
        foreach (var link in _links)
        {
            if (link == gated) { after = true; continue; }
            if (!after || !link.Solver.Accepts(system) || link.SkipsLeft > 0) continue;
            return link.Solver is ISolveCost next && next.ExpectedWork(system) < own.ExpectedWork(system);
        }
        return false;
    }

    /// <summary>
    /// Asks the members that keep <see cref="VerifiedResiduals"/> for the numbers of g at (W₂, W₁) and the weights; see
    /// <see cref="VerifiedResiduals.TryRecall"/>. False when none holds exactly these values.
    /// </summary>
    public bool TryRecallVerifiedResiduals(ReadOnlySpan<double> weights, ReadOnlySpan<double> penalized, ReadOnlySpan<double> lower,
        Span<double> penalizedGradient, Span<double> lowerGradient, Span<double> penalizedRowSquares, Span<double> lowerRowSquares)
    {
        foreach (var link in _links)
            if (link.Solver is IVerifiedResidualSource { VerifiedResiduals: { } memo }
                && memo.TryRecall(weights, penalized, lower, penalizedGradient, lowerGradient, penalizedRowSquares, lowerRowSquares))
                return true;
        return false;
    }

    /// <summary>The state of one link in a checkpoint.</summary>
    /// <param name="Solutions">Solutions it produced.</param>
    /// <param name="Attempts">Attempts made.</param>
    /// <param name="SkipsLeft">Solves it is still skipped for.</param>
    /// <param name="Solver">The member's own state.</param>
    public sealed record LinkState(long Solutions, long Attempts, int SkipsLeft, JsonNode? Solver);

    /// <summary>The chain's state in a checkpoint.</summary>
    /// <param name="Chain">The chain's canonical text (a state restores only into the same chain).</param>
    /// <param name="Links">Per member, by name.</param>
    public sealed record State(string? Chain, Dictionary<string, LinkState?>? Links);

    /// <inheritdoc />
    public JsonNode SaveState() => StateJson.ToNode(new State(Spec.Text,
        _links.ToDictionary(l => l.Solver.Name, l => (LinkState?)new LinkState(l.Solutions, l.Attempts, l.SkipsLeft, l.Solver.SaveState()))));

    /// <summary>Restores a state from <see cref="SaveState"/> of the same chain on the same data; a refused state leaves
    /// the chain as it was.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="InvalidDataException">The state does not fit; the message names the field.</exception>
    public void RestoreState(JsonNode state)
    {
        const string What = "the exact-solver state";
        var s = StateJson.FromNode<State>(state, What);
        if (s.Chain != Spec.Text) throw new InvalidDataException($"{What}: chain is '{s.Chain}'; this problem's chain is '{Spec.Text}'.");
        if (s.Links is null) throw new InvalidDataException($"{What}: links is missing.");
        foreach (string name in s.Links.Keys)
            if (_links.All(l => l.Solver.Name != name)) throw new InvalidDataException($"{What}: links.{name} is not a solver of the chain '{Spec.Text}'.");
        var states = new LinkState[_links.Length];
        for (int k = 0; k < _links.Length; k++)
        {
            var link = _links[k];
            string field = $"{What}: links.{link.Solver.Name}";
            if (!s.Links.TryGetValue(link.Solver.Name, out var ls) || ls is null) throw new InvalidDataException($"{field} is missing.");
            if (ls.Attempts < 0) throw new InvalidDataException($"{field}.attempts is {ls.Attempts}; it must be ≥ 0.");
            if (ls.Solutions < 0 || ls.Solutions > ls.Attempts)
                throw new InvalidDataException($"{field}.solutions is {ls.Solutions}; it must lie in [0, attempts = {ls.Attempts}].");
            if (ls.SkipsLeft < 0 || ls.SkipsLeft > link.RetryAfter)
                throw new InvalidDataException($"{field}.skipsLeft is {ls.SkipsLeft}; it must lie in [0, {link.RetryAfter}].");
            if (ls.Solver is null) throw new InvalidDataException($"{field}.solver is missing.");
            states[k] = ls;
        }
        // The members validate their own states; one that refuses rolls back those already restored.
        var before = _links.Select(l => l.Solver.SaveState()).ToArray();
        for (int k = 0; k < _links.Length; k++)
        {
            try
            {
                _links[k].Solver.RestoreState(states[k].Solver!);
            }
            catch (InvalidDataException e)
            {
                for (int j = 0; j < k; j++) _links[j].Solver.RestoreState(before[j]);
                throw new InvalidDataException($"{What}: links.{_links[k].Solver.Name}.solver: {e.Message}", e);
            }
        }
        for (int k = 0; k < _links.Length; k++)
            (_links[k].Solutions, _links[k].Attempts, _links[k].SkipsLeft) = (states[k].Solutions, states[k].Attempts, states[k].SkipsLeft);
    }
}
