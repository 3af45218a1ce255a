using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradingOrleans.Grains.Interfaces.Risk;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>
/// The body of <c>PUT /risk/limits</c>: any of <see cref="RiskLimits"/>' JSON fields, laid over the limits in force.
/// The fields come from the record's own JSON contract, so none is declared here a second time.
/// </summary>
public static class RiskLimitsRequest
{
    /// <summary>
    /// The limits with <paramref name="changes"/> applied (a field left out or null keeps its value), or every field that
    /// is unknown, not of its type or out of its range, keyed by its JSON name; nothing is applied when one is wrong.
    /// </summary>
    public static (RiskLimits? Limits, Dictionary<string, string[]> Errors) ApplyTo(JsonObject changes, RiskLimits current, JsonSerializerOptions json)
    {
        var fields = json.GetTypeInfo(typeof(RiskLimits)).Properties;
        var comparison = json.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var merged = JsonSerializer.SerializeToNode(current, json)!.AsObject();
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in changes)
        {
            if (fields.FirstOrDefault(f => string.Equals(f.Name, name, comparison)) is not { } field)
            {
                errors[name] = ["Not a risk limit."];
                continue;
            }

            if (value is null)
            {
                continue;
            }

            try
            {
                // Each value on its own, so that every field of the wrong type is named, not only the first.
                value.Deserialize(field.PropertyType, json);
                merged[field.Name] = value.DeepClone();
            }
            catch (JsonException exception)
            {
                errors[field.Name] = [$"Not valid here: {exception.Message.Split(" Path:")[0]}"];
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var limits = merged.Deserialize<RiskLimits>(json)!;
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(limits, new ValidationContext(limits), results, validateAllProperties: true))
        {
            return (limits, errors);
        }

        // The messages are the ones start-up gives for Trading:Risk, keyed by the JSON field instead of the setting.
        return (null, results
            .SelectMany(r => r.MemberNames.Select(m => (Field: json.PropertyNamingPolicy?.ConvertName(m) ?? m, r.ErrorMessage)))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "Not valid.").ToArray()));
    }
}
