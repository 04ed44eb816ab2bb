namespace Pbgd.Tests.Native;

/// One call that validation must reject: the exact exception type, the ParamName it must carry, and the call,
/// made on buffers taken from a <see cref="Buffers"/> pool so the test can check nothing was written.
internal sealed record Rejection(Type Exception, string Param, Action<Buffers> Call)
{
    internal static Rejection OutOfRange(string param, Action<Buffers> call) => new(typeof(ArgumentOutOfRangeException), param, call);
    internal static Rejection Argument(string param, Action<Buffers> call) => new(typeof(ArgumentException), param, call);

    /// Runs the call: it must throw exactly the expected type with the expected ParamName, before writing.
    internal void Verify()
    {
        var buffers = new Buffers();
        var e = Assert.Throws(Exception, () => Call(buffers));
        Assert.Equal(Param, ((ArgumentException)e).ParamName);
        Assert.True(buffers.Untouched, "a buffer was written before the arguments were rejected");
    }
}

/// Arrays filled with a marker value; <see cref="Untouched"/> tells whether every one still holds only it.
internal sealed class Buffers
{
    private const double Marker = 5.0;
    private readonly List<double[]> _taken = [];

    internal double[] Take(int length)
    {
        var a = new double[length];
        Array.Fill(a, Marker);
        _taken.Add(a);
        return a;
    }

    internal bool Untouched => _taken.All(a => a.All(v => v == Marker));
}
