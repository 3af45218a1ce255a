using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>Where embedded mode keeps grain state (section <c>Trading:Storage</c>).</summary>
public sealed class SqliteGrainStorageOptions
{
    public const string SectionName = "Trading:Storage";

    /// <summary>SQLite database file; a relative path is taken from the working folder, and its folder is created.</summary>
    [Required(ErrorMessage = "Trading:Storage:SqlitePath is required")]
    public string SqlitePath { get; set; } = "state/trading.db";
}
