using System.Runtime.InteropServices;

namespace Pbgd.Benchmarks;

/// The C baseline (native/reference, built with CMake into native/build) loaded for timing by the same harness.
internal sealed unsafe class NativeReference
{
    private readonly delegate* unmanaged<int, int, int, int, long> _workspace;
    private readonly delegate* unmanaged<int, int, int, int, double*, double*, double*, double*, double, double, double, double*, double*, double*, double> _iteration;

    private NativeReference(IntPtr handle)
    {
        _workspace = (delegate* unmanaged<int, int, int, int, long>)NativeLibrary.GetExport(handle, "pbgd_reference_workspace");
        _iteration = (delegate* unmanaged<int, int, int, int, double*, double*, double*, double*, double, double, double, double*, double*, double*, double>)
            NativeLibrary.GetExport(handle, "pbgd_reference_iteration");
    }

    /// Loads native/build/libpbgd_reference.so (searched upward from the working directory), or null with a reason.
    internal static NativeReference? TryLoad(out string reason)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "native", "build", "libpbgd_reference.so");
            if (!File.Exists(path)) continue;
            // libmkl_rt must be the process's copy: make sure Pbgd loaded it first.
            Pbgd.Native.MklLibrary.EnsureLoaded();
            reason = path;
            return new NativeReference(NativeLibrary.Load(path));
        }
        reason = "native/build/libpbgd_reference.so not found (build it: cmake -S native/reference -B native/build && cmake --build native/build)";
        return null;
    }

    internal long Workspace(int n, int nVal, int m, int c) => _workspace(n, nVal, m, c);

    internal double Iteration(int n, int nVal, int m, int c, double[] xTrain, double[] yTrain, double[] xVal, double[] yVal,
        double gamma, double alpha, double radius, double[] u, double[] w, double[] work)
    {
        fixed (double* xt = xTrain) fixed (double* yt = yTrain) fixed (double* xv = xVal) fixed (double* yv = yVal)
        fixed (double* pu = u) fixed (double* pw = w) fixed (double* pwork = work)
            return _iteration(n, nVal, m, c, xt, yt, xv, yv, gamma, alpha, radius, pu, pw, pwork);
    }
}
