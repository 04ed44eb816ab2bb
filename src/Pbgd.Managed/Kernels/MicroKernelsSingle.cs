using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pbgd.Kernels;

/// <summary>
/// The single-precision inner loops of the skinny products, for data stored as float (the float32 data option):
/// 16 lanes per FMA instead of 8, so the compute-bound kernels do twice the work per instruction and read half the
/// bytes. Same register blocking as <see cref="MicroKernels"/> (forward 4 rows × 4 columns, backward 8 rows × 2
/// columns). Forward dot products accumulate in float over one row of X (m terms, relative error ≲ m·2⁻²⁴ in the
/// worst case, √m·2⁻²⁴ typically) and are stored as double; backward sums accumulate in float over a bounded number of
/// rows, and the caller adds them into double partials (see <see cref="FusedRowPass"/>).
/// </summary>
internal static unsafe class MicroKernelsSingle
{
    /// <summary>z[i, c] = Σ_j x[i, j]·bT[c, j] for i &lt; rows, c &lt; k (bT k×m with leading dimension m).</summary>
    internal static void Dot(float* x, int ldx, int rows, int m, float* bT, int k, double* z, int ldz)
    {
        int i = 0;
        if (MicroKernels.UseVector512 && m >= 16)
            for (; i + 4 <= rows; i += 4)
            {
                int c = 0;
                for (; c + 4 <= k; c += 4) Dot4x4(x + (long)i * ldx, ldx, bT + (long)c * m, m, z + (long)i * ldz + c, ldz);
                for (; c + 2 <= k; c += 2) Dot4x2(x + (long)i * ldx, ldx, bT + (long)c * m, m, z + (long)i * ldz + c, ldz);
                for (; c < k; c++)
                    for (int r = 0; r < 4; r++) z[(long)(i + r) * ldz + c] = DotRow(x + (long)(i + r) * ldx, bT + (long)c * m, m);
            }
        for (; i < rows; i++)
            for (int c = 0; c < k; c++) z[(long)i * ldz + c] = DotRow(x + (long)i * ldx, bT + (long)c * m, m);
    }

