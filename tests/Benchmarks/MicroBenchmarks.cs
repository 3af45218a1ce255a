using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Portfolio;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Quant;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Benchmarks;

/// <summary>Real BTCUSDT bars from the repository's data, for the benchmarks to feed.</summary>
internal static class BenchmarkData
{
    public static List<Candle> Bars(string symbol, int count)
    {
        var folder = PathResolver.FindExisting("data/binance-usdt-2021-5m") ?? throw new DirectoryNotFoundException("data/binance-usdt-2021-5m");
        return [.. CandleCsvReader.Read(Path.Combine(folder, $"{symbol}.csv.gz"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(count)];
    }
}

/// <summary>One bar through 32 warmed-up single-symbol strategies (16 SMA crossovers, 16 RSI reversions).</summary>
[MemoryDiagnoser]
public class StrategyBenchmarks
{
    private List<IStrategy> _strategies = [];
    private List<Candle> _bars = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _bars = BenchmarkData.Bars("BTCUSDT", 20_000);
        _strategies =
        [
            .. Enumerable.Range(0, 16).Select(i => StrategyCatalog.CreateSingleSymbol(
                new StrategyConfig($"sma-{i}", StrategyCatalog.SmaCrossover, ["BTCUSDT"], new Dictionary<string, double> { ["fast"] = 5 + i, ["slow"] = 30 + 4 * i }), "BTCUSDT")),
            .. Enumerable.Range(0, 16).Select(i => StrategyCatalog.CreateSingleSymbol(
                new StrategyConfig($"rsi-{i}", StrategyCatalog.RsiMeanReversion, ["BTCUSDT"], new Dictionary<string, double> { ["period"] = 7 + i }), "BTCUSDT")),
        ];
        foreach (var bar in _bars.Take(1_000))
        {
            _strategies.ForEach(s => s.OnCandle(bar));
        }

        _next = 1_000;
    }

    [Benchmark(Description = "one bar through 32 strategies")]
    public int OneBarThrough32Strategies()
    {
        var bar = _bars[_next];
        _next = _next + 1 < _bars.Count ? _next + 1 : 1_000;
        var signals = 0;
        foreach (var strategy in _strategies)
        {
            signals += strategy.OnCandle(bar) is null ? 0 : 1;
        }

        return signals;
    }
}

/// <summary>Risk sizing, VaR and the pair model.</summary>
[MemoryDiagnoser]
public class RiskBenchmarks
{
    private static readonly RiskOptions Model = new();
    private static readonly RiskLimits Limits = new()
    {
        MaxPositionNotional = 25_000m, MaxOrderNotional = 10_000m, PositionSizeFraction = 0.2m, MinOrderNotional = 10m, AllowShortSelling = true,
        DailyLossFraction = 0m, MaxDrawdownFraction = 0m, MaxGrossExposure = 0m, MaxNetExposure = 0m, MaxCorrelatedExposure = 0m,
        MaxValueAtRiskFraction = 0m, MaxOrdersPerMinute = 0, MaxOpenOrders = 0,
    };
    private readonly CombinedSignal _signal = new("BTCUSDT", 1, SignalDirection.Long, 0.5,
        [new SignalContribution("sma", SignalDirection.Long, 1, 1)], 30_000m, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
    private readonly SymbolExposure _exposure = new("BTCUSDT", 0.1m, 100_000m, 3_000m);
    private Matrix<double> _covariance = null!;
    private Vector<double> _means = null!;
    private double[] _positions = [];
    private Matrix<double> _wideCovariance = null!;
    private Vector<double> _wideMeans = null!;
    private double[] _widePositions = [];
    private List<double[]> _scenarios = [];
    private PairSpreadModel _pair = null!;
    private List<(double A, double B)> _pairPrices = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new[] { "BTCUSDT", "ETHUSDT", "LTCUSDT", "BNBUSDT" };
        var closes = symbols.Select(s => BenchmarkData.Bars(s, 2_001).Select(c => (double)c.Close).ToArray()).ToArray();
        _scenarios = [.. Enumerable.Range(1, 2_000).Select(t => closes.Select(c => c[t] / c[t - 1] - 1).ToArray())];
        var returns = Matrix<double>.Build.DenseOfRowArrays(_scenarios);
        _means = returns.ColumnSums() / returns.RowCount;
        var centred = returns - Matrix<double>.Build.Dense(returns.RowCount, returns.ColumnCount, (_, j) => _means[j]);
        _covariance = centred.TransposeThisAndMultiply(centred) / (returns.RowCount - 1);
        _positions = [20_000, -15_000, 5_000, 10_000];
        // 50 assets: a one-factor covariance (every pair correlated 0.3 through the market) with volatilities 1–3 %.
        var volatilities = Enumerable.Range(0, 50).Select(i => 0.01 + 0.02 * i / 49).ToArray();
        _wideCovariance = Matrix<double>.Build.Dense(50, 50, (i, j) => volatilities[i] * volatilities[j] * (i == j ? 1 : 0.3));
        _wideMeans = Vector<double>.Build.Dense(50);
        _widePositions = [.. Enumerable.Range(0, 50).Select(i => (i % 3 == 0 ? -1.0 : 1.0) * (1_000 + 100 * i))];
        _pairPrices = [.. closes[1].Zip(closes[0])];
        _pair = new PairSpreadModel(window: 400);
        foreach (var (a, b) in _pairPrices.Take(400))
        {
            _pair.Update(a, b, DateTimeOffset.UnixEpoch);
        }
    }

