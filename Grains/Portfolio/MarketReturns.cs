using MathNet.Numerics.LinearAlgebra;
using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>
/// Per-bar simple returns of every marked symbol, aligned on bar close time, kept two ways: an exponentially
/// weighted covariance updated in O(n²) per bar (RiskMetrics, zero mean, decay λ) and the last bars' return
/// rows as historical scenarios.
/// </summary>
/// <remarks>
/// Marks of one close time form a row; the row is closed when the first mark of a later close time arrives.
/// A symbol without a mark in a row has a return of 0 for it (its price did not move as far as we know); a mark
/// older than the open row is only used for valuation.
/// </remarks>
public sealed class MarketReturns(double decay = 0.94, int scenariosKept = 500)
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<double> _previousClose = [];
    private readonly List<double> _rowClose = [];
    private readonly Queue<double[]> _scenarios = new();
    private double[][] _covariance = [];
    private DateTimeOffset? _rowTime;
    private DateTimeOffset? _previousRowTime;
    private int _openRowMarks;
    private int _previousRowMarks;

    /// <summary>Return rows folded into the covariance so far.</summary>
    public int Observations { get; private set; }

    /// <summary>The spacing of the last two rows (the bar length), once known.</summary>
    public TimeSpan? BarInterval { get; private set; }

    public IReadOnlyCollection<string> Symbols => _index.Keys;

    /// <summary>Symbols marked in the open row, and in the row before it.</summary>
    public (int Open, int Previous) RowMarks => (_openRowMarks, _previousRowMarks);

    /// <summary>Whether the open row's marks are all in: it holds as many symbols as the row before it.</summary>
    public bool OpenRowComplete => _openRowMarks >= _previousRowMarks;

    /// <summary>
    /// The latest close time whose marks are all in: the open row's once <see cref="OpenRowComplete"/>, else the row
    /// before it's; null before any mark.
    /// </summary>
    public DateTimeOffset? CompleteThrough => OpenRowComplete ? _rowTime : _previousRowTime;

    /// <summary>Takes a symbol's close; what it did to the rows (a late mark, older than the open row, does nothing).</summary>
    public RowChange Observe(string symbol, double price, DateTimeOffset closeTime)
    {
        var i = IndexOf(symbol);
        var change = RowChange.Updated;
        if (_rowTime is { } open && closeTime > open)
        {
            CloseRow();
            BarInterval = closeTime - open;
            (_previousRowTime, _previousRowMarks, _openRowMarks) = (open, _openRowMarks, 0);
            change = RowChange.Turned;
        }
        else if (_rowTime is { } current && closeTime < current)
        {
            return RowChange.None;
        }

        if (double.IsNaN(_rowClose[i]))
        {
            _openRowMarks++;
            change = change == RowChange.Turned ? change : RowChange.Added;
        }

        _rowTime = closeTime;
        _rowClose[i] = price;
        return change;
    }

    /// <summary>The bias-corrected EWMA covariance of per-bar returns of <paramref name="symbols"/> (unknown ones: 0).</summary>
    public Matrix<double> Covariance(IReadOnlyList<string> symbols)
    {
        var correction = Observations == 0 ? 0 : 1 / (1 - Math.Pow(decay, Observations));
        return Matrix<double>.Build.Dense(symbols.Count, symbols.Count, (a, b) =>
            _index.TryGetValue(symbols[a], out var i) && _index.TryGetValue(symbols[b], out var j) ? _covariance[i][j] * correction : 0);
    }

    /// <summary>The bias-corrected covariance of every symbol seen, as an immutable copy (O(n²)).</summary>
    public ReturnCovariance Snapshot()
    {
        var correction = Observations == 0 ? 0 : 1 / (1 - Math.Pow(decay, Observations));
        var n = _index.Count;
        var values = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                values[i * n + j] = _covariance[i][j] * correction;
            }
        }

        return new ReturnCovariance(new Dictionary<string, int>(_index, StringComparer.Ordinal), values, Observations, BarInterval);
    }

    /// <summary>The kept return rows (oldest first) for <paramref name="symbols"/>, for historical simulation.</summary>
    public IReadOnlyList<double[]> Scenarios(IReadOnlyList<string> symbols)
    {
        var columns = symbols.Select(s => _index.TryGetValue(s, out var i) ? i : -1).ToArray();
        return [.. _scenarios.Select(row => columns.Select(i => i >= 0 && i < row.Length ? row[i] : 0).ToArray())];
    }

    private int IndexOf(string symbol)
    {
        if (_index.TryGetValue(symbol, out var i))
        {
            return i;
        }

        i = _index.Count;
        _index[symbol] = i;
        _previousClose.Add(double.NaN);
        _rowClose.Add(double.NaN);
        var grown = new double[i + 1][];
        for (var row = 0; row <= i; row++)
        {
            grown[row] = new double[i + 1];
            if (row < i)
            {
                Array.Copy(_covariance[row], grown[row], i);
            }
        }

        _covariance = grown;
        return i;
    }

    private void CloseRow()
    {
        var n = _index.Count;
        var returns = new double[n];
        var any = false;
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(_rowClose[i]))
            {
                continue;
            }

            if (_previousClose[i] > 0)
            {
                returns[i] = _rowClose[i] / _previousClose[i] - 1;
                any = true;
            }

            _previousClose[i] = _rowClose[i];
            _rowClose[i] = double.NaN;
        }

        if (!any)
        {
            return;
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                _covariance[i][j] = decay * _covariance[i][j] + (1 - decay) * returns[i] * returns[j];
            }
        }

        Observations++;
        _scenarios.Enqueue(returns);
        if (_scenarios.Count > scenariosKept)
        {
            _scenarios.Dequeue();
        }
    }
}

/// <summary>What one mark did to the rows of <see cref="MarketReturns"/>.</summary>
public enum RowChange
{
    /// <summary>Older than the open row: used for valuation only.</summary>
    None,

    /// <summary>A new price for a symbol already marked in the open row.</summary>
    Updated,

    /// <summary>The symbol's first mark in the open row.</summary>
    Added,

    /// <summary>The first mark of a later close time: the open row closed, and this one opened.</summary>
    Turned,
}
