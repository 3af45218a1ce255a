using System.Diagnostics.Metrics;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>
/// A backtest silo's meters, named <c>{name}.Backtest</c>: a backtest running beside live trading in one process must
/// not add its orders, fills and latencies to the live instruments the Prometheus exporter publishes by name.
/// </summary>
public sealed class BacktestMeterFactory : IMeterFactory
{
    public const string Suffix = ".Backtest";
    private readonly List<Meter> _meters = [];
    private readonly Lock _gate = new();

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name + Suffix) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_gate)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
