using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.Interfaces.Signals;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// A single-symbol strategy: fed one closed bar at a time, it keeps its own incremental indicators and
/// answers with the position it wants. Implementations are plain classes with no Orleans types.
/// </summary>
public interface IStrategy
{
    /// <summary>The <c>StrategyConfig.Id</c> this instance runs for.</summary>
    string StrategyId { get; }

    string Symbol { get; }

    /// <summary>True once enough bars have been seen for every indicator to have a value.</summary>
    bool IsReady { get; }

    /// <summary>Updates the indicators with a closed bar; returns the strategy's signal, or null while warming up.</summary>
    Signal? OnCandle(Candle candle);
}

/// <summary>A strategy served by a trained model, which may be missing.</summary>
public interface IModelServedStrategy : IStrategy
{
    /// <summary>Why the strategy is silent (no trained model for its symbol); null when it runs.</summary>
    string? Problem { get; }

    /// <summary>The model kind (<c>lstm</c>, <c>dqn</c>, <c>mlnet</c>).</summary>
    string ModelKind { get; }

    /// <summary>Version of the model file served; null without a model.</summary>
    int? ModelVersion { get; }

    /// <summary>Share of the model's calls that were wrong on its held-out test period; null without a calibration.</summary>
    double? HeldOutErrorRate { get; }

    /// <summary>Share of its latest calls judged live that were wrong (<see cref="Ml.RealisedCallError"/>); null until enough are judged.</summary>
    double? RealisedErrorRate { get; }

    /// <summary>The model's call on the latest bar; null when the model did not run on it (no model, still warming up).</summary>
    ModelCallTiming? LastCall { get; }
}

/// <summary>How long one model call took and the probability it gave that its call is right.</summary>
public readonly record struct ModelCallTiming(TimeSpan Took, double Confidence);
