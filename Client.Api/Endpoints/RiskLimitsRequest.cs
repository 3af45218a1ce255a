using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>New risk limits; a field left out keeps its current value. Units as in <see cref="RiskOptions"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RiskLimitsRequest(
    decimal? MaxPositionNotional,
    decimal? MaxOrderNotional,
    decimal? PositionSizeFraction,
    decimal? MinOrderNotional,
    bool? AllowShortSelling,
    decimal? DailyLossFraction,
    decimal? MaxDrawdownFraction,
    decimal? MaxGrossExposure,
    decimal? MaxNetExposure,
    decimal? MaxCorrelatedExposure,
    decimal? MaxValueAtRiskFraction,
    int? MaxOrdersPerMinute,
    decimal? KellyFraction,
    int? MaxOpenOrders)
{
    public RiskLimits ApplyTo(RiskLimits current) => new(
        MaxPositionNotional ?? current.MaxPositionNotional,
        MaxOrderNotional ?? current.MaxOrderNotional,
        PositionSizeFraction ?? current.PositionSizeFraction,
        MinOrderNotional ?? current.MinOrderNotional,
        AllowShortSelling ?? current.AllowShortSelling,
        DailyLossFraction ?? current.DailyLossFraction,
        MaxDrawdownFraction ?? current.MaxDrawdownFraction,
        MaxGrossExposure ?? current.MaxGrossExposure,
        MaxNetExposure ?? current.MaxNetExposure,
        MaxCorrelatedExposure ?? current.MaxCorrelatedExposure,
        MaxValueAtRiskFraction ?? current.MaxValueAtRiskFraction,
        MaxOrdersPerMinute ?? current.MaxOrdersPerMinute,
        KellyFraction ?? current.KellyFraction,
        MaxOpenOrders ?? current.MaxOpenOrders);

    /// <summary>The configuration's range checks, with errors keyed by the JSON field names.</summary>
    public static Dictionary<string, string[]> Validate(RiskLimits limits)
    {
        var options = RiskOptions.From(limits);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results
            .SelectMany(r => r.MemberNames.Select(m => (Field: JsonNamingPolicy.CamelCase.ConvertName(m), r.ErrorMessage)))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "Not valid.").ToArray());
    }
}
