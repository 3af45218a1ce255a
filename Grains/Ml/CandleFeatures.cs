using TradingOrleans.Grains.Indicators;
using TradingOrleans.Grains.Interfaces.MarketData;

namespace TradingOrleans.Grains.Ml;

/// <summary>
/// The model features of one symbol, updated bar by bar (O(1) per bar, like the indicators they use). Once
/// <see cref="IsReady"/>, <see cref="Current"/> holds, in the order of <see cref="Names"/>:
/// <list type="bullet">
/// <item><c>return_1</c>: ln(C / C₋₁).</item>
/// <item><c>return_5</c>: ln(C / C₋₅).</item>
/// <item><c>volatility_20</c>: population standard deviation of the last 20 one-bar log returns.</item>
/// <item><c>volume_z_20</c>: z-score of ln(1 + volume) against its last 20 values.</item>
/// <item><c>rsi_14</c>: Wilder RSI(14) / 100 − 0.5, in [−0.5, 0.5].</item>
/// <item><c>sma_gap_20</c>: C / SMA(20) − 1.</item>
/// <item><c>range</c>: (H − L) / C.</item>
/// </list>
/// The values are raw: scale them with a <see cref="FeatureScaler"/> fitted on training data only.
/// </summary>
public sealed class CandleFeatures
{
    public static IReadOnlyList<string> Names { get; } = ["return_1", "return_5", "volatility_20", "volume_z_20", "rsi_14", "sma_gap_20", "range"];

    private readonly RollingWindow _closes = new(6);
    private readonly BollingerBands _returns = new(20, 1);
    private readonly BollingerBands _volume = new(20, 1);
    private readonly RelativeStrengthIndex _rsi = new(14);
    private readonly SimpleMovingAverage _sma = new(20);

    public double[] Current { get; } = new double[Names.Count];

    public bool IsReady => _returns.IsReady && _volume.IsReady && _rsi.IsReady && _sma.IsReady && _closes.IsFull;

    public void Update(Candle candle)
    {
        var (close, high, low) = ((double)candle.Close, (double)candle.High, (double)candle.Low);
        if (_closes.Count > 0)
        {
            _returns.Update(Math.Log(close / _closes[0]));
        }

        _closes.Add(close);
        var logVolume = Math.Log(1 + (double)candle.Volume);
        _volume.Update(logVolume);
        _rsi.Update(close);
        _sma.Update(close);
        if (!IsReady)
        {
            return;
        }

        Current[0] = Math.Log(close / _closes[1]);
        Current[1] = Math.Log(close / _closes[5]);
        Current[2] = _returns.Deviation;
        Current[3] = _volume.Deviation > 0 ? (logVolume - _volume.Middle) / _volume.Deviation : 0;
        Current[4] = _rsi.Current / 100 - 0.5;
        Current[5] = close / _sma.Current - 1;
        Current[6] = close > 0 ? (high - low) / close : 0;
    }
}
