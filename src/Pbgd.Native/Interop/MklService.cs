using System.Runtime.InteropServices;

namespace Pbgd.Native.Interop;

/// MKL service functions (C interface, arguments by value).
internal static unsafe partial class MklService
{
    static MklService() => MklLibrary.EnsureResolver();

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "MKL_Get_Version_String")]
    internal static partial void GetVersionString(byte* buffer, int length);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "MKL_Get_Max_Threads")]
    internal static partial int GetMaxThreads();

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "MKL_Set_Num_Threads")]
    internal static partial void SetNumThreads(int threads);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "MKL_Set_Dynamic")]
    internal static partial void SetDynamic(int enabled);

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "MKL_Get_Dynamic")]
    internal static partial int GetDynamic();

    [LibraryImport(MklLibrary.LibraryName, EntryPoint = "MKL_CBWR_Get")]
    internal static partial int CbwrGet(int option);
}
