using System.Security.Cryptography;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace TradingOrleans.Client.Api.Security;

/// <summary>GDPR-safe logs: values classified as personal data are replaced by keyed HMAC pseudonyms.</summary>
public static class LogRedaction
{
    /// <summary>Base64 key (32 bytes or more) of the pseudonyms; stable pseudonyms across restarts need it configured.</summary>
    public const string KeySetting = "Trading:Logging:PseudonymKey";

    public static WebApplicationBuilder AddLogRedaction(this WebApplicationBuilder builder)
    {
        // Without a configured key the pseudonyms are stable for this process only, and still never reversible.
        var key = builder.Configuration[KeySetting] ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(redaction => redaction.SetHmacRedactor(
            hmac =>
            {
                hmac.Key = key;
                hmac.KeyId = 1;
            },
            new DataClassificationSet(TradingTaxonomy.PersonalData)));
        return builder;
    }
}
