using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pbgd.Kernels;

/// <summary>
/// The register-blocked inner loops of the skinny products, on raw pointers into pinned or fixed storage, for double
/// data and for float data (the float32 option: 16 lanes per FMA instead of 8, half the bytes). One generic body serves
/// both; the JIT compiles a separate copy per element type, so neither pays for the other.
/// Forward: 4 rows × 4 columns of B per sweep along m, so each loaded x vector feeds 4 FMAs and each B vector
/// 4 (8 loads per 16 FMAs); leftover columns in pairs, then singly. Every element is one accumulator summed in the
/// same order whichever block computes it, so a column's result does not depend on how many columns share the call.
/// Backward: 8 rows × 2 columns of R per sweep, the 16 coefficients held in registers (10 loads per 16 FMAs). A plain
/// loop serves machines without AVX-512 and the tails. Float forward sums run over one row of X (m terms, relative
/// error ≲ m·2⁻²⁴) and are stored as double; float backward sums are flushed to double by the caller
/// (<see cref="FusedRowPass"/>).
/// </summary>
internal static unsafe class MicroKernels
{
    /// <summary>Whether the AVX-512 path is used; tests switch it off to check the portable loop.</summary>
    internal static bool UseVector512 { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>z[i, c] = Σ_j x[i, j]·bT[c, j] for i &lt; rows, c &lt; k (bT k×m with leading dimension m).</summary>
    internal static void Dot(double* x, int ldx, int rows, int m, double* bT, int k, double* z, int ldz) => Dot<double>(x, ldx, rows, m, bT, k, z, ldz);

    /// <summary>The same for float X and Bᵀ, in float arithmetic; z is double.</summary>
    internal static void Dot(float* x, int ldx, int rows, int m, float* bT, int k, double* z, int ldz) => Dot<float>(x, ldx, rows, m, bT, k, z, ldz);

    /// <summary>gT[c, :] += Σ_i coef[i, c]·x[i, :] for i &lt; rows, c &lt; k (gT k×m with leading dimension m).</summary>
    internal static void Axpy(double* x, int ldx, int rows, int m, double* coef, int ldc, int k, double* gT) => Axpy<double>(x, ldx, rows, m, coef, ldc, k, gT);

    /// <summary>The same for float X, coefficients and sums.</summary>
    internal static void Axpy(float* x, int ldx, int rows, int m, float* coef, int ldc, int k, float* gT) => Axpy<float>(x, ldx, rows, m, coef, ldc, k, gT);

    private static void Dot<T>(T* x, int ldx, int rows, int m, T* bT, int k, double* z, int ldz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (UseVector512 && m >= Vector512<T>.Count)
            for (; i + 4 <= rows; i += 4)
            {
                int c = 0;
                for (; c + 4 <= k; c += 4) Dot4x4(x + (long)i * ldx, ldx, bT + (long)c * m, m, z + (long)i * ldz + c, ldz);
                // k = 10 leaves two columns: as a pair each x load feeds 2 FMAs instead of 1.
                for (; c + 2 <= k; c += 2) Dot4x2(x + (long)i * ldx, ldx, bT + (long)c * m, m, z + (long)i * ldz + c, ldz);
                for (; c < k; c++) Dot4x1(x + (long)i * ldx, ldx, bT + (long)c * m, m, z + (long)i * ldz + c, ldz);
            }
        for (; i < rows; i++)
            for (int c = 0; c < k; c++) z[(long)i * ldz + c] = double.CreateTruncating(DotRow(x + (long)i * ldx, bT + (long)c * m, m));
    }

    private static void Axpy<T>(T* x, int ldx, int rows, int m, T* coef, int ldc, int k, T* gT) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (UseVector512 && m >= Vector512<T>.Count)
            for (; i + 8 <= rows; i += 8)
            {
                int c = 0;
                for (; c + 2 <= k; c += 2) Axpy8x2(x + (long)i * ldx, ldx, m, coef + (long)i * ldc + c, ldc, gT + (long)c * m);
                for (; c < k; c++)
                    for (int r = 0; r < 8; r++) AxpyRow(coef[(long)(i + r) * ldc + c], x + (long)(i + r) * ldx, gT + (long)c * m, m);
            }
        for (; i < rows; i++)
            for (int c = 0; c < k; c++) AxpyRow(coef[(long)i * ldc + c], x + (long)i * ldx, gT + (long)c * m, m);
    }

