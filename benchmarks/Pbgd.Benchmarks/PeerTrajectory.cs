using System.Globalization;

namespace Pbgd.Benchmarks;

public static partial class PeerStudy
{
    /// <summary>A trajectory.csv (Pbgd's or a peer's: same column names).</summary>
    internal sealed class Trajectory
    {
        private readonly Dictionary<string, int> _columns;

        private Trajectory(Dictionary<string, int> columns, List<double[]> rows) => (_columns, Rows) = (columns, rows);

        public List<double[]> Rows { get; }

        public static Trajectory Read(string path)
        {
            var lines = File.ReadAllLines(path);
            var header = lines[0].Split(',');
            var columns = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
            var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(x =>
                double.TryParse(x, NumberStyles.Float, Inv, out double d) ? d : double.NaN).ToArray()).ToList();
            return new Trajectory(columns, rows);
        }

        public bool Has(string column) => _columns.ContainsKey(column);

        public double Get(int row, string column) => Rows[row][_columns[column]];

        public double Last(string column) => Get(Rows.Count - 1, column);

        public IEnumerable<double> Column(string column) => Rows.Select(r => r[_columns[column]]);

        /// <summary>ms per iteration over each logged interval, the first (warm-up, JIT) left out.</summary>
        public List<double> IterationMs()
        {
            var ms = new List<double>();
            for (int i = 2; i < Rows.Count; i++)
            {
                double dk = Get(i, "iteration") - Get(i - 1, "iteration");
                if (dk > 0) ms.Add(1e3 * (Get(i, "seconds") - Get(i - 1, "seconds")) / dk);
            }
            return ms;
        }

        /// <summary>The first row meeting a condition, or −1.</summary>
        public int First(Func<int, bool> condition)
        {
            for (int i = 0; i < Rows.Count; i++) if (condition(i)) return i;
            return -1;
        }

        /// <summary>The row of an iteration, or −1.</summary>
        public int RowOf(double iteration) => First(i => Get(i, "iteration") == iteration);
    }
}
