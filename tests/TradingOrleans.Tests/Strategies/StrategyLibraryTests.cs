using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;
using TradingOrleans.Grains.Interfaces.Strategies;
using TradingOrleans.Grains.Strategies;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Strategies;

/// <summary>Every registered strategy type: its parameter schema, its rules, and a run over real Binance bars.</summary>
public sealed class StrategyLibraryTests
{
    private static readonly Lazy<IReadOnlyList<Candle>> RealBars = new(() =>
        [.. CandleCsvReader.Read(RepoData.File("BTCUSDT"), TimeSpan.FromMinutes(5), (_, _) => { }).Take(8_000)]);

    public static TheoryData<string> SingleSymbolTypes() =>
        [.. StrategyCatalog.Types.Values.Where(t => t.Definition is { IsPair: false, Model: null }).Select(t => t.Definition.Type)];

    [Fact]
    public void The_library_has_at_least_thirty_single_symbol_strategies_with_unique_names()
    {
        Assert.True(SingleSymbolTypes().Count >= 30, $"{SingleSymbolTypes().Count} single-symbol types");
        Assert.Equal(StrategyLibrary.Types.Count, StrategyCatalog.Types.Count);
    }

    [Fact]
    public void Every_parameter_has_a_description_and_a_default_inside_its_range()
    {
        Assert.All(StrategyCatalog.Definitions.Values.SelectMany(d => d.Parameters.Select(p => (d.Type, Parameter: p))), entry =>
        {
            var p = entry.Parameter;
            Assert.True(p.Min <= p.Default && p.Default <= p.Max, $"{entry.Type}.{p.Name}: {p.Default} outside [{p.Min}, {p.Max}]");
            Assert.True(!p.IsInteger || p.Default == Math.Floor(p.Default), $"{entry.Type}.{p.Name} default is not whole");
            Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{entry.Type}.{p.Name} has no description");
        });
    }

    [Fact]
    public void Every_type_with_its_defaults_is_a_valid_config()
    {
        Assert.All(StrategyCatalog.Definitions.Values, definition =>
        {
            string[] symbols = definition.IsPair ? ["ETHUSDT", "BTCUSDT"] : ["BTCUSDT"];
            Assert.Empty(StrategyCatalog.Validate(new StrategyConfig("x", definition.Type, symbols, new Dictionary<string, double>())));
        });
    }

    [Theory]
    [InlineData("ema-crossover", "fast", "fast=30,slow=20")]
    [InlineData("hma-crossover", "fast", "fast=40,slow=36")]
    [InlineData("triple-ma", "middle", "middle=70")]
    [InlineData("macd", "fast", "fast=30")]
    [InlineData("donchian-breakout", "exit", "exit=25")]
    [InlineData("parabolic-sar", "step", "step=0.3,maximum=0.2")]
    [InlineData("ichimoku", "conversion", "conversion=30")]
    [InlineData("zscore-reversion", "exit", "entry=1,exit=1.5")]
    [InlineData("kama-trend", "fast", "fast=40")]
    [InlineData("awesome-oscillator", "fast", "fast=40")]
    [InlineData("rsi-mean-reversion", "oversold", "oversold=55")]
    [InlineData("pairs-johansen", "window", "window=60,lagDifferences=3")]
    public void Cross_parameter_rules_name_the_offending_parameter(string type, string field, string parameters)
    {
        var values = parameters.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        string[] symbols = StrategyCatalog.Definitions[type].IsPair ? ["ETHUSDT", "BTCUSDT"] : ["BTCUSDT"];

        var errors = StrategyCatalog.Validate(new StrategyConfig("x", type, symbols, values));

        Assert.Contains($"parameters.{field}", errors.Keys);
    }

    [Theory]
    [MemberData(nameof(SingleSymbolTypes))]
    public void Runs_on_real_bars_and_takes_both_sides(string type)
    {
        var strategy = StrategyCatalog.CreateSingleSymbol(new StrategyConfig("lib", type, ["BTCUSDT"], new Dictionary<string, double>()), "BTCUSDT");
        var signals = RealBars.Value.Select(strategy.OnCandle).OfType<Signal>().ToList();

        Assert.True(strategy.IsReady);
        Assert.True(signals.Count > 7_500, $"{type}: {signals.Count} signals from 8,000 bars");
        Assert.Contains(signals, s => s.Direction == SignalDirection.Long);
        Assert.Contains(signals, s => s.Direction == SignalDirection.Short);
        Assert.All(signals, s =>
        {
            Assert.InRange(s.Strength, 0, 1);
            Assert.True(s.Direction != SignalDirection.Flat || s.Strength == 0);
            Assert.False(string.IsNullOrWhiteSpace(s.Reason));
            Assert.DoesNotContain("NaN", s.Reason);
        });
    }
}
