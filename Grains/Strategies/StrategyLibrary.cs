using TradingOrleans.Grains.Strategies.Library;

namespace TradingOrleans.Grains.Strategies;

/// <summary>
/// Every strategy type this build offers. To add one: write the class (a <see cref="BarStrategy"/> with a static
/// <c>Type</c> describing its parameters and factory) and list its <c>Type</c> here.
/// </summary>
public static class StrategyLibrary
{
    public static IReadOnlyList<StrategyType> Types { get; } =
    [
        // Trend following on moving averages.
        SmaCrossoverStrategy.Type,
        EmaCrossoverStrategy.Type,
        HmaCrossoverStrategy.Type,
        TripleMovingAverageStrategy.Type,
        KamaTrendStrategy.Type,
        MacdStrategy.Type,
        TrixStrategy.Type,

        // Trend and breakout systems.
        DonchianBreakoutStrategy.Type,
        BollingerBreakoutStrategy.Type,
        KeltnerBreakoutStrategy.Type,
        VolatilityBreakoutStrategy.Type,
        DualThrustStrategy.Type,
        AdxTrendStrategy.Type,
        ParabolicSarStrategy.Type,
        SuperTrendStrategy.Type,
        IchimokuStrategy.Type,
        AroonStrategy.Type,
        HeikinAshiTrendStrategy.Type,
        LinearRegressionSlopeStrategy.Type,
        MomentumStrategy.Type,
        AwesomeOscillatorStrategy.Type,
        ElderRayStrategy.Type,
        ObvTrendStrategy.Type,

        // Mean reversion on oscillators and bands.
        RsiMeanReversionStrategy.Type,
        StochasticStrategy.Type,
        WilliamsRStrategy.Type,
        CciStrategy.Type,
        MfiStrategy.Type,
        ChandeMomentumStrategy.Type,
        BollingerReversionStrategy.Type,
        ZScoreReversionStrategy.Type,
        VwapReversionStrategy.Type,

        // Pairs.
        PairSpreadModel.Type,
        JohansenPairModel.Type,

        // Served by trained models (see Grains/Ml and `train`).
        LstmForecastStrategy.Type,
        DqnStrategy.Type,
        GradientBoostedStrategy.Type,
    ];
}
