using System.Diagnostics;
using System.Globalization;
using Pbgd.Experiments;
using Spectre.Console;

namespace Pbgd.Cli;

/// Shows a run's progress: a live Spectre.Console table on a terminal, plain periodic lines when output is
/// redirected (logs, CI). Updates are throttled so display never slows the solver noticeably.
internal sealed class ProgressReporter
{
    private readonly bool _interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private readonly Stopwatch _sinceUpdate = Stopwatch.StartNew();
    private HyperCleaningProgress _latest;
    private bool _any;

    internal void Report(HyperCleaningProgress progress)
    {
        _latest = progress;
        _any = true;
        if (!_interactive && _sinceUpdate.Elapsed.TotalSeconds >= 2)
        {
            Console.WriteLine(Line(progress));
            _sinceUpdate.Restart();
        }
    }

    /// Runs the work with a live display when on a terminal.
    internal T Run<T>(Func<T> work)
    {
        if (!_interactive) return work();
        T result = default!;
        AnsiConsole.Live(new Markup("starting…")).AutoClear(false).Start(ctx =>
        {
            var task = Task.Run(work);
            while (!task.Wait(250))
                if (_any) ctx.UpdateTarget(Table(_latest));
            result = task.GetAwaiter().GetResult();
            if (_any) ctx.UpdateTarget(Table(_latest));
        });
        return result;
    }

    private static Table Table(HyperCleaningProgress p)
    {
        var r = p.Record;
        double rate = r.Seconds > 0 ? r.Iteration / r.Seconds : 0;
        double eta = rate > 0 ? (p.MaxIterations - r.Iteration) / rate : double.NaN;
        var table = new Table().AddColumns("iteration", "γ", "f", "g − g*", "‖∇L‖", "test acc.", "F1", "it/s", "ETA");
        table.AddRow(F($"{r.Iteration}/{p.MaxIterations}"), F($"{r.Gamma:G4}"), F($"{r.Upper:G6}"), F($"{r.LowerGap:G3}"),
            F($"{r.GradientNorm:G3}"), Pct(p.TestAccuracy), F($"{p.CleanF1:F3}"), F($"{rate:F1}"), double.IsFinite(eta) ? F($"{eta:F0} s") : "—");
        return table;
    }

    internal static string Line(HyperCleaningProgress p)
    {
        var r = p.Record;
        return F($"iter {r.Iteration,7}  γ {r.Gamma,-8:G4} f {r.Upper,-12:G6} g−g* {r.LowerGap,-10:G3} ‖∇L‖ {r.GradientNorm,-10:G3} acc {Pct(p.TestAccuracy)}  F1 {p.CleanF1:F3}  {r.Seconds:F1} s");
    }

    private static string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("F2", CultureInfo.InvariantCulture) + " %" : "—";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
