using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Hosting;

/// <summary>Cluster identity and ports (section <c>Trading:Silo</c>).</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Trading:Silo";

    [Required]
    public string ClusterId { get; set; } = "trading-orleans";

    [Required]
    public string ServiceId { get; set; } = "trading-orleans";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Cluster mode: the host name or address other silos and clients reach this silo at (its container's name in compose).</summary>
    [Required]
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Host the Orleans Dashboard's services in the silo (the API maps it at <c>/dashboard</c>).</summary>
    public bool Dashboard { get; set; } = true;
}
