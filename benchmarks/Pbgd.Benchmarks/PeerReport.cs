using System.Globalization;
using System.Text.Json;

namespace Pbgd.Benchmarks;

public static partial class PeerStudy
{
    /// <summary>Turns the runs into results/peers.md and the list of failed agreement checks.</summary>
    private sealed class Report(Settings settings, List<Pair> pairs, Dictionary<string, PairRuns> results, List<IterateCheck> iterateChecks,
        List<PhiCheck> phiChecks, Runner runner, string cliHelp, DateTime started, string loadBefore, string python, string cli)
    {
        public List<string> Failures { get; } = [];

        private const double CeAccuracy = 0.90, CeF1 = 0.92, PhiRelative = 1e-6;

        public List<string> Write()
        {
            var lines = new List<string>();
            void L(string s = "") => lines.Add(s);
            var first = results.Values.SelectMany(r => r.Ours).FirstOrDefault();
            var environment = first is null ? null : OurEnvironment(first.Directory);

            L($"# Pbgd against its peers, side by side ({started:yyyy-MM-dd HH:mm} UTC)");
            L("");
            L($"- Machine: {CpuModel()}, {Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}; load average {loadBefore} at the start, {LoadAverage()} at the end (shared machine: compare the ratios within this run, not absolute times across runs).");
            L($"- Pbgd: the CLI (`{Rel(cli)}`, Release) as a subprocess, `--threads {settings.Threads}`; {environment?.Mkl ?? "MKL: unknown"}; {environment?.Runtime ?? ""}.");
            L($"- Peers: `{python}` with OpenBLAS left to pick its own kernels (`OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` unset in the peer's command only), `OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = {settings.Threads}`, torch.set_num_threads({settings.Threads}).");
            L($"- Same data: the benchmark prepared the MNIST splits with the library call the CLI makes (`HyperCleaningConfig.LoadDataset`, presets vpbgd and default) and exported them (PBGDMAT1, benchmarks/peers/README.md); the agreement checks below confirm both sides ran on them.");
            L($"- Interleaved: {settings.Rounds} round(s), each running every pair's peer and then its Pbgd run (peer, Pbgd, peer, Pbgd, …), the same iterations on both sides.");
            L("");
            L("## Summary");
            L("");
            L("Per-iteration time: the median over all logged intervals of all rounds (the first interval, with JIT and first-call paths, left out) of Δseconds/Δiterations from each side's own trajectory clock (started after setup, so process start, data loading and the smoothness estimate are excluded on both sides; test accuracy and F1 are computed at the same logged iterations on both sides and included). Time to target: the median over rounds of the solver clock at the first logged iteration meeting the target.");
            L("");
            L("| key | comparison | peer | peer ms / iteration | Pbgd ms / iteration | peer ÷ Pbgd per iteration (per-round range) | target | peer time to target | Pbgd time to target | peer ÷ Pbgd to target |");
            L("|---|---|---|---|---|---|---|---|---|---|");
            var detail = new List<string>();
            foreach (var pair in pairs)
            {
                var r = results[pair.Key];
                if (r.Ours.Count == 0) continue;
                var stats = Stats(pair, r, detail);
                L($"| {pair.Key} | {pair.Title} ({pair.Iterations} iterations) | {pair.Peer.Label} | {stats.PeerMs:F2} | {stats.OursMs:F2} | {stats.PeerMs / stats.OursMs:F2}× ({stats.RatioRange}) | {stats.Target} | {stats.PeerTarget} | {stats.OursTarget} | {stats.TargetRatio} |");
            }
            L("");
            foreach (var pair in pairs.Where(p => p.Kind == PairKind.SquaredPbgdB))
                if (results[pair.Key].Ours.FirstOrDefault() is { } run && SolveCounts(run.Directory) is { } counts)
                    L($"- {pair.Key}: Pbgd's exact solves by method (summary.json, round 1): {counts}.");
            L("");

            LbfgsSection(L);
            BlasSection(L);
            AgreementSection(L);

            L("## Per round");
            L("");
            L("| key | round | peer ms / iteration | Pbgd ms / iteration | ratio | peer time to target | Pbgd time to target | 1-minute load average at the start (peer / Pbgd) |");
            L("|---|---|---|---|---|---|---|---|");
            foreach (var d in detail) L(d);
            L("");
            L("## Commands");
            L("");
            L("All of it: `dotnet tool restore && dotnet cake --target=Bench --bench=peers` (installs the peers' packages with apt when missing, builds, fetches nothing: MNIST must be in ./data, `dotnet run -c Release --project src/Pbgd.Cli -- data fetch mnist`). The runs of round 1, as executed from the repository root (outputs in artifacts/peers/runs):");
            L("");
            L("```");
            foreach (var c in runner.Commands.Where(c => c.Contains("-r0", StringComparison.Ordinal) || c.Contains("agreement", StringComparison.Ordinal))) L(c);
            L("```");
            L("");
            L("## Notes");
            L("");
            L("- Cross-entropy: the PyTorch peer (benchmarks/peers/torch_vpbgd.py) forms L = f(v) + γ(g(u, v) − g(u, ω)) with ω fixed and takes one autograd gradient in (u, W, b), after one autograd oracle step on ω; Pbgd evaluates f, then g at v and ω in one fused pass. Both record f, g, g(u, ω) and L at every iteration and test accuracy and cleaning F1 every 10.");
            L("- Squared: the numpy peer (benchmarks/peers/numpy_squared.py) forms XᵀΨX once per iteration (numpy's A.T @ A → syrk) and solves both systems by LAPACK's pivoted Cholesky (dpstrf, pivots below 1e−14 of the largest diagonal treated as zero): scipy's cho_factor fails on MNIST (rank 644 of 785, with a dozen exactly dependent non-zero pixel columns besides the all-zero ones), and LAPACK's default pivoted-Cholesky tolerance drops a direction that moves φ_γ by 1e−5. Pbgd's `auto` and `cg` solve by conjugate gradients on MNIST (normal equations rejected), `qr` by gels/gelsd.");
            L($"- Squared target: φ_γ (= L_γ at PBGD-B's exact v-step) within {PhiRelative:G1} relative of the best value both sides reached in the budget (the larger of the two sides' lowest values): PBGD-B is still descending after the budget (about 1e−3 relative per iteration), so this is the last iterations of the budget and the ratio follows the per-iteration one. The L-BFGS-B peer reaches far lower values (section above).");
            L("- Threads: the issue's configuration gives every side 2 threads (the rows without a suffix). On this shared 2-core machine PyTorch loses more than it gains from its second thread: every elementwise op of an iteration is an OpenMP fork-join (libgomp) next to OpenBLAS's own pthreads, and each waits for a core; the `-peer1t` rows run the peer on 1 thread (torch.set_num_threads(1), OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = 1) against the same Pbgd runs, interleaved in the same rounds. The ratio against the peer's faster configuration is the one to quote; both are measured.");
            foreach (var c in phiChecks.Where(c => c.Pair.Tolerance.SameUPhi > 1e-6 && c.PhiOurs > c.PhiPeer && !c.Pair.Key.EndsWith("-peer1t", StringComparison.Ordinal)))
                L(string.Create(Inv, $"- Accuracy of Pbgd's `{c.Pair.Key["squared-".Length..]}` exact solves on MNIST (noticed here, not changed): at its final u (round 1) Pbgd reports φ_γ = {c.PhiOurs:F6}, the numpy peer's value is {c.PhiPeer:F6} ({Relative(c.PhiPeer, c.PhiOurs):E1} relative; its pivoted Cholesky matches LAPACK's SVD solve, Pbgd's `qr`, to rounding in the qr pair, and φ_γ is a minimum over W, so the lower value is the more exact one): conjugate-gradient solves accepted at normwise backward error ≤ 1e−11 are not minimisers of L_γ(u, ·) and g(u, ·) to that accuracy on these ill-conditioned systems (f off by {c.F:E1}, g by {c.G:E1}, g* by {c.GStar:E1}). The trajectories of cg and auto therefore drift from the direct solvers' by ~1e−4, which their looser tolerances allow; `qr` agrees with the peer to rounding."));
            if (!cliHelp.Contains("--upper-step", StringComparison.Ordinal))
                L("- Pbgd's `--upper-step lbfgs` is not in this CLI yet: the L-BFGS-B peer runs alone; PeerStudy pairs it with `hyperclean --upper-step lbfgs` as soon as the CLI's help lists the option (one line in PeerStudy.Pairs).");
            return lines;
        }

        // ---- summary statistics ----

        private sealed record PairStats(double PeerMs, double OursMs, string RatioRange, string Target, string PeerTarget, string OursTarget, string TargetRatio);

        private PairStats Stats(Pair pair, PairRuns r, List<string> detail)
        {
            double peerMs = Median(r.Peer.SelectMany(x => x.Trajectory.IterationMs()));
            double oursMs = Median(r.Ours.SelectMany(x => x.Trajectory.IterationMs()));
            var ratios = r.Peer.Zip(r.Ours, (p, o) => Median(p.Trajectory.IterationMs()) / Median(o.Trajectory.IterationMs())).ToList();
            string range = ratios.Count > 1 ? $"{ratios.Min():F2}–{ratios.Max():F2}" : "one round";

            string target;
            Func<Trajectory, int> hit;
            if (pair.Kind == PairKind.CrossEntropy)
            {
                target = $"test accuracy ≥ {100 * CeAccuracy:F0} % and cleaning F1 ≥ {CeF1:F2}";
                hit = t => t.First(i => t.Get(i, "test_accuracy") >= CeAccuracy && t.Get(i, "clean_f1") >= CeF1);
            }
            else
            {
                double best = Math.Max(r.Peer.Min(x => x.Trajectory.Column("penalized").Min()), r.Ours.Min(x => x.Trajectory.Column("penalized").Min()));
                double level = best + PhiRelative * Math.Abs(best);
                target = string.Create(Inv, $"φ_γ ≤ {level:F4} (within {PhiRelative:G1} of {best:F4}, the best both reached)");
                hit = t => t.First(i => t.Get(i, "penalized") <= level);
            }
            (double Seconds, double Iteration)? At(RunOutput run)
            {
                int i = hit(run.Trajectory);
                return i < 0 ? null : (run.Trajectory.Get(i, "seconds"), run.Trajectory.Get(i, "iteration"));
            }
            string Describe(List<RunOutput> runs)
            {
                var hits = runs.Select(At).ToList();
                if (hits.All(h => h is null))
                    return pair.Kind == PairKind.CrossEntropy ? $"not reached in {pair.Iterations} iterations ({BestQuality(runs)})" : "not reached";
                var reached = hits.Where(h => h is not null).Select(h => h!.Value).ToList();
                string partial = reached.Count < runs.Count ? $", reached in {reached.Count} of {runs.Count} rounds" : "";
                return string.Create(Inv, $"{Median(reached.Select(h => h.Seconds)):F2} s (iteration {Median(reached.Select(h => h.Iteration)):F0}{partial})");
            }
            double MedianTarget(List<RunOutput> runs) => Median(runs.Select(At).Where(h => h is not null).Select(h => h!.Value.Seconds));
            double tPeer = MedianTarget(r.Peer), tOurs = MedianTarget(r.Ours);
            for (int round = 0; round < Math.Min(r.Peer.Count, r.Ours.Count); round++)
            {
                double p = Median(r.Peer[round].Trajectory.IterationMs()), o = Median(r.Ours[round].Trajectory.IterationMs());
                string Hit(RunOutput run) => At(run) is { } h ? string.Create(Inv, $"{h.Seconds:F2} s (it. {h.Iteration:F0})") : "not reached";
                detail.Add($"| {pair.Key} | {round + 1} | {p:F2} | {o:F2} | {p / o:F2}× | {Hit(r.Peer[round])} | {Hit(r.Ours[round])} | {r.Peer[round].Load} / {r.Ours[round].Load} |");
            }
            return new PairStats(peerMs, oursMs, range, target, Describe(r.Peer), Describe(r.Ours),
                double.IsFinite(tPeer) && double.IsFinite(tOurs) ? $"{tPeer / tOurs:F2}×" : "—");
        }

        private static string BestQuality(List<RunOutput> runs)
        {
            var t = runs[0].Trajectory;
            int best = 0;
            for (int i = 1; i < t.Rows.Count; i++) if (t.Get(i, "test_accuracy") > t.Get(best, "test_accuracy")) best = i;
            return string.Create(Inv, $"best test accuracy {100 * t.Get(best, "test_accuracy"):F2} % with F1 {t.Get(best, "clean_f1"):F3} at iteration {t.Get(best, "iteration"):F0}");
        }

        // ---- L-BFGS-B ----

        private void LbfgsSection(Action<string> L)
        {
            var pair = pairs.FirstOrDefault(p => p.Kind == PairKind.SquaredLbfgs);
            if (pair is null) return;
            var runs = results[pair.Key].Peer;
            L("## L-BFGS-B (scipy) on the reduced function φ_γ");
            L("");
            L($"scipy.optimize.minimize(method=\"L-BFGS-B\", jac=True, box bounds [−10, 10], maxcor 10, ftol 1e−15, gtol 1e−12, maxfun {pair.Iterations}) on φ_γ(u) = f(W_γ(u)) + γ(g(u, W_γ(u)) − g(u, W*(u))), γ = 10, from u = 0, exact solves as the numpy PBGD-B peer's; one row per evaluation. Pbgd's own `--upper-step lbfgs` is not paired yet (see Notes).");
            L("");
            L("| round | evaluations | best φ_γ | evaluations to within 1e−6 of its best | seconds then | test accuracy / F1 at the best | evaluations and seconds to PBGD-B's φ_γ after its budget | scipy's stop |");
            L("|---|---|---|---|---|---|---|---|");
            // PBGD-B's value after its budget: the numpy peer's lowest in the cg pair (the same on every squared pair).
            var pbgdPair = pairs.FirstOrDefault(p => p.Key == "squared-cg") ?? pairs.FirstOrDefault(p => p.Kind == PairKind.SquaredPbgdB);
            double pbgdB = pbgdPair is null ? double.NaN : results[pbgdPair.Key].Peer.Min(x => x.Trajectory.Column("penalized").Min());
            double pbgdSeconds = pbgdPair is null ? double.NaN : Median(results[pbgdPair.Key].Peer.Select(x => x.Trajectory.Last("seconds")));
            for (int round = 0; round < runs.Count; round++)
            {
                var t = runs[round].Trajectory;
                double best = t.Column("penalized").Min();
                int at = t.First(i => t.Get(i, "penalized") <= best + PhiRelative * Math.Abs(best));
                int bestRow = t.First(i => t.Get(i, "penalized") == best);
                int reach = double.IsFinite(pbgdB) ? t.First(i => t.Get(i, "penalized") <= pbgdB) : -1;
                string message = "";
                try
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(runs[round].Directory, "info.json")));
                    message = doc.RootElement.GetProperty("lbfgs").GetProperty("message").GetString() ?? "";
                }
                catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException) { }
                L(string.Create(Inv, $"| {round + 1} | {t.Rows.Count} | {best:F4} | {t.Get(at, "iteration") + 1:F0} | {t.Get(at, "seconds"):F2} | {100 * t.Get(bestRow, "test_accuracy"):F2} % / {t.Get(bestRow, "clean_f1"):F3} | {(reach < 0 ? "not reached" : $"{t.Get(reach, "iteration") + 1:F0} evaluations, {t.Get(reach, "seconds"):F2} s")} | {message} |"));
            }
            L("");
            if (double.IsFinite(pbgdB) && pbgdPair is not null)
                L(string.Create(Inv, $"For comparison, the numpy PBGD-B peer's lowest φ_γ after {pbgdPair.Iterations} iterations ({pbgdPair.Iterations + 1} evaluations of φ_γ's parts) is {pbgdB:F4}, after {pbgdSeconds:F2} s (median). The evaluations-to-best column counts the evaluation at which φ_γ came within 1e−6 of the run's best: when it equals the evaluation count, L-BFGS-B was still descending when its budget ran out."));
            L("");
        }

        // ---- BLAS ----

        private void BlasSection(Action<string> L)
        {
            L("## Which BLAS each side loaded");
            L("");
            foreach (var pair in pairs)
            {
                var run = results[pair.Key].Peer.FirstOrDefault();
                if (run is null) continue;
                L($"- {pair.Key}, {pair.Peer.Label}: {PeerBlas(run.Directory)}");
            }
            var ours = results.Values.SelectMany(r => r.Ours).FirstOrDefault();
            if (ours is not null && OurEnvironment(ours.Directory) is { } e)
                L($"- Pbgd: {e.Mkl}, {e.Kernels}; the skinny products of both models on Pbgd's own AVX-512 kernels (src/Pbgd.Managed/Kernels).");
            L("");
        }

        private static string PeerBlas(string directory)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "info.json")));
                var root = doc.RootElement;
                var parts = new List<string>();
                if (root.TryGetProperty("threadpoolctl", out var pools) && pools.ValueKind == JsonValueKind.Array)
                    foreach (var p in pools.EnumerateArray())
                    {
                        string S(string name) => p.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "?";
                        parts.Add(S("user_api") == "blas"
                            ? $"{S("internal_api")} {S("version")} ({Path.GetFileName(S("filepath"))}), kernel (core type) **{S("architecture")}**, {S("threading_layer")}, {S("num_threads")} threads"
                            : $"{S("internal_api")} runtime {Path.GetFileName(S("filepath"))}, {S("num_threads")} threads");
                    }
                string versions = $"numpy {root.GetProperty("numpy").GetString()}";
                if (root.TryGetProperty("scipy", out var sp)) versions += $", scipy {sp.GetString()}";
                if (root.TryGetProperty("torch", out var tv))
                {
                    versions += $", torch {tv.GetString()} ({root.GetProperty("threads").GetInt32()} threads)";
                    string config = root.GetProperty("torch_config").GetString() ?? "";
                    string Find(string pattern) => System.Text.RegularExpressions.Regex.Match(config, pattern) is { Success: true } m ? m.Value.Trim() : "?";
                    versions += $"; torch.__config__.show(): {Find("CPU capability usage: [A-Z0-9_]+")}, {Find("BLAS_INFO=[a-z0-9_]+")}, {Find("LAPACK_INFO=[a-z0-9_]+")}, {Find("USE_OPENMP=[A-Z]+")}";
                }
                string built = root.TryGetProperty("numpy_built_against", out var nb) ? $"; numpy.show_config(): built against {nb.GetString()} (Debian's alternatives pick the implementation at run time)" : "";
                string env = root.TryGetProperty("env", out var ev) && ev.TryGetProperty("OPENBLAS_CORETYPE", out var ct) ? $"; OPENBLAS_CORETYPE in the peer: {(ct.ValueKind == JsonValueKind.Null ? "unset" : ct.GetString())}" : "";
                return $"{string.Join("; ", parts)} — {versions}{built}{env}";
            }
            catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return $"unknown ({e.Message})";
            }
        }

        private sealed record OurEnv(string Mkl, string Kernels, string Runtime);

        private static OurEnv? OurEnvironment(string directory)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));
                var e = doc.RootElement.GetProperty("environment");
                string S(string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "?";
                return new OurEnv($"{S("mklVersion")} ({S("mklThreads")} threads)", $"MKL kernels {S("mklKernels")}", S("runtime"));
            }
            catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException) { return null; }
        }

        private static string? SolveCounts(string directory)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));
                if (!doc.RootElement.TryGetProperty("exactSolves", out var s) || s.ValueKind != JsonValueKind.Object) return null;
                return string.Join(", ", s.EnumerateObject().Where(p => p.Value.GetInt64() > 0).Select(p => $"{p.Name} {p.Value.GetInt64()}"));
            }
            catch (Exception e) when (e is IOException or JsonException) { return null; }
        }

        // ---- agreement ----

        private void AgreementSection(Action<string> L)
        {
            L("## Agreement: do both sides do the same work?");
            L("");
            L("Relative differences are |peer − Pbgd| / |Pbgd| (for vectors: max-abs difference over the max-abs entry of Pbgd's); test accuracy and F1 as absolute differences. A difference beyond the stated tolerance fails the benchmark (exit code 1).");
            L("");
            if (iterateChecks.Count > 0)
            {
                L("Iterates after 10 iterations from the same start (u = 0, W = 0, b = 0), every iteration recorded:");
                L("");
                L("| pair | u | v = (W, b) | f, g, g(u, ω), L over the 10 | tolerance | |");
                L("|---|---|---|---|---|---|");
                foreach (var c in iterateChecks)
                {
                    double worst = Math.Max(c.U, Math.Max(c.V, c.Values));
                    bool ok = worst <= c.Tolerance;
                    if (!ok) Failures.Add($"{c.Pair.Key}: iterates after {c.Iterations} iterations differ by {worst:E2} (tolerance {c.Tolerance:E0})");
                    L($"| {c.Pair.Key} | {c.U:E2} | {c.V:E2} | {c.Values:E2} | {c.Tolerance:E0} | {(ok ? "ok" : "**FAILED**")} |");
                }
                L("");
            }
            L("Trajectories of the timed runs (round 1), at every iteration both recorded:");
            L("");
            L("| pair | rows | f | g | g(u, ω) | L | test accuracy | F1 | tolerance (values / accuracy / F1) | why | |");
            L("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var pair in pairs.Where(p => p.Kind != PairKind.SquaredLbfgs))
            {
                var r = results[pair.Key];
                if (r.Peer.Count == 0 || r.Ours.Count == 0) continue;
                var (p, o) = (r.Peer[0].Trajectory, r.Ours[0].Trajectory);
                var diff = new Dictionary<string, double>();
                int rows = 0;
                for (int i = 0; i < o.Rows.Count; i++)
                {
                    int j = p.RowOf(o.Get(i, "iteration"));
                    if (j < 0) continue;
                    rows++;
                    foreach (var c in new[] { "upper", "lower", "lower_optimal", "penalized" })
                        diff[c] = Math.Max(diff.GetValueOrDefault(c), Relative(p.Get(j, c), o.Get(i, c)));
                    foreach (var c in new[] { "test_accuracy", "clean_f1" })
                        if (double.IsFinite(o.Get(i, c)) && double.IsFinite(p.Get(j, c)))
                            diff[c] = Math.Max(diff.GetValueOrDefault(c), Math.Abs(p.Get(j, c) - o.Get(i, c)));
                }
                var t = pair.Tolerance;
                double values = new[] { "upper", "lower", "lower_optimal", "penalized" }.Max(c => diff.GetValueOrDefault(c));
                bool ok = rows > 0 && values <= t.Values && diff.GetValueOrDefault("test_accuracy") <= t.Accuracy && diff.GetValueOrDefault("clean_f1") <= t.F1;
                if (!ok) Failures.Add($"{pair.Key}: trajectories differ (values {values:E2}, accuracy {diff.GetValueOrDefault("test_accuracy"):E2}, F1 {diff.GetValueOrDefault("clean_f1"):E2}; tolerances {t.Values:E0} / {t.Accuracy:E0} / {t.F1:E0}, {rows} rows)");
                L($"| {pair.Key} | {rows} | {diff.GetValueOrDefault("upper"):E2} | {diff.GetValueOrDefault("lower"):E2} | {diff.GetValueOrDefault("lower_optimal"):E2} | {diff.GetValueOrDefault("penalized"):E2} | {diff.GetValueOrDefault("test_accuracy"):E2} | {diff.GetValueOrDefault("clean_f1"):E2} | {t.Values:E0} / {t.Accuracy:E0} / {t.F1:E0} | {t.Why} | {(ok ? "ok" : "**FAILED**")} |");
            }
            L("");
            var squared = pairs.Where(p => p.Kind == PairKind.SquaredPbgdB && results[p.Key].Ours.Count > 0).ToList();
            if (squared.Count > 0)
            {
                L("Squared loss at the same u. At u⁰ = 0 (iteration 0 of both runs), and at Pbgd's final u (weights.csv), where the peer's model — the function the L-BFGS-B peer minimises — evaluates φ_γ, f, g, g* and checks its gradient formula by a central difference along it:");
                L("");
                L("| pair | tolerance (φ_γ / f, g, g*) | u⁰: φ_γ | u⁰: f | u⁰: g | u⁰: g* | final u: φ_γ (Pbgd / peer) | difference | f | g | g* | ∇φ_γ vs central difference | |");
                L("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
                foreach (var pair in squared)
                {
                    var (p, o) = (results[pair.Key].Peer[0].Trajectory, results[pair.Key].Ours[0].Trajectory);
                    double R(string c) => Relative(p.Get(0, c), o.Get(0, c));
                    double phiTolerance = pair.Tolerance.SameUPhi, partsTolerance = pair.Tolerance.SameUParts;
                    var phi = phiChecks.FirstOrDefault(c => c.Pair.Key == pair.Key);
                    double phiAt0 = R("penalized"), parts0 = Math.Max(R("upper"), Math.Max(R("lower"), R("lower_optimal")));
                    bool ok = phiAt0 <= phiTolerance && parts0 <= partsTolerance;
                    string final = "—", finalDiff = "—", f = "—", g = "—", gs = "—", dd = "—";
                    if (phi is not null)
                    {
                        double d = Relative(phi.PhiPeer, phi.PhiOurs);
                        ok &= d <= phiTolerance && Math.Max(phi.F, Math.Max(phi.G, phi.GStar)) <= partsTolerance && phi.DirectionalDerivativeError <= 1e-4;
                        final = string.Create(Inv, $"{phi.PhiOurs:F6} / {phi.PhiPeer:F6} (Pbgd {(phi.PhiOurs >= phi.PhiPeer ? "higher" : "lower")})");
                        (finalDiff, f, g, gs, dd) = ($"{d:E2}", $"{phi.F:E2}", $"{phi.G:E2}", $"{phi.GStar:E2}", $"{phi.DirectionalDerivativeError:E2}");
                    }
                    if (!ok) Failures.Add($"{pair.Key}: φ_γ or its parts at the same u differ beyond {phiTolerance:E0} (φ) / {partsTolerance:E0} (f, g, g*), or the gradient check beyond 1e−4");
                    L($"| {pair.Key} | {phiTolerance:E0} / {partsTolerance:E0} | {phiAt0:E2} | {R("upper"):E2} | {R("lower"):E2} | {R("lower_optimal"):E2} | {final} | {finalDiff} | {f} | {g} | {gs} | {dd} | {(ok ? "ok" : "**FAILED**")} |");
                }
                L("");
                L("Tolerances at the same u: qr against the peer's pivoted Cholesky 1e−9 (both direct, rank-revealing); cg and auto looser, because their solves are not exact minimisers to better than ~1e−6 relative on MNIST's ill-conditioned systems: at a u the peer's W_γ(u) gives a lower L_γ(u, ·) and its W*(u) a lower g(u, ·) than Pbgd's conjugate gradients (accepted at normwise backward error ≤ 1e−11), both matching LAPACK's SVD solve (gelsd) to ~1e−12. The directional derivative: 1e−4 (central difference, step 1e−3).");
                L("");
            }
        }

        private static string CpuModel()
        {
            try
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
            }
            catch (IOException) { return "unknown CPU"; }
        }

        private string Rel(string path)
        {
            string root = RepositoryRoot();
            return path.StartsWith(root + "/", StringComparison.Ordinal) ? path[(root.Length + 1)..] : path;
        }
    }
}
