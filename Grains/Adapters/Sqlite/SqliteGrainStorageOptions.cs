using Orleans.Storage;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>Settings of one SQLite grain storage provider; the trading silo binds them from <c>Trading:Storage</c>.</summary>
public sealed class SqliteGrainStorageOptions
{
    public const string SectionName = "Trading:Storage";

    /// <summary>The setting a validation error names, so an operator knows what to fix.</summary>
    public const string SqlitePathSetting = SectionName + ":" + nameof(SqlitePath);

    /// <summary>
    /// The setting that keeps an embedded silo's grain state in memory instead (<c>true</c>): it lives as long as the
    /// silo. A backtest's silo runs so; live trading never should.
    /// </summary>
    public const string InMemorySetting = SectionName + ":InMemory";

    /// <summary>
    /// The database file (SQLite data source). Required: no default, so state never lands in a folder nobody chose.
    /// A relative path is taken from the working folder; the file and its folder are created at silo start.
    /// </summary>
    public string SqlitePath { get; set; } = "";

    /// <summary>How long a statement waits for a lock another connection holds (a checkpoint, another process) before it fails.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How state becomes bytes. Left null, the provider takes an <see cref="IGrainStorageSerializer"/> registered under
    /// its own name, else Orleans' binary serializer — not the silo-wide default, Newtonsoft JSON with type names, which
    /// cannot read back the compiler's types behind collection expressions in <c>IReadOnlyList</c> members.
    /// </summary>
    /// <remarks>Nullable, hence not Orleans' <c>IStorageProviderSerializerOptions</c>, which declares it non-null.</remarks>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }
}
