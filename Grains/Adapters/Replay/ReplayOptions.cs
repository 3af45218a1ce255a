using System.ComponentModel.DataAnnotations;
using TradingOrleans.Grains.Hosting;

namespace TradingOrleans.Grains.Adapters.Replay;

/// <summary>The historical-data feed of the embedded default (section <c>Trading:Replay</c>).</summary>
public sealed class ReplayOptions : IValidatableObject
{
    public const string SectionName = "Trading:Replay";

    /// <summary>Whether the silo replays historical bars onto the market channel at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of <c>SYMBOL.csv</c> / <c>SYMBOL.csv.gz</c> kline files; relative paths are searched upwards from the working and app folders.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data/binance-usdt-2021-5m";

    /// <summary>Symbols to replay; empty means every file in <see cref="DataDirectory"/>.</summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary>
    /// Bar length of the files; unset, it is measured from them (<see cref="DataRange"/>, as backtests do), so a folder of
    /// 1-minute bars replays as 1-minute bars without a setting that could disagree with it.
    /// </summary>
    public TimeSpan? CandleInterval { get; set; }

    /// <summary>Replay only bars opening at or after this instant (UTC); null for the start of the files.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Replay only bars opening before this instant (UTC); null for the end of the files.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>Market time per wall time: 6000 plays a 5-minute bar every 50 ms; 0 replays as fast as the pipeline takes it.</summary>
    [Range(0, 1e9)]
    public double SpeedMultiplier { get; set; } = 6000;

    /// <summary>
    /// Stop at the first bar that could not be published, opened or settled instead of logging it and carrying on: a
    /// backtest does, as its result would no longer be what the strategies did on the data.
    /// </summary>
    public bool StopOnFailure { get; set; }

    /// <summary>Continue after the last bar published before a restart instead of starting over.</summary>
    public bool ResumeAfterRestart { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && PathResolver.FindExisting(DataDirectory) is null)
        {
            yield return new ValidationResult(
                $"'{DataDirectory}' was not found from {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}", [nameof(DataDirectory)]);
        }

        if (From is { } from && To is { } to && from >= to)
        {
            yield return new ValidationResult($"From ({from:u}) must be before To ({to:u})", [nameof(From)]);
        }
    }
}
