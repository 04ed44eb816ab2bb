namespace Pbgd.Data;

/// <summary>
/// Reads text lines into one reusable buffer, refusing lines longer than a limit. StreamReader.ReadLine would
/// build a string of any length, so a multi-gigabyte file without a newline would end in OutOfMemoryException;
/// here it ends in a <see cref="DataFormatException"/> naming the line, and ordinary lines allocate nothing.
/// </summary>
internal sealed class BoundedLineReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _path;
    private readonly int _maxLength;
    private char[] _buffer = new char[1 << 14];
    private int _start, _end;
    private bool _eof;

    public BoundedLineReader(string path, int maxLength)
    {
        _path = path;
        _maxLength = maxLength;
        _reader = InputFiles.OpenText(path);
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its terminator (\n, \r\n or \r), valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        int scanned = 0; // characters of the pending text already searched for a terminator
        while (true)
        {
            // Recomputed on every pass: Fill may move or replace the buffer.
            var pending = _buffer.AsSpan(_start, _end - _start);
            int nl = pending[scanned..].IndexOfAny('\n', '\r');
            if (nl >= 0)
            {
                nl += scanned;
                bool cr = pending[nl] == '\r';
                // A \r at the end of the buffer may be the first half of \r\n: read on before deciding.
                if (cr && nl + 1 == pending.Length && !_eof) { scanned = nl; Fill(); continue; }
                int skip = cr && nl + 1 < pending.Length && pending[nl + 1] == '\n' ? 2 : 1;
                return Emit(nl, skip, out line);
            }
            scanned = pending.Length;
            if (_eof)
            {
                if (pending.IsEmpty) { line = default; return false; }
                return Emit(pending.Length, 0, out line);
            }
            Fill();
        }
    }

    private bool Emit(int length, int skip, out ReadOnlySpan<char> line)
    {
        LineNumber++;
        if (length > _maxLength) throw TooLong();
        line = _buffer.AsSpan(_start, length);
        _start += length + skip;
        return true;
    }

    // Makes room (compacting, then doubling up to the limit) and reads more; sets _eof at the end of the file.
    private void Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length > _maxLength) { LineNumber++; throw TooLong(); }
            Array.Resize(ref _buffer, (int)Math.Min(Math.Min((long)_buffer.Length * 2, (long)_maxLength + 2), Array.MaxLength));
        }
        int n = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    private DataFormatException TooLong() =>
        DataFormatException.AtLine(_path, LineNumber, $"line longer than {_maxLength} characters (see LoadLimits.MaxLineLength).");

    public void Dispose() => _reader.Dispose();
}
