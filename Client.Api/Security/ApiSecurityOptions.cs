using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Client.Api.Security;

/// <summary>API keys and request limits (section <c>Trading:Api</c>).</summary>
public sealed class ApiSecurityOptions : IValidatableObject
{
    public const string SectionName = "Trading:Api";

    /// <summary>Configured keys, by SHA-256 hash only. Generate one with <c>dotnet run --project Client.Api -- new-api-key</c>.</summary>
    public List<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>When no key is configured: a local admin key is generated on first start and kept in this file (relative to the working folder).</summary>
    [Required]
    public string LocalAdminKeyFile { get; set; } = "state/admin-api-key";

    /// <summary>Requests per minute for one key (or, without a key, one client address).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Requests per minute for one key on endpoints that change trading (strategies, kill switch).</summary>
    [Range(1, 1_000_000)]
    public int MutationsPerMinute { get; set; } = 60;

    /// <summary>Largest request body accepted, in bytes.</summary>
    [Range(1_024, 10_000_000)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return new ValidationResult("Every key needs a Name", [$"Keys:{i}:Name"]);
            }

            if (key.Sha256 is not { Length: 64 } || !key.Sha256.All(Uri.IsHexDigit))
            {
                yield return new ValidationResult("Sha256 must be the 64 hex digits of the key's SHA-256 hash (never the key itself)", [$"Keys:{i}:Sha256"]);
            }
        }
    }
}

/// <summary>One API key: who holds it, its role, and the SHA-256 of the key (hex).</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";

    public ApiRole Role { get; set; } = ApiRole.Viewer;

    public string Sha256 { get; set; } = "";
}
