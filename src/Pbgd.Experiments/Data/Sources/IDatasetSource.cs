namespace Pbgd.Data;

/// <summary>What every data set source tells about itself: the scheme it answers to, its syntax and a one-line
/// description (for help texts and for the error that lists the valid choices), and whether a spec's arguments
/// have the right form.</summary>
public interface IDatasetSource
{
    /// <summary>The scheme, the spec's text before the colon (<c>libsvm</c>).</summary>
    string Scheme { get; }

    /// <summary>The spec's syntax with placeholders (<c>libsvm:TRAIN[,TEST]</c>); the scheme alone when the source
    /// takes no arguments.</summary>
    string Syntax { get; }

    /// <summary>One line saying what the source loads.</summary>
    string Description { get; }

    /// <summary>What is wrong with a spec's arguments, in words ("needs one or two files"), or null when their form
    /// is right. Only the form: whether the files exist is found out by loading.</summary>
    /// <param name="spec">A spec whose scheme is <see cref="Scheme"/>.</param>
    string? ArgumentProblem(DatasetSpec spec);
}

/// <summary>A source that loads a data set of one kind: one implementation per scheme, registered in
/// <see cref="DatasetRegistry"/>.</summary>
/// <typeparam name="TRequest">What the caller adds to the spec (sizes, seed, reading options, …).</typeparam>
/// <typeparam name="TResult">What the source delivers.</typeparam>
public interface IDatasetSource<in TRequest, out TResult> : IDatasetSource
{
    /// <summary>Loads the data set a spec names.</summary>
    /// <param name="spec">A spec whose scheme is <see cref="IDatasetSource.Scheme"/> and whose arguments passed
    /// <see cref="IDatasetSource.ArgumentProblem"/>.</param>
    /// <param name="request">The caller's side of the request.</param>
    TResult Load(DatasetSpec spec, TRequest request);
}
