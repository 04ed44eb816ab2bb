using System.CommandLine;
using System.Text.Json;
using Pbgd.Experiments.Setup;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Reporting;
using Pbgd.Checkpoints;

namespace Pbgd.Cli.Commands;

/// `pbgd replearn`: linear representation learning (PBGD-J case study) with its generic-branch certificate.
internal static class RepLearnCommand
{
    internal static Command Create()
    {
        var d = new RepresentationLearningConfig();
        var data = new Option<string>("--data")
        {
            Description = $"Data (default {d.Data}):\n" + string.Join("\n", DatasetRegistry.Regression.Choices), DefaultValueFactory = _ => d.Data,
        };
        var train = new Option<int>("--train") { Description = $"Synthetic N (default {d.Train}).", DefaultValueFactory = _ => d.Train };
        var val = new Option<int>("--val") { Description = $"Synthetic N' (default {d.Validation}).", DefaultValueFactory = _ => d.Validation };
        var features = new Option<int>("--features") { Description = $"Synthetic m (default {d.Features}).", DefaultValueFactory = _ => d.Features };
        var hidden = new Option<int>("--hidden") { Description = $"h (default {d.Hidden}).", DefaultValueFactory = _ => d.Hidden };
        var outputs = new Option<int>("--outputs") { Description = $"Synthetic n (default {d.Outputs}).", DefaultValueFactory = _ => d.Outputs };
        var algo = new Option<string>("--algo") { Description = "pbgd-j | pbgd-b (default pbgd-j).", DefaultValueFactory = _ => "pbgd-j" };
        var oracle = new Option<string>("--oracle") { Description = "exact | iterative (default exact).", DefaultValueFactory = _ => d.Oracle };
        var gamma = new Option<string>("--gamma") { Description = $"VALUE | ramp:START:END:STEPS | eps:EPS[:GAMMA0] (default {d.Gamma}).", DefaultValueFactory = _ => d.Gamma };
        var iterations = new Option<int>("--iterations") { Description = $"Outer iterations (default {d.Iterations}).", DefaultValueFactory = _ => d.Iterations };
        var tolerance = new Option<double>("--tolerance") { Description = "Stop when L_γ − min L_γ ≤ tol·max(1, min L_γ) (default 1e-8).", DefaultValueFactory = _ => 1e-8 };
        var upperStep = new Option<string>("--upper-step") { Description = "lbfgs | bb | gradient (default lbfgs; gradient is the papers' fixed step).", DefaultValueFactory = _ => "lbfgs" };
        var seed = new Option<int>("--seed") { Description = $"Seed (default {d.Seed}).", DefaultValueFactory = _ => d.Seed };
        var output = new Option<string>("--out") { Description = "Output folder (default runs/replearn).", DefaultValueFactory = _ => "runs/replearn" };
        var command = new Command("replearn", "Linear representation learning with PBGD, against its closed-form generic-branch optimum.")
            { data, train, val, features, hidden, outputs, algo, oracle, gamma, iterations, tolerance, upperStep, seed, output };
        command.SetAction(p =>
        {
            var config = new RepresentationLearningConfig
            {
                Data = p.GetValue(data)!, Train = p.GetValue(train), Validation = p.GetValue(val), Features = p.GetValue(features),
                Hidden = p.GetValue(hidden), Outputs = p.GetValue(outputs), Oracle = p.GetValue(oracle)!, Gamma = p.GetValue(gamma)!,
                Iterations = p.GetValue(iterations), Tolerance = p.GetValue(tolerance), Seed = p.GetValue(seed),
                UpperStep = Solvers.UpperStepRules.Parse(p.GetValue(upperStep)!),
                Algorithm = p.GetValue(algo) switch
                {
                    "pbgd-j" => BilevelAlgorithm.Jacobi,
                    "pbgd-b" => BilevelAlgorithm.Blockwise,
                    var other => throw new ArgumentException($"--algo: '{other}' is not pbgd-j or pbgd-b."),
                },
            };
            config.Validate();
            var report = RepresentationLearningExperiment.Run(config);
            var r = report.Result;
            string dir = p.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var summary = new Dictionary<string, object?>
            {
                ["algorithm"] = r.Algorithm, ["options"] = report.Config, ["oracle"] = r.Oracle, ["stopReason"] = r.StopReason.ToString(),
                ["iterations"] = r.Iterations, ["counts"] = r.Counts, ["penaltyIncreases"] = r.PenaltyIncreases,
                ["longestIncreaseStreak"] = r.LongestIncreaseStreak, ["oscillated"] = r.Oscillated, ["seconds"] = r.Seconds, ["upperObjective"] = r.Final.Upper,
                [config.Oracle == "exact" ? "lowerGap" : "lowerGapEstimate"] = r.Final.LowerGap, ["penalized"] = r.Final.Penalized,
                ["gamma"] = r.Final.Gamma, ["genericOptimum"] = report.GenericOptimum, ["genericOptimumMethod"] = report.GenericMethod,
                ["upperGapToGenericOptimum"] = r.Final.Upper - report.GenericOptimum, ["minimumPenalized"] = report.MinimumPenalized,
                ["penalizedGap"] = r.Final.Penalized - report.MinimumPenalized, ["rankRequired"] = report.Train, ["minimumRankSeen"] = report.MinimumRank,
                ["certificateApplies"] = report.MinimumRank == report.Train, ["environment"] = RunEnvironment.Describe(),
            };
            AtomicFile.Write(Path.Combine(dir, "summary.json"), s => JsonSerializer.Serialize(s, summary, HyperCleaningSummary.JsonOptions));
            AtomicFile.WriteText(Path.Combine(dir, "trajectory.csv"), w => TrajectoryCsv.Write(w, r.History, null));
            // min L_γ is that of the final γ: a gap to it means something only while γ stays fixed.
            double? minL = Schedules.PenaltySchedule.Parse(config.Gamma).Kind == Schedules.PenaltyScheduleKind.LinearRamp ? null : report.MinimumPenalized;
            ConvergencePlot.Save(dir, $"{r.Algorithm} representation learning", r, config.Oracle != "exact", null, minL);
            Console.WriteLine(r.ToString());
            Console.WriteLine(FormattableString.Invariant(
                $"f*_gen = {report.GenericOptimum:G8} ({report.GenericMethod}); f − f*_gen = {r.Final.Upper - report.GenericOptimum:E3}; min L_γ = {report.MinimumPenalized:G8}; L_γ − min L_γ = {r.Final.Penalized - report.MinimumPenalized:E3}; rank of X_trn·W1 ≥ {report.MinimumRank} (N = {report.Train}{(report.MinimumRank == report.Train ? ": certificate applies" : ": certificate does not apply")})"));
            if (r.Oscillated)
                Console.Error.WriteLine($"warning: L_γ rose at {r.PenaltyIncreases} iterations with γ fixed (up to {r.LongestIncreaseStreak} in a row): the step may be too large.");
            Console.WriteLine($"summary: {Path.GetFullPath(Path.Combine(dir, "summary.json"))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