    [Benchmark(Description = "risk engine decision")]
    public RiskDecision RiskDecision() => RiskEngine.Decide(_signal, new RiskInputs(
        new PortfolioRiskView(_exposure, ["BTCUSDT"], [_exposure.PositionQuantity], [30_000m], [0.0], 0, null, [0.0], 0),
        Limits, Model, new InstrumentRules("BTCUSDT", 0.00001m), TradingState.Active, 0, 0, DateTimeOffset.UnixEpoch));

    [Benchmark(Description = "VaR parametric, 4 assets")]
    public RiskEstimate ParametricVaR() => ValueAtRisk.Parametric(_covariance, _means, _positions, 0.99);

    [Benchmark(Description = "VaR historical, 2000 scenarios × 4 assets")]
    public RiskEstimate HistoricalVaR() => ValueAtRisk.Historical(_scenarios, _positions, 0.99);

    [Benchmark(Description = "VaR Monte Carlo, 10000 paths × 4 assets")]
    public RiskEstimate MonteCarloVaR() => ValueAtRisk.MonteCarlo(_covariance, _means, _positions, 0.99, paths: 10_000);

    /// <summary>What <c>GET /risk</c> computes at most once a second: 20,000 paths over a book holding 50 symbols.</summary>
    [Benchmark(Description = "VaR Monte Carlo, 20000 paths × 50 assets")]
    public RiskEstimate MonteCarloVaRWideBook() => ValueAtRisk.MonteCarlo(_wideCovariance, _wideMeans, _widePositions, 0.99, paths: 20_000);

    [Benchmark(Description = "pair spread update, 400-bar window")]
    public PairSpreadUpdate? PairUpdate()
    {
        var (a, b) = _pairPrices[400 + _next];
        _next = (_next + 1) % (_pairPrices.Count - 400);
        return _pair.Update(a, b, DateTimeOffset.UnixEpoch);
    }
}

/// <summary>Serialization of the hot contracts: Orleans' binary (grain calls, storage) and the Kafka JSON records.</summary>
[MemoryDiagnoser]
public class SerializationBenchmarks
{
    private readonly Candle _candle = new("BTCUSDT", TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch, 28923.63m, 29017.5m, 28913.12m, 28975.65m, 182.889878m, DateTimeOffset.UnixEpoch);
    private Serializer _serializer = null!;
    private ParentOrder _order = null!;
    private byte[] _kafkaValue = [];
    private Confluent.Kafka.Message<string, byte[]> _kafkaMessage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var fill = new Fill("paper-x-1", "x-1", "BTCUSDT", OrderSide.Buy, 0.4m, 29000m, 11.6m, DateTimeOffset.UnixEpoch);
        _order = new ParentOrder("x", "BTCUSDT", OrderSide.Buy, 0.4m, OrderStatus.Filled, 0.4m, 29000m, 11.6m,
            [new ChildOrder("x-1", "paper-1", 0.4m, OrderStatus.Filled, 0.4m, DateTimeOffset.UnixEpoch, "paper")], [fill],
            "Long vote of sma=Long", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        _kafkaMessage = MarketDataKafkaCodec.Encode("market", _candle);
        _kafkaValue = _kafkaMessage.Value;
    }

    [Benchmark(Description = "Orleans round trip: candle")]
    public Candle OrleansCandle() => _serializer.Deserialize<Candle>(_serializer.SerializeToArray(_candle))!;

    [Benchmark(Description = "Orleans round trip: parent order with a fill")]
    public ParentOrder OrleansOrder() => _serializer.Deserialize<ParentOrder>(_serializer.SerializeToArray(_order))!;

    [Benchmark(Description = "Kafka record: encode candle")]
    public int KafkaEncode() => MarketDataKafkaCodec.Encode("market", _candle).Value.Length;

    [Benchmark(Description = "Kafka record: decode candle")]
    public object KafkaDecode() => MarketDataKafkaCodec.TryDecode(_kafkaMessage, out _, out var record, out _) ? record : _kafkaValue;
}
