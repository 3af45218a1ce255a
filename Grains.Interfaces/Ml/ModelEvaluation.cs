namespace TradingOrleans.Grains.Interfaces.Ml;

/// <summary>
/// How a model did on bars it never trained on, against naive baselines (all returns are log returns).
/// </summary>
/// <param name="DirectionalAccuracy">Forecasters: share of bars where the sign of the forecast five-bar return matched the realised one. Policies (DQN): share of bars in a position where the next bar moved its way. Bars with a zero realised return are left out.</param>
/// <param name="Mse">Mean squared error of the five one-bar forecasts (null for a policy, which forecasts nothing).</param>
/// <param name="ZeroForecastMse">The same for the forecast "every return is zero".</param>
/// <param name="LastValueMse">The same for "every next return equals the last one".</param>
/// <param name="LastValueDirectionalAccuracy">Directional accuracy of the last one-bar return's sign.</param>
/// <param name="NetReturn">Trading the model — forecasters: long above the threshold, short below its negative, flat between; policies: their positions — one bar at a time, after fees on every position change.</param>
/// <param name="BuyAndHoldReturn">Holding the symbol over the same bars, after one entry fee.</param>
/// <param name="RandomPolicyReturn">Mean over seeded runs of random positions changing as often as the model's.</param>
/// <param name="Trades">Position changes the model's policy made.</param>
[GenerateSerializer, Immutable]
public sealed record ModelEvaluation(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] int Samples,
    [property: Id(3)] double DirectionalAccuracy,
    [property: Id(4)] double? Mse,
    [property: Id(5)] double? ZeroForecastMse,
    [property: Id(6)] double? LastValueMse,
    [property: Id(7)] double LastValueDirectionalAccuracy,
    [property: Id(8)] double NetReturn,
    [property: Id(9)] double BuyAndHoldReturn,
    [property: Id(10)] double RandomPolicyReturn,
    [property: Id(11)] int Trades,
    [property: Id(12)] double FeeBps,
    [property: Id(13)] double ThresholdBps)
{
    /// <summary>Said plainly: does the model beat every naive baseline on this period?</summary>
    public string Verdict =>
        (DirectionalAccuracy > LastValueDirectionalAccuracy && DirectionalAccuracy > 0.5, Mse is null || Mse < ZeroForecastMse, NetReturn > Math.Max(BuyAndHoldReturn, RandomPolicyReturn)) switch
        {
            (true, true, true) => Mse is null ? "beats the baselines on direction and net PnL" : "beats the baselines on direction, error and net PnL",
            var (direction, error, pnl) => "does not beat the baselines: " + string.Join(", ", new[]
            {
                direction ? null : "direction no better than chance or the last return",
                error ? null : "error no lower than forecasting zero",
                pnl ? null : "net PnL below buy-and-hold or random trading",
            }.Where(s => s is not null)),
        };
}
