using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>Backtests run as jobs of the service (section <c>Trading:Backtest</c>).</summary>
public sealed class BacktestJobOptions
{
    public const string SectionName = "Trading:Backtest";

    /// <summary>Jobs that may run at once; each is a silo of its own replaying as fast as a core lets it, so more jobs than cores slow the live path.</summary>
    [Range(1, 16)]
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>Where each job keeps its folder (<c>{Directory}/{id}/</c>: job.json, audit, results); a relative path is taken from the working folder.</summary>
    [Required]
    public string Directory { get; set; } = "state/backtests";

    /// <summary>The kline files backtests read; null means <c>Trading:Replay:DataDirectory</c>'s (searched upwards like it).</summary>
    public string? DataDirectory { get; set; }
}
