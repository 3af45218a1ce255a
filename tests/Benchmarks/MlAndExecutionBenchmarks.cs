using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Benchmarks;

/// <summary>
/// Serving trained models of the training command's default shapes: the LSTM (24 bars × 7 features, 16 hidden,
/// 5 outputs) and the DQN (8 → 32 → 32 → 3) alone, and one bar through their strategies (features, scaling,
/// inference, signal).
/// </summary>
[MemoryDiagnoser]
public class MlBenchmarks
{
    private LstmForecaster _model = null!;
    private LstmForecaster.ScaledRows _scaled = null!;
    private IStrategy _strategy = null!;
    private IStrategy _dqnStrategy = null!;
    private GradientBoostedClassifier _trees = null!;
    private double[] _features = [];
    private DqnAgent _agent = null!;
    private double[] _state = [];
    private List<Candle> _bars = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _bars = BenchmarkData.Bars("BTCUSDT", 10_000);
        var series = CandleSeries.From(_bars);
        var options = new LstmOptions(MaxEpochs: 1);
        (_model, var history) = LstmForecaster.Train(series, 0, 3_000, options);
        _scaled = _model.ScaleRows(series, series.FirstReady, series.Count);

        var store = new ModelStore(Path.Combine(Path.GetTempPath(), $"bench-models-{Guid.NewGuid():N}"));
        store.Save(new ModelFile("lstm", "BTCUSDT", 0, DateTimeOffset.UtcNow, _model.Scaler,
            options.ToHyperParameters(),
            series.Times[0], series.Times[2_999], null, history, _model.TargetScale, _model.Network.Parameters));
        _strategy = StrategyCatalog.CreateSingleSymbol(new StrategyConfig("lstm", "lstm", ["BTCUSDT"], new Dictionary<string, double>()), "BTCUSDT", store);
        // A DQN of the training command's shape (8 → 32 → 32 → 3); one short episode is enough to time it.
        var dqn = new DqnOptions(WarmupSteps: 200);
        _agent = DqnAgent.Create(dqn);
        var scaler = FeatureScaler.Fit(CandleFeatures.Names, [.. Enumerable.Range(series.FirstReady, 2_000).Select(t => series.Rows[t]!)]);
        var episodes = _agent.Train(new TradingEnvironment(series, scaler, 0, 2_000, 10, 100), new TradingEnvironment(series, scaler, 2_000, 3_000, 10, 100), 1);
        store.Save(new ModelFile("dqn", "BTCUSDT", 0, DateTimeOffset.UtcNow, scaler,
            dqn.ToHyperParameters(),
            series.Times[0], series.Times[2_999], null, [], 0, _agent.Online.Parameters, episodes));
        _dqnStrategy = StrategyCatalog.CreateSingleSymbol(new StrategyConfig("dqn", "dqn", ["BTCUSDT"], new Dictionary<string, double>()), "BTCUSDT", store);
        _state = [.. scaler.Transform(series.Rows[5_000]!), 1];
        _trees = GradientBoostedClassifier.Train(series, 0, 3_000, new GradientBoostedOptions());
        _features = series.Rows[5_000]!;
        foreach (var bar in _bars.Take(3_000))
        {
            _strategy.OnCandle(bar);
            _dqnStrategy.OnCandle(bar);
        }

        _next = 3_000;
    }

    [Benchmark(Description = "LSTM forecast, 24 × 7 inputs, 16 hidden")]
    public double[] Forecast() => _model.Forecast(_scaled.Window(5_000));

    [Benchmark(Description = "one bar through the lstm strategy")]
    public Signal? OneBar() => _strategy.OnCandle(NextBar());

    [Benchmark(Description = "DQN greedy action, 8 → 32 → 32 → 3")]
    public int DqnAct() => _agent.Act(_state).Action;

    [Benchmark(Description = "ML.NET FastTree probability, 100 trees × 20 leaves")]
    public double TreesProbability() => _trees.Probability(_features);

    [Benchmark(Description = "one bar through the dqn strategy")]
    public Signal? OneBarDqn() => _dqnStrategy.OnCandle(NextBar());

    private Candle NextBar()
    {
        var bar = _bars[_next];
        _next = _next + 1 < _bars.Count ? _next + 1 : 3_000;
        return bar;
    }
}

/// <summary>What execution decides per child: a TWAP and a VWAP slice, and a routing decision across three venues.</summary>
[MemoryDiagnoser]
public class ExecutionBenchmarks
{
    private IExecutionAlgorithm _twap = null!;
    private IExecutionAlgorithm _vwap = null!;
    private ParentProgress _progress = null!;
    private VenueSnapshot[] _venues = [];

    [GlobalSetup]
    public void Setup()
    {
        var algorithms = new ExecutionAlgorithms(Options.Create(new ExecutionOptions()));
        var start = new DateTimeOffset(2021, 3, 1, 12, 0, 0, TimeSpan.Zero);
        _twap = algorithms.Build(new ExecutionInstruction("twap", TimeSpan.FromMinutes(30), 10, 0.2), "BTCUSDT", OrderSide.Buy, 7);
        _vwap = algorithms.Build(new ExecutionInstruction("vwap", TimeSpan.FromHours(2), 1, 0, 0.1), "BTCUSDT", OrderSide.Buy, 7);
        var bar = BenchmarkData.Bars("BTCUSDT", 1)[0];
        _progress = new ParentProgress(2m, 0.4m, start, start.AddMinutes(17), 50_000m, bar, new InstrumentRules("BTCUSDT", 0.001m));
        var clock = TimeProvider.System;
        IBroker[] brokers =
        [
            new PaperBroker(new PaperVenueOptions { Name = "a", FeeBps = 10, SlippageBps = 2, MaxOrderQuantity = 0.5m }, clock),
            new PaperBroker(new PaperVenueOptions { Name = "b", FeeBps = 7.5m, SlippageBps = 3 }, clock),
            new PaperBroker(new PaperVenueOptions { Name = "c", FeeBps = 5, SlippageBps = 1, MaxOrderQuantity = 0.2m, MinNotional = 10 }, clock),
        ];
        _venues = [.. brokers.Select(VenueSnapshot.Of)];
    }

    [Benchmark(Description = "TWAP slice decision")]
    public Slice Twap() => _twap.Next(_progress);

    [Benchmark(Description = "VWAP slice decision (learned profile, participation cap)")]
    public Slice Vwap() => _vwap.Next(_progress);

    [Benchmark(Description = "route 1.2 BTC across 3 venues")]
    public decimal Route() => SmartOrderRouter.Route(OrderSide.Buy, 1.2m, 50_000m, _venues, new InstrumentRules("BTCUSDT", 0.001m)).Unrouted;
}
