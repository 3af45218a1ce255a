using Microsoft.Extensions.Compliance.Classification;

namespace TradingOrleans.Client.Api.Security;

/// <summary>Our data classifications: what the log redactor must pseudonymise.</summary>
public static class TradingTaxonomy
{
    public const string Name = "TradingOrleans";

    /// <summary>Data about a person: key holder names, account ids, client addresses.</summary>
    public static DataClassification PersonalData => new(Name, nameof(PersonalData));
}

/// <summary>Marks a logged value as personal data: it is written as a keyed pseudonym (HMAC), never in clear.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(TradingTaxonomy.PersonalData);