    // a·b + c rounded once; the typeof tests are constants in each specialised copy.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    private static T DotRow<T>(T* x, T* b, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0, w = Vector512<T>.Count;
        T s = T.Zero;
        if (UseVector512 && m >= w)
        {
            var acc = Vector512<T>.Zero;
            for (; j + w <= m; j += w) acc = Fma(Vector512.Load(x + j), Vector512.Load(b + j), acc);
            s = Vector512.Sum(acc);
        }
        for (; j < m; j++) s += x[j] * b[j];
        return s;
    }

    private static void AxpyRow<T>(T a, T* x, T* g, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0, w = Vector512<T>.Count;
        if (UseVector512 && m >= w)
        {
            var va = Vector512.Create(a);
            for (; j + w <= m; j += w) Vector512.Store(Fma(va, Vector512.Load(x + j), Vector512.Load(g + j)), g + j);
        }
        for (; j < m; j++) g[j] += a * x[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4<T>(T* x, int ldx, T* b, int m, double* z, int ldz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        T* b0 = b, b1 = b + m, b2 = b + 2L * m, b3 = b + 3L * m;
        Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default;
        int j = 0, w = Vector512<T>.Count;
        for (; j + w <= m; j += w)
        {
            var v0 = Vector512.Load(b0 + j);
            var v1 = Vector512.Load(b1 + j);
            var v2 = Vector512.Load(b2 + j);
            var v3 = Vector512.Load(b3 + j);
            var r = Vector512.Load(x0 + j);
            a00 = Fma(r, v0, a00); a01 = Fma(r, v1, a01); a02 = Fma(r, v2, a02); a03 = Fma(r, v3, a03);
            r = Vector512.Load(x1 + j);
            a10 = Fma(r, v0, a10); a11 = Fma(r, v1, a11); a12 = Fma(r, v2, a12); a13 = Fma(r, v3, a13);
            r = Vector512.Load(x2 + j);
            a20 = Fma(r, v0, a20); a21 = Fma(r, v1, a21); a22 = Fma(r, v2, a22); a23 = Fma(r, v3, a23);
            r = Vector512.Load(x3 + j);
            a30 = Fma(r, v0, a30); a31 = Fma(r, v1, a31); a32 = Fma(r, v2, a32); a33 = Fma(r, v3, a33);
        }
        T s00 = Vector512.Sum(a00), s01 = Vector512.Sum(a01), s02 = Vector512.Sum(a02), s03 = Vector512.Sum(a03);
        T s10 = Vector512.Sum(a10), s11 = Vector512.Sum(a11), s12 = Vector512.Sum(a12), s13 = Vector512.Sum(a13);
        T s20 = Vector512.Sum(a20), s21 = Vector512.Sum(a21), s22 = Vector512.Sum(a22), s23 = Vector512.Sum(a23);
        T s30 = Vector512.Sum(a30), s31 = Vector512.Sum(a31), s32 = Vector512.Sum(a32), s33 = Vector512.Sum(a33);
        for (; j < m; j++)
        {
            T c0 = b0[j], c1 = b1[j], c2 = b2[j], c3 = b3[j];
            s00 += x0[j] * c0; s01 += x0[j] * c1; s02 += x0[j] * c2; s03 += x0[j] * c3;
            s10 += x1[j] * c0; s11 += x1[j] * c1; s12 += x1[j] * c2; s13 += x1[j] * c3;
            s20 += x2[j] * c0; s21 += x2[j] * c1; s22 += x2[j] * c2; s23 += x2[j] * c3;
            s30 += x3[j] * c0; s31 += x3[j] * c1; s32 += x3[j] * c2; s33 += x3[j] * c3;
        }
        Store4(z, s00, s01, s02, s03); z += ldz;
        Store4(z, s10, s11, s12, s13); z += ldz;
        Store4(z, s20, s21, s22, s23); z += ldz;
        Store4(z, s30, s31, s32, s33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<T>(double* z, T a, T b, T c, T d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        z[0] = double.CreateTruncating(a); z[1] = double.CreateTruncating(b);
        z[2] = double.CreateTruncating(c); z[3] = double.CreateTruncating(d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x2<T>(T* x, int ldx, T* b, int m, double* z, int ldz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        T* b0 = b, b1 = b + m;
        Vector512<T> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<T> a20 = default, a21 = default, a30 = default, a31 = default;
        int j = 0, w = Vector512<T>.Count;
        for (; j + w <= m; j += w)
        {
            var v0 = Vector512.Load(b0 + j);
            var v1 = Vector512.Load(b1 + j);
            var r = Vector512.Load(x0 + j);
            a00 = Fma(r, v0, a00); a01 = Fma(r, v1, a01);
            r = Vector512.Load(x1 + j);
            a10 = Fma(r, v0, a10); a11 = Fma(r, v1, a11);
            r = Vector512.Load(x2 + j);
            a20 = Fma(r, v0, a20); a21 = Fma(r, v1, a21);
            r = Vector512.Load(x3 + j);
            a30 = Fma(r, v0, a30); a31 = Fma(r, v1, a31);
        }
        T s00 = Vector512.Sum(a00), s01 = Vector512.Sum(a01), s10 = Vector512.Sum(a10), s11 = Vector512.Sum(a11);
        T s20 = Vector512.Sum(a20), s21 = Vector512.Sum(a21), s30 = Vector512.Sum(a30), s31 = Vector512.Sum(a31);
        for (; j < m; j++)
        {
            T c0 = b0[j], c1 = b1[j];
            s00 += x0[j] * c0; s01 += x0[j] * c1;
            s10 += x1[j] * c0; s11 += x1[j] * c1;
            s20 += x2[j] * c0; s21 += x2[j] * c1;
            s30 += x3[j] * c0; s31 += x3[j] * c1;
        }
        z[0] = double.CreateTruncating(s00); z[1] = double.CreateTruncating(s01); z += ldz;
        z[0] = double.CreateTruncating(s10); z[1] = double.CreateTruncating(s11); z += ldz;
        z[0] = double.CreateTruncating(s20); z[1] = double.CreateTruncating(s21); z += ldz;
        z[0] = double.CreateTruncating(s30); z[1] = double.CreateTruncating(s31);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x1<T>(T* x, int ldx, T* b, int m, double* z, int ldz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
        int j = 0, w = Vector512<T>.Count;
        for (; j + w <= m; j += w)
        {
            var v = Vector512.Load(b + j);
            a0 = Fma(Vector512.Load(x0 + j), v, a0);
            a1 = Fma(Vector512.Load(x1 + j), v, a1);
            a2 = Fma(Vector512.Load(x2 + j), v, a2);
            a3 = Fma(Vector512.Load(x3 + j), v, a3);
        }
        T s0 = Vector512.Sum(a0), s1 = Vector512.Sum(a1), s2 = Vector512.Sum(a2), s3 = Vector512.Sum(a3);
        for (; j < m; j++)
        {
            s0 += x0[j] * b[j]; s1 += x1[j] * b[j]; s2 += x2[j] * b[j]; s3 += x3[j] * b[j];
        }
        z[0] = double.CreateTruncating(s0); z[ldz] = double.CreateTruncating(s1);
        z[2L * ldz] = double.CreateTruncating(s2); z[3L * ldz] = double.CreateTruncating(s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy8x2<T>(T* x, int ldx, int m, T* coef, int ldc, T* g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        T* x4 = x + 4L * ldx, x5 = x + 5L * ldx, x6 = x + 6L * ldx, x7 = x + 7L * ldx;
        T* g0 = g, g1 = g + m;
        var c00 = Vector512.Create(coef[0]); var c01 = Vector512.Create(coef[1]); coef += ldc;
        var c10 = Vector512.Create(coef[0]); var c11 = Vector512.Create(coef[1]); coef += ldc;
        var c20 = Vector512.Create(coef[0]); var c21 = Vector512.Create(coef[1]); coef += ldc;
        var c30 = Vector512.Create(coef[0]); var c31 = Vector512.Create(coef[1]); coef += ldc;
        var c40 = Vector512.Create(coef[0]); var c41 = Vector512.Create(coef[1]); coef += ldc;
        var c50 = Vector512.Create(coef[0]); var c51 = Vector512.Create(coef[1]); coef += ldc;
        var c60 = Vector512.Create(coef[0]); var c61 = Vector512.Create(coef[1]); coef += ldc;
        var c70 = Vector512.Create(coef[0]); var c71 = Vector512.Create(coef[1]);
        int j = 0, w = Vector512<T>.Count;
        for (; j + w <= m; j += w)
        {
            var s0 = Vector512.Load(g0 + j);
            var s1 = Vector512.Load(g1 + j);
            var r = Vector512.Load(x0 + j);
            s0 = Fma(c00, r, s0); s1 = Fma(c01, r, s1);
            r = Vector512.Load(x1 + j);
            s0 = Fma(c10, r, s0); s1 = Fma(c11, r, s1);
            r = Vector512.Load(x2 + j);
            s0 = Fma(c20, r, s0); s1 = Fma(c21, r, s1);
            r = Vector512.Load(x3 + j);
            s0 = Fma(c30, r, s0); s1 = Fma(c31, r, s1);
            r = Vector512.Load(x4 + j);
            s0 = Fma(c40, r, s0); s1 = Fma(c41, r, s1);
            r = Vector512.Load(x5 + j);
            s0 = Fma(c50, r, s0); s1 = Fma(c51, r, s1);
            r = Vector512.Load(x6 + j);
            s0 = Fma(c60, r, s0); s1 = Fma(c61, r, s1);
            r = Vector512.Load(x7 + j);
            s0 = Fma(c70, r, s0); s1 = Fma(c71, r, s1);
            Vector512.Store(s0, g0 + j);
            Vector512.Store(s1, g1 + j);
        }
        coef -= 7L * ldc;
        for (; j < m; j++)
        {
            T s0 = g0[j], s1 = g1[j];
            for (int r = 0; r < 8; r++)
            {
                T xv = x[(long)r * ldx + j];
                s0 += coef[(long)r * ldc] * xv;
                s1 += coef[(long)r * ldc + 1] * xv;
            }
            g0[j] = s0;
            g1[j] = s1;
        }
    }
}
