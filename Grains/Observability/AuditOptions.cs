using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Observability;

/// <summary>The local audit trail (section <c>Trading:Audit</c>): its file, when the file rotates, and how many rotated files are kept.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Trading:Audit";

    /// <summary>Append-only JSON-lines file; a relative path is taken from the working folder.</summary>
    [Required]
    public string Path { get; set; } = "state/audit.jsonl";

    /// <summary>Bytes after which the file rotates (an event is never split across files); null: no size limit.</summary>
    [Range(1_024, long.MaxValue)]
    public long? MaxFileBytes { get; set; } = 100_000_000;

    /// <summary>Whether the file also rotates at the first write of each UTC day (wall clock).</summary>
    public bool RotateDaily { get; set; } = true;

    /// <summary>Rotated files kept, newest first; older ones are deleted at the next rotation. Null: no count limit.</summary>
    [Range(1, 1_000_000)]
    public int? RetainFiles { get; set; }

    /// <summary>Days a rotated file is kept after it rotated; older ones are deleted at the next rotation. Null: no age limit.</summary>
    [Range(1, 36_500)]
    public int? RetainDays { get; set; }
}
