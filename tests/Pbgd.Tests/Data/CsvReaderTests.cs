using Pbgd.Data;
using Pbgd.Validation;

namespace Pbgd.Tests.Data;

public sealed class CsvReaderTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static ReadOptions Column(string labelColumn) => new() { LabelColumn = labelColumn };

    [Fact]
    public void HeaderAndNamedLabel()
    {
        var (data, map) = CsvDatasetReader.Read(_files.Text("a.csv", "x1,label,x2\n1.5,3,2\n-1,7,0.25\n"), Column("label"));
        Assert.Equal([1.5, 2, -1, 0.25], data.Features.Data);
        Assert.Equal([3L, 7L], map.Values);
        Assert.Equal([0, 1], data.Labels);
        Assert.Null(data.CleanMask);
    }

    [Theory]
    [InlineData("-1", new[] { 1.0, 2, 3, 4 }, new[] { 0, 1 })]
    [InlineData("0", new[] { 2.0, 0, 4, 1 }, new[] { 0, 1 })]
    [InlineData("1", new[] { 1.0, 0, 3, 1 }, new[] { 0, 1 })]
    public void NoHeaderAndIndexedLabel(string column, double[] features, int[] labels)
    {
        var (data, _) = CsvDatasetReader.Read(_files.Text("b.csv", "1,2,0\n\n3,4,1\n"), Column(column));
        Assert.Equal(features, data.Features.Data);
        Assert.Equal(labels, data.Labels);
    }

    [Theory]
    [InlineData("1,2,0\n3,4\n", 2, 3, "2 fields")]
    [InlineData("1,2,0\n3,4,1,5\n", 2, 4, "4 fields")]
    [InlineData("1,2,0\n3,x,1\n", 2, 2, "not a number")]
    [InlineData("1,2,0\n3,Infinity,1\n", 2, 2, "not a finite number")]
    [InlineData("1,2,0\n3,1e400,1\n", 2, 2, "not a finite number")]
    [InlineData("1,2,0\n3,NaN,1\n", 2, 2, "not a finite number")]
    [InlineData("1,2,0\n3,4,0.5\n", 2, 3, "not an integer class label")]
    [InlineData("a,b,c\n1,2,0\n\n3,,1\n", 4, 2, "not a number")]
    public void ErrorsNameLineAndColumn(string content, int line, int? column, string problem)
    {
        var e = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(_files.Text("bad.csv", content)));
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Equal(column is null ? $"line {line}" : $"line {line}, column {column}", e.Location);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void MalformedQuotingIsATypedError()
    {
        var e = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(_files.Text("q.csv", "1,2,0\n3,4\"x,1\n")));
        Assert.Contains("malformed CSV", e.Problem);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void LabelColumnProblems()
    {
        Assert.Contains("no header row", Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(_files.Text("n.csv", "1,2\n"), Column("label"))).Problem);
        Assert.Contains("no column named", Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(_files.Text("h.csv", "a,b\n1,2\n"), Column("label"))).Problem);
        var outside = Assert.Throws<InvalidValueException>(() => CsvDatasetReader.Read(_files.Text("i.csv", "1,2\n"), Column("5")));
        Assert.Equal(nameof(ReadOptions.LabelColumn), outside.ParamName);
        Assert.Equal($"label column 5 is outside the 2 columns of {_files.Path("i.csv")}.", outside.Message);
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(_files.Text("e.csv", "a,b\n"))).Problem);
    }

    [Fact]
    public void LabelsOutsideTheTrainingMapAreRejected()
    {
        var map = new LabelMap([0L, 1L]);
        var e = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(_files.Text("t.csv", "1,0\n2,5\n"), new ReadOptions { LabelMap = map }));
        Assert.Equal(2, e.Line);
        Assert.Contains("does not occur", e.Problem);
        var x = new Linalg.Matrix(2, 1);
        Assert.Equal("sample 1", Assert.Throws<DataFormatException>(() => new LabeledData(x, [1, 12], 10, "mem").Validated()).Location);
    }

    [Fact]
    public void ValueLimit()
    {
        var e = Assert.Throws<DataFormatException>(() =>
            CsvDatasetReader.Read(_files.Text("big.csv", string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},{i},{i % 2}\n"))), new ReadOptions { Limits = new LoadLimits { MaxValues = 12 } }));
        Assert.Equal(7, e.Line);
    }

    [Fact]
    public void MatrixReader()
    {
        var x = CsvMatrixReader.Read(_files.Text("m.csv", "a,b\n1,2\n3,4.5\n"));
        Assert.Equal((2, 2), (x.Rows, x.Columns));
        Assert.Equal([1, 2, 3, 4.5], x.Data);
        // A first row of numbers is data unless the options say it is a header.
        Assert.Equal([3, 4.5], CsvMatrixReader.Read(_files.Text("h.csv", "1,2\n3,4.5\n"), new ReadOptions { HasHeader = true }).Data);
        var e = Assert.Throws<DataFormatException>(() => CsvMatrixReader.Read(_files.Text("r.csv", "1,2\n3,4\n5\n")));
        Assert.Equal(3, e.Line);
        Assert.Equal(2, e.Column);
    }
}
