namespace TradingOrleans.Grains.Strategies;

/// <summary>A pair strategy's model: fed aligned closes of both legs, it answers with the spread position it wants.</summary>
public interface IPairModel
{
    /// <summary>Adds an aligned pair of closes (both positive); null while the model is warming up.</summary>
    PairSpreadUpdate? Update(double priceA, double priceB, DateTimeOffset marketTime);
}