    /// <summary>gT[c, :] += Σ_i coef[i, c]·x[i, :] for i &lt; rows, c &lt; k (gT k×m with leading dimension m).</summary>
    internal static void Axpy(float* x, int ldx, int rows, int m, float* coef, int ldc, int k, float* gT)
    {
        int i = 0;
        if (MicroKernels.UseVector512 && m >= 16)
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

    private static double DotRow(float* x, float* b, int m)
    {
        int j = 0;
        float s = 0;
        if (MicroKernels.UseVector512 && m >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; j + 16 <= m; j += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + j), Vector512.Load(b + j), acc);
            s = Vector512.Sum(acc);
        }
        for (; j < m; j++) s += x[j] * b[j];
        return s;
    }

    private static void AxpyRow(float a, float* x, float* g, int m)
    {
        int j = 0;
        if (MicroKernels.UseVector512 && m >= 16)
        {
            var va = Vector512.Create(a);
            for (; j + 16 <= m; j += 16) Vector512.Store(Vector512.FusedMultiplyAdd(va, Vector512.Load(x + j), Vector512.Load(g + j)), g + j);
        }
        for (; j < m; j++) g[j] += a * x[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(float* x, int ldx, float* b, int m, double* z, int ldz)
    {
        float* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        float* b0 = b, b1 = b + m, b2 = b + 2L * m, b3 = b + 3L * m;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        int j = 0;
        for (; j + 16 <= m; j += 16)
        {
            var v0 = Vector512.Load(b0 + j);
            var v1 = Vector512.Load(b1 + j);
            var v2 = Vector512.Load(b2 + j);
            var v3 = Vector512.Load(b3 + j);
            var r = Vector512.Load(x0 + j);
            a00 = Vector512.FusedMultiplyAdd(r, v0, a00); a01 = Vector512.FusedMultiplyAdd(r, v1, a01);
            a02 = Vector512.FusedMultiplyAdd(r, v2, a02); a03 = Vector512.FusedMultiplyAdd(r, v3, a03);
            r = Vector512.Load(x1 + j);
            a10 = Vector512.FusedMultiplyAdd(r, v0, a10); a11 = Vector512.FusedMultiplyAdd(r, v1, a11);
            a12 = Vector512.FusedMultiplyAdd(r, v2, a12); a13 = Vector512.FusedMultiplyAdd(r, v3, a13);
            r = Vector512.Load(x2 + j);
            a20 = Vector512.FusedMultiplyAdd(r, v0, a20); a21 = Vector512.FusedMultiplyAdd(r, v1, a21);
            a22 = Vector512.FusedMultiplyAdd(r, v2, a22); a23 = Vector512.FusedMultiplyAdd(r, v3, a23);
            r = Vector512.Load(x3 + j);
            a30 = Vector512.FusedMultiplyAdd(r, v0, a30); a31 = Vector512.FusedMultiplyAdd(r, v1, a31);
            a32 = Vector512.FusedMultiplyAdd(r, v2, a32); a33 = Vector512.FusedMultiplyAdd(r, v3, a33);
        }
        float s00 = Vector512.Sum(a00), s01 = Vector512.Sum(a01), s02 = Vector512.Sum(a02), s03 = Vector512.Sum(a03);
        float s10 = Vector512.Sum(a10), s11 = Vector512.Sum(a11), s12 = Vector512.Sum(a12), s13 = Vector512.Sum(a13);
        float s20 = Vector512.Sum(a20), s21 = Vector512.Sum(a21), s22 = Vector512.Sum(a22), s23 = Vector512.Sum(a23);
        float s30 = Vector512.Sum(a30), s31 = Vector512.Sum(a31), s32 = Vector512.Sum(a32), s33 = Vector512.Sum(a33);
        for (; j < m; j++)
        {
            float c0 = b0[j], c1 = b1[j], c2 = b2[j], c3 = b3[j];
            s00 += x0[j] * c0; s01 += x0[j] * c1; s02 += x0[j] * c2; s03 += x0[j] * c3;
            s10 += x1[j] * c0; s11 += x1[j] * c1; s12 += x1[j] * c2; s13 += x1[j] * c3;
            s20 += x2[j] * c0; s21 += x2[j] * c1; s22 += x2[j] * c2; s23 += x2[j] * c3;
            s30 += x3[j] * c0; s31 += x3[j] * c1; s32 += x3[j] * c2; s33 += x3[j] * c3;
        }
        z[0] = s00; z[1] = s01; z[2] = s02; z[3] = s03; z += ldz;
        z[0] = s10; z[1] = s11; z[2] = s12; z[3] = s13; z += ldz;
        z[0] = s20; z[1] = s21; z[2] = s22; z[3] = s23; z += ldz;
        z[0] = s30; z[1] = s31; z[2] = s32; z[3] = s33;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x2(float* x, int ldx, float* b, int m, double* z, int ldz)
    {
        float* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        float* b0 = b, b1 = b + m;
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<float> a20 = default, a21 = default, a30 = default, a31 = default;
        int j = 0;
        for (; j + 16 <= m; j += 16)
        {
            var v0 = Vector512.Load(b0 + j);
            var v1 = Vector512.Load(b1 + j);
            var r = Vector512.Load(x0 + j);
            a00 = Vector512.FusedMultiplyAdd(r, v0, a00); a01 = Vector512.FusedMultiplyAdd(r, v1, a01);
            r = Vector512.Load(x1 + j);
            a10 = Vector512.FusedMultiplyAdd(r, v0, a10); a11 = Vector512.FusedMultiplyAdd(r, v1, a11);
            r = Vector512.Load(x2 + j);
            a20 = Vector512.FusedMultiplyAdd(r, v0, a20); a21 = Vector512.FusedMultiplyAdd(r, v1, a21);
            r = Vector512.Load(x3 + j);
            a30 = Vector512.FusedMultiplyAdd(r, v0, a30); a31 = Vector512.FusedMultiplyAdd(r, v1, a31);
        }
        float s00 = Vector512.Sum(a00), s01 = Vector512.Sum(a01), s10 = Vector512.Sum(a10), s11 = Vector512.Sum(a11);
        float s20 = Vector512.Sum(a20), s21 = Vector512.Sum(a21), s30 = Vector512.Sum(a30), s31 = Vector512.Sum(a31);
        for (; j < m; j++)
        {
            float c0 = b0[j], c1 = b1[j];
            s00 += x0[j] * c0; s01 += x0[j] * c1;
            s10 += x1[j] * c0; s11 += x1[j] * c1;
            s20 += x2[j] * c0; s21 += x2[j] * c1;
            s30 += x3[j] * c0; s31 += x3[j] * c1;
        }
        z[0] = s00; z[1] = s01; z += ldz;
        z[0] = s10; z[1] = s11; z += ldz;
        z[0] = s20; z[1] = s21; z += ldz;
        z[0] = s30; z[1] = s31;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy8x2(float* x, int ldx, int m, float* coef, int ldc, float* g)
    {
        float* x0 = x, x1 = x + ldx, x2 = x + 2L * ldx, x3 = x + 3L * ldx;
        float* x4 = x + 4L * ldx, x5 = x + 5L * ldx, x6 = x + 6L * ldx, x7 = x + 7L * ldx;
        float* g0 = g, g1 = g + m;
        var c00 = Vector512.Create(coef[0]); var c01 = Vector512.Create(coef[1]); coef += ldc;
        var c10 = Vector512.Create(coef[0]); var c11 = Vector512.Create(coef[1]); coef += ldc;
        var c20 = Vector512.Create(coef[0]); var c21 = Vector512.Create(coef[1]); coef += ldc;
        var c30 = Vector512.Create(coef[0]); var c31 = Vector512.Create(coef[1]); coef += ldc;
        var c40 = Vector512.Create(coef[0]); var c41 = Vector512.Create(coef[1]); coef += ldc;
        var c50 = Vector512.Create(coef[0]); var c51 = Vector512.Create(coef[1]); coef += ldc;
        var c60 = Vector512.Create(coef[0]); var c61 = Vector512.Create(coef[1]); coef += ldc;
        var c70 = Vector512.Create(coef[0]); var c71 = Vector512.Create(coef[1]);
        int j = 0;
        for (; j + 16 <= m; j += 16)
        {
            var s0 = Vector512.Load(g0 + j);
            var s1 = Vector512.Load(g1 + j);
            var r = Vector512.Load(x0 + j);
            s0 = Vector512.FusedMultiplyAdd(c00, r, s0); s1 = Vector512.FusedMultiplyAdd(c01, r, s1);
            r = Vector512.Load(x1 + j);
            s0 = Vector512.FusedMultiplyAdd(c10, r, s0); s1 = Vector512.FusedMultiplyAdd(c11, r, s1);
            r = Vector512.Load(x2 + j);
            s0 = Vector512.FusedMultiplyAdd(c20, r, s0); s1 = Vector512.FusedMultiplyAdd(c21, r, s1);
            r = Vector512.Load(x3 + j);
            s0 = Vector512.FusedMultiplyAdd(c30, r, s0); s1 = Vector512.FusedMultiplyAdd(c31, r, s1);
            r = Vector512.Load(x4 + j);
            s0 = Vector512.FusedMultiplyAdd(c40, r, s0); s1 = Vector512.FusedMultiplyAdd(c41, r, s1);
            r = Vector512.Load(x5 + j);
            s0 = Vector512.FusedMultiplyAdd(c50, r, s0); s1 = Vector512.FusedMultiplyAdd(c51, r, s1);
            r = Vector512.Load(x6 + j);
            s0 = Vector512.FusedMultiplyAdd(c60, r, s0); s1 = Vector512.FusedMultiplyAdd(c61, r, s1);
            r = Vector512.Load(x7 + j);
            s0 = Vector512.FusedMultiplyAdd(c70, r, s0); s1 = Vector512.FusedMultiplyAdd(c71, r, s1);
            Vector512.Store(s0, g0 + j);
            Vector512.Store(s1, g1 + j);
        }
        coef -= 7L * ldc;
        for (; j < m; j++)
        {
            float s0 = g0[j], s1 = g1[j];
            for (int r = 0; r < 8; r++)
            {
                float xv = x[(long)r * ldx + j];
                s0 += coef[(long)r * ldc] * xv;
                s1 += coef[(long)r * ldc + 1] * xv;
            }
            g0[j] = s0;
            g1[j] = s1;
        }
    }
}
