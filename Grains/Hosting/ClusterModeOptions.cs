using System.ComponentModel.DataAnnotations;

namespace TradingOrleans.Grains.Hosting;

/// <summary>How silos find each other and keep state.</summary>
public enum ClusterMode
{
    /// <summary>One process: localhost clustering, SQLite grain state; the default.</summary>
    Embedded,

    /// <summary>Several silos: Orleans clustering, grain state and reminders on Redis.</summary>
    Cluster,
}

/// <summary>Cluster mode and its Redis (section <c>Trading:Cluster</c>).</summary>
public sealed class ClusterModeOptions
{
    public const string SectionName = "Trading:Cluster";

    public ClusterMode Mode { get; set; } = ClusterMode.Embedded;

    /// <summary>StackExchange.Redis configuration string of the cluster's Redis (run it with <c>appendonly yes</c>).</summary>
    [Required]
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Running as Kubernetes pods: take silo name, address and cluster ids from the pod, and remove dead pods' silos.</summary>
    public bool KubernetesHosting { get; set; }
}
