namespace TradingOrleans.Tests.Soak;

/// <summary>
/// A test that runs only when <c>TRADING_SOAK_MINUTES</c> is set (it takes minutes): skipped in the normal suite.
/// </summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public const string MinutesVariable = "TRADING_SOAK_MINUTES";

    public SoakFactAttribute()
    {
        if (Minutes is null)
        {
            Skip = $"a soak of minutes: set {MinutesVariable} (e.g. {MinutesVariable}=3) to run it";
        }
    }

    /// <summary>The soak's length, or null when it is not asked for.</summary>
    public static double? Minutes =>
        double.TryParse(Environment.GetEnvironmentVariable(MinutesVariable), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? minutes
            : null;
}
