using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Tests.Support;

/// <summary>A real <see cref="TradingMetrics"/> on its own meter factory, for tests of plain classes.</summary>
public static class TestMetrics
{
    public static TradingMetrics Create() => CreateWithReadings().Metrics;

    /// <summary>A real <see cref="TradingMetrics"/> and the readings of its instruments.</summary>
    public static (TradingMetrics Metrics, MetricReadings Readings) CreateWithReadings()
    {
        var factory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var readings = new MetricReadings(factory);
        return (new TradingMetrics(factory), readings);
    }
}

/// <summary>One measurement: its value and its tags.</summary>
public sealed record MetricReading(double Value, IReadOnlyDictionary<string, string> Tags);

/// <summary>What the instruments of one meter factory (a test's, or a silo's) report: every value they record, and the observable gauges when asked.</summary>
public sealed class MetricReadings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, MetricReading Reading)> _readings = [];

    public MetricReadings(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == scope)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every value an instrument recorded since these readings started.</summary>
    public IReadOnlyList<MetricReading> Recorded(string instrument)
    {
        lock (_readings)
        {
            return [.. _readings.Where(r => r.Instrument == instrument).Select(r => r.Reading)];
        }
    }

    /// <summary>What an observable gauge reports now.</summary>
    public IReadOnlyList<MetricReading> Observe(string instrument)
    {
        int before;
        lock (_readings)
        {
            before = _readings.Count;
        }

        _listener.RecordObservableInstruments();
        lock (_readings)
        {
            return [.. _readings.Skip(before).Where(r => r.Instrument == instrument).Select(r => r.Reading)];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tagged = new Dictionary<string, string>();
        foreach (var tag in tags)
        {
            tagged[tag.Key] = tag.Value?.ToString() ?? "";
        }

        lock (_readings)
        {
            _readings.Add((instrument.Name, new MetricReading(value, tagged)));
        }
    }
}
