using MathNet.Numerics.LinearAlgebra;

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

    /// <summary>Return rows folded into the covariance so far.</summary>
    public int Observations { get; private set; }

    /// <summary>The spacing of the last two rows (the bar length), once known.</summary>
    public TimeSpan? BarInterval { get; private set; }

    public IReadOnlyCollection<string> Symbols => _index.Keys;

    public void Observe(string symbol, double price, DateTimeOffset closeTime)
    {
        var i = IndexOf(symbol);
        if (_rowTime is { } open && closeTime > open)
        {
            CloseRow();
            BarInterval = closeTime - open;
        }
        else if (_rowTime is { } current && closeTime < current)
        {
            return;
        }

        _rowTime = closeTime;
        _rowClose[i] = price;
    }

    /// <summary>The bias-corrected EWMA covariance of per-bar returns of <paramref name="symbols"/> (unknown ones: 0).</summary>
    public Matrix<double> Covariance(IReadOnlyList<string> symbols)
    {
        var correction = Observations == 0 ? 0 : 1 / (1 - Math.Pow(decay, Observations));
        return Matrix<double>.Build.Dense(symbols.Count, symbols.Count, (a, b) =>
            _index.TryGetValue(symbols[a], out var i) && _index.TryGetValue(symbols[b], out var j) ? _covariance[i][j] * correction : 0);
    }

    /// <summary>
    /// The covariance terms a trade in <paramref name="symbols"/>[<paramref name="traded"/>] needs, in O(n²) array
    /// reads with no allocation of an n × n matrix: Σ(i, traded) and Σ(i, i) per symbol, and w'Σw of <paramref name="values"/>.
    /// </summary>
    public (double[] WithTraded, double[] Variances, double PortfolioVariance) Terms(IReadOnlyList<string> symbols, IReadOnlyList<double> values, int traded)
    {
        var correction = Observations == 0 ? 0 : 1 / (1 - Math.Pow(decay, Observations));
        var n = symbols.Count;
        var index = new int[n];
        for (var i = 0; i < n; i++)
        {
            index[i] = _index.TryGetValue(symbols[i], out var k) ? k : -1;
        }

        var withTraded = new double[n];
        var variances = new double[n];
        var portfolio = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (index[i] < 0)
            {
                continue;
            }

            var row = _covariance[index[i]];
            variances[i] = row[index[i]] * correction;
            withTraded[i] = traded >= 0 && index[traded] >= 0 ? row[index[traded]] * correction : 0;
            var rowSum = 0.0;
            for (var j = 0; j < n; j++)
            {
                rowSum += index[j] >= 0 ? row[index[j]] * values[j] : 0;
            }

            portfolio += values[i] * rowSum * correction;
        }

        return (withTraded, variances, portfolio);
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
