using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Tests.Support;

/// <summary>A real <see cref="TradingMetrics"/> on its own meter factory, for tests of plain classes.</summary>
public static class TestMetrics
{
    public static TradingMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
