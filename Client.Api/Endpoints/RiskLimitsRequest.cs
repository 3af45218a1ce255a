using System.ComponentModel.DataAnnotations;
using System.Text.Json;
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
    /// A field given twice counts once, the last, as when JSON is read into a type.
    /// </summary>
    public static (RiskLimits? Limits, Dictionary<string, string[]> Errors) ApplyTo(JsonElement changes, RiskLimits current, JsonSerializerOptions json)
    {
        var errors = new Dictionary<string, string[]>();
        if (changes.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["A JSON object is required."];
            return (null, errors);
        }

        var fields = json.GetTypeInfo(typeof(RiskLimits)).Properties;
        var comparison = json.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var merged = JsonSerializer.SerializeToNode(current, json)!.AsObject();
        foreach (var change in changes.EnumerateObject())
        {
            if (fields.FirstOrDefault(f => string.Equals(f.Name, change.Name, comparison)) is not { } field)
            {
                errors[change.Name] = ["Not a risk limit."];
                continue;
            }

            if (change.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            try
            {
                // Each value on its own, so that every field of the wrong type is named, not only the first.
                change.Value.Deserialize(field.PropertyType, json);
                merged[field.Name] = JsonSerializer.SerializeToNode(change.Value, json);
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
