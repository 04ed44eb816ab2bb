using Pbgd.Validation;

namespace Pbgd.Data;

/// <summary>Feature scaling applied before a run.</summary>
public enum FeatureScaling
{
    /// <summary>None.</summary>
    None,
    /// <summary>Divide by 255 (image pixels).</summary>
    Divide255,
    /// <summary>Standardise with the training set's mean and deviation.</summary>
    Standardize,
}

/// <summary>How <see cref="DatasetPreparation"/> turns loaded samples into a <see cref="PreparedDataset"/>.</summary>
/// <param name="Train">Training samples N.</param>
/// <param name="Validation">Validation samples N' (split off the source unless a validation file is given).</param>
/// <param name="Test">Test samples (split off the source unless a test file is given).</param>
/// <param name="Corruption">Fraction of training labels redrawn uniformly, in [0, 1].</param>
/// <param name="Scaling">Feature scaling, fitted on the training split.</param>
/// <param name="Seed">Seed of the split permutation and the corruption.</param>
/// <param name="BiasColumn">Append a constant-one feature (for a model without its own intercept).</param>
public sealed record PreparationSpec(int Train, int Validation, int Test, double Corruption, FeatureScaling Scaling, int Seed, bool BiasColumn)
{
    /// <summary>Checks the sizes, the corruption and the scaling, naming the property at fault.</summary>
    /// <exception cref="InvalidValueException">A value is out of range.</exception>
    public void Validate()
    {
        if (Train < 1) throw new InvalidValueException(nameof(Train), $"the training set needs at least 1 sample, not {Train}.");
        if (Validation < 1) throw new InvalidValueException(nameof(Validation), $"the validation set needs at least 1 sample, not {Validation}.");
        if (Test < 0) throw new InvalidValueException(nameof(Test), $"the test set size must be ≥ 0, not {Test}.");
        if (!(Corruption >= 0 && Corruption <= 1))
            throw InvalidValueException.Invariant(nameof(Corruption), $"the corrupted fraction of training labels must lie in [0, 1], not {Corruption}.");
        if (!Enum.IsDefined(Scaling)) throw new InvalidValueException(nameof(Scaling), $"{Scaling} is not a feature scaling.");
    }
}
