using Pbgd.Data;

namespace Pbgd.Tests.Data;

public sealed class BoundedLineReaderTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private List<string> Lines(string content, int max = 1 << 20)
    {
        using var reader = new BoundedLineReader(_files.Text("l.txt", content), max);
        var lines = new List<string>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(line.ToString());
            Assert.Equal(lines.Count, reader.LineNumber);
        }
        return lines;
    }

    [Theory]
    [InlineData("a\nb\n", new[] { "a", "b" })]
    [InlineData("a\r\nb", new[] { "a", "b" })]
    [InlineData("a\rb\r\r\nc", new[] { "a", "b", "", "c" })]
    [InlineData("\n\n", new[] { "", "" })]
    [InlineData("", new string[0])]
    public void SplitsOnEveryTerminator(string content, string[] expected) => Assert.Equal(expected, Lines(content));

    [Fact]
    public void LinesAcrossBufferBoundaries()
    {
        // Lengths around the 16 Ki-character initial buffer, with \r\n straddling the boundary.
        var expected = new[] { new string('a', 16383), new string('b', 40000), "c", new string('d', 16382) };
        Assert.Equal(expected, Lines(string.Join("\r\n", expected) + "\r\n"));
    }

    [Fact]
    public void RefusesLongLines()
    {
        Assert.Equal([new string('x', 100)], Lines(new string('x', 100), max: 100));
        var e = Assert.Throws<DataFormatException>(() => Lines("ok\n" + new string('x', 101) + "\n", max: 100));
        Assert.Equal(2, e.Line);
        var big = Assert.Throws<DataFormatException>(() => Lines("ok\n" + new string('x', 100_000), max: 1000));
        Assert.Equal(2, big.Line);
    }
}
