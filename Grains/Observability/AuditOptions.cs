using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Observability;

/// <summary>The local audit trail (section <c>Trading:Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Trading:Audit";

    /// <summary>Append-only JSON-lines file; a relative path is taken from the working folder.</summary>
    [Required]
    public string Path { get; set; } = "state/audit.jsonl";
}
