using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Grains.Hosting;

/// <summary>The audit trail of an API that is a client of a cluster: a copy of the cluster's Kafka audit topic.</summary>
public static class ClusterAuditExtensions
{
    /// <summary>
    /// With Kafka streaming (<c>Trading:Streaming:Provider=Kafka</c>): the API's refusals go to the audit topic, and
    /// <see cref="KafkaAuditMirror"/> copies the topic into the API's own file (<c>Trading:Audit</c>) that answers audit
    /// queries and the trade report. Returns false, registering nothing, when the cluster has no Kafka: its silos then
    /// keep their trails apart and the API has none to read.
    /// </summary>
    public static bool AddClusterAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        var streaming = configuration.GetSection(StreamingOptions.SectionName).Get<StreamingOptions>() ?? new StreamingOptions();
        if (streaming.Provider != StreamingProvider.Kafka)
        {
            return false;
        }

        services.AddOptions<KafkaStreamOptions>(MarketChannels.ProviderName).Bind(configuration.GetSection(KafkaStreamOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KafkaStreamOptions>>(new SectionValidator<KafkaStreamOptions>(KafkaStreamOptions.SectionName));
        TradingSiloExtensions.AddValidatedOptions<AuditOptions>(services, configuration, AuditOptions.SectionName);
        services.AddSingleton<FileAuditTrail>();
        services.AddSingleton<IAuditReader>(sp => sp.GetRequiredService<FileAuditTrail>());
        services.AddSingleton<KafkaAuditSink>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<KafkaAuditSink>());
        services.AddHostedService<KafkaAuditMirror>();
        return true;
    }
}
