using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pbgd.Tests.Support;

/// A hyper-cleaning run's output files compared as a user would: every value to the bit, timings aside.
internal static class RunFiles
{
    /// Asserts that two --out folders hold the same model.csv, weights.csv, trajectory.csv (all but the seconds
    /// column) and summary.json (all but the "seconds" values).
    internal static void AssertSameResults(string expected, string actual)
    {
        foreach (var file in new[] { "model.csv", "weights.csv" })
            Assert.True(File.ReadAllText(Path.Combine(expected, file)) == File.ReadAllText(Path.Combine(actual, file)), $"{file} differs");
        var a = Trajectory(expected);
        var b = Trajectory(actual);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(a[i] == b[i], $"trajectory.csv row {i} differs:\n{a[i]}\n{b[i]}");
        var sa = Untimed(expected).Split('\n');
        var sb = Untimed(actual).Split('\n');
        Assert.Equal(sa.Length, sb.Length);
        for (int i = 0; i < sa.Length; i++) Assert.True(sa[i] == sb[i], $"summary.json line {i + 1} differs:\n{sa[i]}\n{sb[i]}");
    }

    private static string[] Trajectory(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "trajectory.csv")).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 1))).ToArray();

    private static string Untimed(string dir)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!.AsObject();
        node.Remove("seconds");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// Sends a signal (INT, TERM, …) to a process with kill(1).
    internal static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-s {signal} {process.Id}"))!;
        Assert.True(kill.WaitForExit(10_000));
        Assert.Equal(0, kill.ExitCode);
    }

    /// Waits until the --checkpoint folder's checkpoint.json reaches an iteration (written atomically, so never half-read).
    internal static int WaitForCheckpoint(Process process, string checkpointDir, int iteration, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int reached = -1;
        while (reached < iteration && DateTime.UtcNow < deadline && !process.HasExited)
        {
            Thread.Sleep(25);
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpointDir, "checkpoint.json")));
                reached = doc.RootElement.GetProperty("iteration").GetInt32();
            }
            catch (Exception e) when (e is IOException or JsonException) { } // not written yet
        }
        return reached;
    }
}
