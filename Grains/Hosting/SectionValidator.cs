using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// Data-annotation validation of an options class whose failures name the full setting
/// (<c>Trading:Risk:PositionSizeFraction: …</c>), so a bad value stops start-up with a message a user can act on.
/// </summary>
public sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{string.Join(", ", r.MemberNames.DefaultIfEmpty("").Select(member => $"{section}:{member}".TrimEnd(':')))}: {r.ErrorMessage}"));
    }
}
