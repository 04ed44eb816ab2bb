using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>Features and integer class labels as loaded from a file.</summary>
/// <param name="Features">N×m, row-major.</param>
/// <param name="Labels">Labels in [0, ClassCount).</param>
/// <param name="ClassCount">Number of classes (largest label + 1, or as declared).</param>
/// <param name="Source">Where it came from.</param>
public sealed record LabeledData(Matrix Features, int[] Labels, int ClassCount, string Source)
{
    /// <summary>Checks that labels and rows agree and lie in range.</summary>
    internal LabeledData Validated()
    {
        if (Labels.Length != Features.Rows)
            throw new DataFormatException(Source, "labels", $"{Features.Rows} feature rows but {Labels.Length} labels.");
        for (int i = 0; i < Labels.Length; i++)
            if ((uint)Labels[i] >= (uint)ClassCount)
                throw new DataFormatException(Source, $"sample {i}", $"label {Labels[i]} is outside [0, {ClassCount}).");
        return this;
    }
}
