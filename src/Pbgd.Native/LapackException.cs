namespace Pbgd.Native;

/// <summary>A LAPACK routine reported failure through its <c>info</c> value.</summary>
public class LapackException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="routine">The LAPACK routine, e.g. <c>dgels</c>.</param>
    /// <param name="info">The routine's <c>info</c> value.</param>
    /// <param name="message">What it means.</param>
    public LapackException(string routine, int info, string message) : base($"{routine}: {message} (info = {info})")
    {
        Routine = routine;
        Info = info;
    }

    /// <summary>The LAPACK routine that failed.</summary>
    public string Routine { get; }

    /// <summary>The routine's <c>info</c> value.</summary>
    public int Info { get; }
}

/// <summary>LAPACK rejected an argument (negative <c>info</c>). Pbgd validates sizes first, so this signals a
/// value LAPACK checks itself (such as a NaN in an input when LAPACKE's NaN check is on).</summary>
public sealed class LapackArgumentException : LapackException
{
    /// <summary>Creates the exception.</summary>
    public LapackArgumentException(string routine, int info)
        : base(routine, info, $"argument {-info} had an illegal value") { }
}

/// <summary>The matrix is singular or rank-deficient where the routine needs full rank.</summary>
public sealed class MatrixSingularException : LapackException
{
    /// <summary>Creates the exception.</summary>
    public MatrixSingularException(string routine, int info, string detail) : base(routine, info, detail) { }
}

/// <summary>A Cholesky factorisation found the matrix not positive definite.</summary>
public sealed class MatrixNotPositiveDefiniteException : LapackException
{
    /// <summary>Creates the exception.</summary>
    public MatrixNotPositiveDefiniteException(string routine, int info)
        : base(routine, info, $"the leading minor of order {info} is not positive definite") { }
}

/// <summary>An iterative LAPACK algorithm (SVD, eigenvalues) did not converge.</summary>
public sealed class LapackConvergenceException : LapackException
{
    /// <summary>Creates the exception.</summary>
    public LapackConvergenceException(string routine, int info, string detail) : base(routine, info, detail) { }
}
