using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Persistence;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using StackExchange.Redis;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Adapters.Sqlite;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.MarketData;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Ml;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Signals;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Grains.Hosting;

/// <summary>The one place a TradingOrleans silo is configured; used by the headless Silo and the co-hosting API.</summary>
public static class TradingSiloExtensions
{
    /// <summary>
    /// Clustering by <c>Trading:Cluster:Mode</c> (embedded: localhost; cluster: Redis, with this silo's ports and the
    /// shared cluster id) plus everything <see cref="AddTradingGrains"/> adds.
    /// </summary>
    public static ISiloBuilder AddTradingSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var siloOptions = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        if (ClusterSettings(configuration) is { Mode: ClusterMode.Cluster } cluster)
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis));
            if (cluster.KubernetesHosting)
            {
                // Pod name, pod IP and the orleans/clusterId and orleans/serviceId labels configure the silo.
                silo.UseKubernetesHosting();
            }
            else
            {
                var advertised = System.Net.IPAddress.TryParse(siloOptions.AdvertisedHost, out var address)
                    ? address
                    : System.Net.Dns.GetHostAddresses(siloOptions.AdvertisedHost).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
                // On one machine listen on loopback only; across machines on every interface, advertising this one.
                silo.ConfigureEndpoints(advertised, siloOptions.SiloPort, siloOptions.GatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(advertised));
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (siloOptions.ClusterId, siloOptions.ServiceId));
            }
        }
        else
        {
            silo.UseLocalhostClustering(siloOptions.SiloPort, siloOptions.GatewayPort, serviceId: siloOptions.ServiceId, clusterId: siloOptions.ClusterId);
        }

        return silo.AddTradingGrains(configuration);
    }

    internal static ClusterModeOptions ClusterSettings(IConfiguration configuration) =>
        configuration.GetSection(ClusterModeOptions.SectionName).Get<ClusterModeOptions>() ?? new ClusterModeOptions();

    /// <summary>
    /// Everything but clustering (which test clusters bring themselves): the trading mode (<see cref="TradingModePlan"/>:
    /// its defaults under the configured settings, refused conflicts), grain state (SQLite embedded, Redis in cluster
    /// mode), the market transport, the paper broker, the audit trail, strategy seeding and the market-data feed, with
    /// every options section validated at start.
    /// </summary>
    public static ISiloBuilder AddTradingGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        var mode = TradingModePlan.Resolve(configuration);
        if (mode.Refusals.Count > 0)
        {
            // Before anything else is wired: the mode decides the feed and venues, whose own settings would fail next.
            throw new OptionsValidationException(TradingModeOptions.SectionName, typeof(TradingModeOptions), mode.Refusals);
        }

        configuration = mode.Configuration;
        RememberedGrainInterfaceTypes.AddTo(services);
        services.AddSingleton(mode);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TradingModeAnnouncer>();
        services.AddHealthChecks().AddCheck<TradingModeHealthCheck>("mode", tags: [HealthExtensions.ReadyTag]);
        var siloOptions = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();

        if (ClusterSettings(configuration) is { Mode: ClusterMode.Cluster } cluster)
        {
            // State every silo can reach; Orleans' binary serializer, like the SQLite storage, for our record types.
            silo.AddRedisGrainStorageAsDefault(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis));
            services.AddOptions<RedisStorageOptions>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
                .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis));
        }
        else
        {
            if (configuration.GetValue<bool>(SqliteGrainStorageOptions.InMemorySetting))
            {
                services.AddGrainStorage(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                    static (sp, _) => new InProcessGrainStorage(sp.GetRequiredService<Orleans.Serialization.Serializer>()));
            }
            else
            {
                // The provider validates its own options at start, naming Trading:Storage:SqlitePath when it is missing.
                silo.AddSqliteGrainStorageAsDefault(o => configuration.GetSection(SqliteGrainStorageOptions.SectionName).Bind(o));
            }

            // One silo: reminders need not outlive it (the rebalancer registers its reminder again at every start).
            silo.UseInMemoryReminderService();
        }

        AddMarketStream(silo, configuration);
        if (siloOptions.Dashboard)
        {
            silo.AddDashboard();
        }

        AddValidatedOptions<SiloOptions>(services, configuration, SiloOptions.SectionName);
        AddValidatedOptions<ClusterModeOptions>(services, configuration, ClusterModeOptions.SectionName);
        AddValidatedOptions<MarketDataOptions>(services, configuration, MarketDataOptions.SectionName);
        AddValidatedOptions<Interfaces.Risk.RiskLimits>(services, configuration, RiskOptions.SectionName);
        AddValidatedOptions<RiskOptions>(services, configuration, RiskOptions.SectionName);
        AddValidatedOptions<PortfolioOptions>(services, configuration, PortfolioOptions.SectionName);
        AddValidatedOptions<SignalOptions>(services, configuration, SignalOptions.SectionName);
        AddValidatedOptions<PairOptions>(services, configuration, PairOptions.SectionName);
        AddValidatedOptions<PaperBrokerOptions>(services, configuration, PaperBrokerOptions.SectionName);
        AddValidatedOptions<ExecutionOptions>(services, configuration, ExecutionOptions.SectionName);
        AddValidatedOptions<OrderPathOptions>(services, configuration, OrderPathOptions.SectionName);
        AddValidatedOptions<StreamingOptions>(services, configuration, StreamingOptions.SectionName);
        AddValidatedOptions<StrategySeedOptions>(services, configuration, StrategySeedOptions.SectionName);
        AddValidatedOptions<StrategyIsolationOptions>(services, configuration, StrategyIsolationOptions.SectionName);

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TradingMetrics>();
        AddValidatedOptions<AuditOptions>(services, configuration, AuditOptions.SectionName);
        services.AddSingleton<FileAuditTrail>();
        services.AddSingleton<IAuditReader>(sp => sp.GetRequiredService<FileAuditTrail>());
        AddVenues(services, configuration, mode);
        services.AddSingleton<ExecutionAlgorithms>();
        services.AddSingleton<OrderPathGuard>();
        AddModels(services, configuration);
        services.TryAddSingleton<IStrategyFactory, CatalogStrategyFactory>();
        // The historical kline files, for cointegration tests on request: read whatever the market-data source.
        services.AddSingleton(new HistoricalPrices(configuration.GetSection(ReplayOptions.SectionName).Get<ReplayOptions>() ?? new ReplayOptions()));
        AddMarketDataSource(services, configuration);
        if (configuration.GetSection(MarketDataOptions.SectionName).Get<MarketDataOptions>() is not { CollectBeforeBarClose: false })
        {
            services.AddHostedService<BarCloseCollector>();
        }

        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StrategySeeder>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RebalanceScheduler>();
        return silo;
    }

    /// <summary>Trained models (<c>Trading:Models:Directory</c>), loaded by model-served strategy types and listed by the API.</summary>
    public static IServiceCollection AddModels(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => new ModelStore(ModelStore.Resolve(
            configuration.GetSection(ModelOptions.SectionName).Get<ModelOptions>()?.Directory ?? new ModelOptions().Directory)));
        return services;
    }

    /// <summary>
    /// The venues execution routes to: the paper venues (<c>Trading:Broker:Paper</c>, on by default) and Binance
    /// (<c>Trading:Broker:Binance:Enabled</c>) with its user-data stream, and its account when the mode trades one; and
    /// the instrument rules every stage sizes by.
    /// </summary>
    private static void AddVenues(IServiceCollection services, IConfiguration configuration, TradingModePlan mode)
    {
        AddValidatedOptions<BinanceBrokerOptions>(services, configuration, BinanceBrokerOptions.SectionName);
        AddValidatedOptions<AccountOptions>(services, configuration, AccountOptions.SectionName);
        AddValidatedOptions<InstrumentOptions>(services, configuration, InstrumentOptions.SectionName);
        services.AddSingleton<ConfiguredInstruments>();
        var binanceEnabled = configuration.GetValue<bool>($"{BinanceBrokerOptions.SectionName}:Enabled");
        if (binanceEnabled)
        {
            // With Binance among the venues, its exchange filters are the instrument rules every stage uses.
            services.AddSingleton(sp => new BinanceInstruments(sp.GetRequiredService<BinanceBroker>(), sp.GetRequiredService<IOptions<BinanceBrokerOptions>>().Value,
                sp.GetRequiredService<ConfiguredInstruments>(), sp.GetRequiredService<ILogger<BinanceInstruments>>()));
            services.AddSingleton<IInstrumentCatalog>(sp => sp.GetRequiredService<BinanceInstruments>());
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<BinanceInstruments>());
            services.AddSingleton(sp => new BinanceBroker(
                sp.GetRequiredService<IOptions<BinanceBrokerOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BinanceBroker>>()));
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new BinanceUserDataStream(
                sp.GetRequiredService<IOptions<BinanceBrokerOptions>>().Value, sp.GetRequiredService<BinanceBroker>(), sp.GetRequiredService<IGrainFactory>(),
                sp.GetRequiredService<TradingMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BinanceUserDataStream>>(),
                followsAccount: mode.TradesAccount));
            if (mode.TradesAccount)
            {
                // The portfolio's cash and positions come from the Binance account, followed and reconciled.
                services.AddSingleton<IVenueAccount>(sp => new BinanceAccount(sp.GetRequiredService<BinanceBroker>(), sp.GetRequiredService<IOptions<BinanceBrokerOptions>>().Value));
                services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AccountStarter>();
                services.AddHealthChecks().AddCheck<AccountHealthCheck>("account", tags: [HealthExtensions.ReadyTag]);
            }
        }

        else
        {
            services.AddSingleton<IInstrumentCatalog>(sp => sp.GetRequiredService<ConfiguredInstruments>());
        }

        var fillModel = configuration.GetSection($"{PaperBrokerOptions.SectionName}:Fills").Get<PaperFillOptions>()?.Model ?? PaperFillModel.Immediate;
        var marketData = configuration.GetSection(MarketDataOptions.SectionName).Get<MarketDataOptions>() ?? new MarketDataOptions();
        if (fillModel == PaperFillModel.NextBarOpen && marketData.Source != MarketDataSource.Replay)
        {
            // Only the replay hands bars to the venue before publishing them; on a live feed its orders would never fill.
            throw new OptionsValidationException(PaperBrokerOptions.SectionName, typeof(PaperBrokerOptions),
                [$"{PaperBrokerOptions.SectionName}:Fills:Model NextBarOpen needs Trading:MarketData:Source Replay (it is {marketData.Source})."]);
        }

        services.AddSingleton<IReadOnlyList<IBroker>>(sp =>
        {
            var paper = sp.GetRequiredService<IOptions<PaperBrokerOptions>>().Value;
            IReadOnlyList<IBroker> venues =
            [
                .. binanceEnabled ? [sp.GetRequiredService<BinanceBroker>()] : Array.Empty<IBroker>(),
                .. paper.Enabled ? paper.EffectiveVenues.Select(venue => PaperVenue(venue, paper.Fills, sp.GetRequiredService<TimeProvider>())) : [],
            ];
            if (venues.Count == 0)
            {
                throw new OptionsValidationException(PaperBrokerOptions.SectionName, typeof(PaperBrokerOptions),
                    ["No venue: enable Trading:Broker:Paper or Trading:Broker:Binance."]);
            }

            sp.GetRequiredService<TradingMetrics>().WatchVenues(venues);
            return venues;
        });
    }

    private static IBroker PaperVenue(PaperVenueOptions venue, PaperFillOptions fills, TimeProvider time) => fills.Model switch
    {
        PaperFillModel.NextBarOpen => new BarFillVenue(venue, fills, time),
        _ => new PaperBroker(venue, time),
    };

    /// <summary>The <c>market</c> transport chosen by <c>Trading:Streaming:Provider</c>, and the publisher feeds use with it.</summary>
    private static void AddMarketStream(ISiloBuilder silo, IConfiguration configuration)
    {
        var streaming = configuration.GetSection(StreamingOptions.SectionName).Get<StreamingOptions>() ?? new StreamingOptions();
        if (streaming.Provider == StreamingProvider.Kafka)
        {
            silo.AddKafkaStreams(MarketChannels.ProviderName, o => configuration.GetSection(KafkaStreamOptions.SectionName).Bind(o));
            silo.Services.AddSingleton<IValidateOptions<KafkaStreamOptions>>(new SectionValidator<KafkaStreamOptions>(KafkaStreamOptions.SectionName));
            silo.Services.AddOptions<KafkaStreamOptions>(MarketChannels.ProviderName).ValidateOnStart();
            silo.Services.AddSingleton<IMarketDataPublisher, StreamMarketDataPublisher>();
            silo.Services.AddSingleton<KafkaAuditSink>();
            silo.Services.AddSingleton<IAuditSink>(sp => new FanOutAuditSink([sp.GetRequiredService<FileAuditTrail>(), sp.GetRequiredService<KafkaAuditSink>()]));
            silo.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: [HealthExtensions.ReadyTag]);
            return;
        }

        // Awaited delivery: a feed's Publish completes once the symbol's grain has taken the bar, keeping bars ordered.
        silo.AddBroadcastChannel(MarketChannels.ProviderName, o => o.FireAndForgetDelivery = false);
        silo.Services.AddSingleton<IMarketDataPublisher, ChannelMarketDataPublisher>();
        silo.Services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<FileAuditTrail>());
    }

    /// <summary>The feed chosen by <c>Trading:MarketData:Source</c>: the replay of historical files, or Binance live.</summary>
    private static void AddMarketDataSource(IServiceCollection services, IConfiguration configuration)
    {
        var marketData = configuration.GetSection(MarketDataOptions.SectionName).Get<MarketDataOptions>() ?? new MarketDataOptions();
        if (marketData.Source == MarketDataSource.Binance)
        {
            AddValidatedOptions<BinanceMarketDataOptions>(services, configuration, BinanceMarketDataOptions.SectionName);
            services.AddSingleton<BinanceMarketDataFeed>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, BinanceFeedService>();
            services.TryAddSingleton<ICandleHistory, BinanceCandleHistory>();
            return;
        }

        AddValidatedOptions<ReplayOptions>(services, configuration, ReplayOptions.SectionName);
        services.TryAddSingleton<ICandleHistory, ReplayCandleHistory>();
        services.AddSingleton<ReplayFeed>();
        services.AddSingleton<ReplayService>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReplayService>());
    }

    internal static void AddValidatedOptions<TOptions>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
    }
}
