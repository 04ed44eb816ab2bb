using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// Checks a checkpoint against the solver about to resume it, field by field, before anything is restored: the
/// algorithm, the options and data fingerprints, the dimensions, the iteration against the limit, the history against
/// the iteration, and the iterates (finite, u inside U). A checkpoint is a file a user can edit or damage; a resume must
/// refuse it with the field that is wrong rather than run on from nonsense.
/// </summary>
internal static class CheckpointValidation
{
    internal static void Check(SolverCheckpoint c, IBilevelSolver solver, SolverOptions options)
    {
        const string arg = "checkpoint";
        var problem = solver.Problem;
        if (c.Algorithm != solver.Name)
            throw new ArgumentException($"the checkpoint is of {c.Algorithm}, this solver is {solver.Name}.", arg);
        if (c.OptionsFingerprint != solver.OptionsFingerprint)
            throw new ArgumentException("the checkpoint was written with other solver options (schedule, steps, limits, tolerances or oracle); resume with the same options.", arg);
        string data = problem.GetCapability<Checkpoints.IFingerprinted>()?.DataFingerprint ?? "unknown";
        if (c.DataFingerprint != data)
            throw new ArgumentException($"the checkpoint was written for other data or model options (its fingerprint {Short(c.DataFingerprint)}…, this problem's {Short(data)}…).", arg);
        Length(c.U, problem.UpperDimension, "u");
        Length(c.V, problem.LowerDimension, "v");
        Length(c.Omega, problem.LowerDimension, "omega");
        if (c.Iteration < 0 || c.Iteration > options.MaxIterations)
            throw new InvalidDataException($"the checkpoint's iteration is {c.Iteration}; it must lie in [0, {options.MaxIterations}] (the iteration limit).");
        if (c.IncreaseCounters is not { Length: 3 } || c.IncreaseCounters.Any(x => x < 0))
            throw new InvalidDataException("the checkpoint's increaseCounters must be three counts ≥ 0.");
        if (c.Previous is not { Length: 2 }) throw new InvalidDataException("the checkpoint's previous must hold two numbers.");
        if (!(c.Seconds >= 0) || !double.IsFinite(c.Seconds)) throw new InvalidDataException($"the checkpoint's seconds is {c.Seconds}; it must be finite and ≥ 0.");
        Finite(c.U, "u");
        Finite(c.V, "v");
        Finite(c.Omega, "omega");
        var projected = (double[])c.U.Clone();
        problem.ProjectUpper(projected);
        for (int i = 0; i < projected.Length; i++)
            if (projected[i] != c.U[i])
                throw new InvalidDataException($"the checkpoint's u[{i}] = {c.U[i]} lies outside the feasible set U (its projection is {projected[i]}).");
        CheckHistory(c, options.LogEvery, options.HistoryCapacity);
    }

    // Every logged iteration up to the checkpoint must be there, in order: iterations 0, k, 2k, … below the checkpoint's —
    // or, once the history was thinned (SolverHistory), at least the quarter of its capacity it always keeps.
    private static void CheckHistory(SolverCheckpoint c, int logEvery, int capacity)
    {
        if (c.History is null) throw new InvalidDataException("the checkpoint has no history.");
        int expected = c.Iteration == 0 ? 0 : (c.Iteration - 1) / logEvery + 1;
        int logged = c.History.Count(r => r.Iteration < c.Iteration && r.Iteration % logEvery == 0);
        if (logged < Math.Min(expected, capacity / 4))
            throw new InvalidDataException($"the checkpoint's history has {logged} logged iterations before iteration {c.Iteration}; expected {expected} (every {logEvery}).");
        for (int i = 1; i < c.History.Length; i++)
            if (c.History[i].Iteration <= c.History[i - 1].Iteration)
                throw new InvalidDataException($"the checkpoint's history is out of order at entry {i} (iteration {c.History[i].Iteration} after {c.History[i - 1].Iteration}).");
        if (c.History.Length > 0 && c.History[^1].Iteration > c.Iteration)
            throw new InvalidDataException($"the checkpoint's history reaches iteration {c.History[^1].Iteration}, beyond the checkpoint's {c.Iteration}.");
    }

    private static void Length(double[]? values, int expected, string field)
    {
        if (values is null) throw new InvalidDataException($"the checkpoint has no {field}.");
        if (values.Length != expected)
            throw new ArgumentException($"the checkpoint's {field} has {values.Length} entries; this problem's has {expected}.", "checkpoint");
    }

    private static void Finite(double[] values, string field)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) throw new InvalidDataException($"the checkpoint's {field}[{i}] is {values[i]}; iterates must be finite.");
    }

    private static string Short(string fingerprint) => fingerprint[..Math.Min(12, fingerprint.Length)];
}
