using System.Diagnostics;

namespace Pbgd.Tests.Support;

/// Starts the built CLI (pbgd.dll, copied next to the tests) in a child process with extra environment variables.
internal static class CliProcess
{
    internal static Process Start(string arguments, params (string Key, string Value)[] environment)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "pbgd.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{cli}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    /// Starts the CLI with both output streams drained in the background (a long run must not block on a full pipe).
    internal static Process StartDraining(string arguments, params (string Key, string Value)[] environment)
    {
        var p = Start(arguments, environment);
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// Runs to the end and returns the exit code and both output streams.
    internal static (int Code, string Out, string Err) Run(string arguments, params (string Key, string Value)[] environment)
    {
        using var p = Start(arguments, environment);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), $"'pbgd {arguments}' did not finish in 5 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
