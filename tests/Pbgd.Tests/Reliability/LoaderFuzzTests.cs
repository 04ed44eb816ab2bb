using System.Diagnostics;
using System.IO.Compression;
using Pbgd.Data;

namespace Pbgd.Tests.Reliability;

/// Seeded mutations of valid IDX, LIBSVM and CSV files (bit flips, truncation, inserted random bytes, huge
/// declared sizes): every case must end in a loaded data set or a documented, typed exception — never a crash,
/// a hang, another exception type, or an allocation beyond the densifying limit.
[Trait("Speed", "Slow")]
public sealed class LoaderFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-fuzz-").FullName;
    private static readonly LoadLimits Limits = new() { MaxValues = 1 << 20, MaxFeatures = 4096 };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] ValidIdx(bool gzip)
    {
        var bytes = new List<byte> { 0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 6, 0, 0, 0, 5 };
        for (int i = 0; i < 20 * 30; i++) bytes.Add((byte)(i * 31));
        if (!gzip) return bytes.ToArray();
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(bytes.ToArray());
        return ms.ToArray();
    }

    private static byte[] Mutate(byte[] valid, Random r)
    {
        var b = (byte[])valid.Clone();
        switch (r.Next(5))
        {
            case 0: // bit flips
                for (int k = 0, n = 1 + r.Next(4); k < n; k++) b[r.Next(b.Length)] ^= (byte)(1 << r.Next(8));
                return b;
            case 1: // truncation
                return b[..r.Next(b.Length)];
            case 2: // random bytes inserted
                var list = b.ToList();
                list.InsertRange(r.Next(list.Count), Enumerable.Range(0, 1 + r.Next(16)).Select(_ => (byte)r.Next(256)));
                return list.ToArray();
            case 3: // huge declared size in the first header words (IDX) / a huge number somewhere (text)
                int at = Math.Min(b.Length - 4, 4 + 4 * r.Next(3));
                if (at >= 0) { b[at] = 0x7f; b[at + 1] = 0xff; }
                return b;
            default: // random tail
                return b.Concat(Enumerable.Range(0, r.Next(64)).Select(_ => (byte)r.Next(256))).ToArray();
        }
    }

    [Fact]
    public void MutatedFilesEndInTypedErrorsOnly()
    {
        var formats = new (string Name, byte[] Valid, Action<string> Load)[]
        {
            ("idx", ValidIdx(false), p => IdxReader.ReadImages(p, Limits)),
            ("idx.gz", ValidIdx(true), p => IdxReader.ReadImages(p, Limits)),
            ("libsvm", System.Text.Encoding.ASCII.GetBytes(string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i % 3} 1:{i}.5 7:-{i}e-2 {1 + i % 40}:3"))), p => LibsvmReader.Read(p, new ReadOptions { Limits = Limits })),
            ("csv", System.Text.Encoding.ASCII.GetBytes("a,b,c,label\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i},{i * 0.5},-{i}e-3,{i % 4}"))), p => CsvDatasetReader.Read(p, new ReadOptions { LabelColumn = "label", Limits = Limits })),
        };
        var random = new Random(20261123);
        var outcomes = new Dictionary<string, int>();
        var watch = Stopwatch.StartNew();
        int cases = 0;
        foreach (var (name, valid, load) in formats)
        {
            string path = Path.Combine(_dir, name);
            for (int k = 0; k < 750; k++, cases++)
            {
                File.WriteAllBytes(path, Mutate(valid, random));
                long before = GC.GetAllocatedBytesForCurrentThread();
                string outcome;
                try { load(path); outcome = "loaded"; }
                catch (DataFormatException) { outcome = nameof(DataFormatException); }
                catch (ArgumentException e) when (name == "csv" && e.ParamName == nameof(ReadOptions.LabelColumn)) { outcome = "label column gone"; }
                // Anything else propagates and fails the test with the offending file's case number in the trace.
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < 64L << 20, $"{name} case {k}: allocated {allocated} bytes (limit is {Limits.MaxValues} values)");
                outcomes[$"{name}: {outcome}"] = outcomes.GetValueOrDefault($"{name}: {outcome}") + 1;
            }
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"{cases} cases took {watch.Elapsed}");
        // Both outcomes must occur for each format, or the mutations are not exercising the parser.
        foreach (var (name, _, _) in formats)
            Assert.True(outcomes.GetValueOrDefault($"{name}: {nameof(DataFormatException)}") > 0, $"{name}: no mutation was rejected");
    }
}
