using TradingOrleans.Grains.Quant;

namespace TradingOrleans.Grains.Indicators;

/// <summary>Arithmetic mean of the last <see cref="Period"/> values.</summary>
public sealed class SimpleMovingAverage(int period)
{
    private readonly RollingStatistics _window = new(period);

    public int Period => _window.Window;

    public bool IsReady => _window.IsReady;

    /// <summary>The average once ready; NaN before.</summary>
    public double Current => IsReady ? _window.Mean : double.NaN;

    public void Update(double value) => _window.Add(value);
}
