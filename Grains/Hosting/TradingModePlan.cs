using Microsoft.Extensions.Configuration;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Risk;

namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// <c>Trading:Mode</c> resolved once at start: the mode's defaults for the feed, venue and short-selling settings left
/// unset, laid under the configured settings (an explicit setting wins, and every reader sees the same values), the
/// feed and venues that result, and every explicit setting that contradicts the mode.
/// </summary>
public sealed class TradingModePlan
{
    private static readonly string ModeKey = Key(TradingModeOptions.SectionName, nameof(TradingModeOptions.Mode));
    private static readonly string ConfirmLiveKey = Key(TradingModeOptions.SectionName, nameof(TradingModeOptions.ConfirmLive));
    private static readonly string AllowConflictsKey = Key(TradingModeOptions.SectionName, nameof(TradingModeOptions.AllowModeConflicts));
    private static readonly string SourceKey = Key(MarketDataOptions.SectionName, nameof(MarketDataOptions.Source));
    private static readonly string StreamUrlKey = Key(BinanceMarketDataOptions.SectionName, nameof(BinanceMarketDataOptions.BaseUrl));
    private static readonly string PaperEnabledKey = Key(PaperBrokerOptions.SectionName, nameof(PaperBrokerOptions.Enabled));
    private static readonly string BinanceEnabledKey = Key(BinanceBrokerOptions.SectionName, nameof(BinanceBrokerOptions.Enabled));
    private static readonly string RestUrlKey = Key(BinanceBrokerOptions.SectionName, nameof(BinanceBrokerOptions.RestBaseUrl));
    private static readonly string WebSocketApiUrlKey = Key(BinanceBrokerOptions.SectionName, nameof(BinanceBrokerOptions.WebSocketApiUrl));
    private static readonly string ShortSellingKey = Key(RiskOptions.SectionName, nameof(RiskLimits.AllowShortSelling));

    private TradingModePlan(TradingMode mode, IConfiguration configuration, string feed, IReadOnlyList<string> venues,
        IReadOnlyList<string> conflicts, IReadOnlyList<string> refusals, bool shortSellingRefused, bool tradesAccount)
    {
        Mode = mode;
        ShortSellingRefused = shortSellingRefused;
        TradesAccount = tradesAccount;
        Configuration = configuration;
        Feed = feed;
        Venues = venues;
        Conflicts = conflicts;
        Refusals = refusals;
    }

    public TradingMode Mode { get; }

    /// <summary>The configured settings over the mode's defaults: what the silo's options and wiring read.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Where market data comes from, e.g. <c>replay of data/binance-usdt-2021-5m</c> or <c>Binance testnet wss://…</c>.</summary>
    public string Feed { get; }

    /// <summary>The venues orders route to, e.g. <c>paper</c> or <c>binance live https://api.binance.com</c>.</summary>
    public IReadOnlyList<string> Venues { get; }

    /// <summary>Explicit settings that contradict the mode, each naming the setting and its value.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>Why start-up is refused: the conflicts (unless <c>Trading:AllowModeConflicts</c>) and a missing live confirmation.</summary>
    public IReadOnlyList<string> Refusals { get; }

    /// <summary>
    /// True in Testnet and Live without <c>Trading:AllowModeConflicts</c>: a spot account cannot short, so risk limits
    /// changed later (<c>PUT /api/v1/risk/limits</c>, or limits saved in another mode) cannot allow it either.
    /// </summary>
    public bool ShortSellingRefused { get; }

    /// <summary>
    /// True in Testnet and Live with Binance as a venue: the portfolio's cash and positions come from the Binance account,
    /// which is followed and reconciled, and risk sizes against its free balances. In Paper the cash is the configured one.
    /// </summary>
    public bool TradesAccount { get; }

    /// <summary>One line for the start-up log and <c>/health</c>: mode, feed and venues.</summary>
    public string Summary => $"{Mode}: feed {Feed}; venues {string.Join(", ", Venues)}";

    public static TradingModePlan Resolve(IConfiguration configured)
    {
        var options = configured.GetSection(TradingModeOptions.SectionName).Get<TradingModeOptions>() ?? new TradingModeOptions();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(DefaultsOf(options.Mode))
            .AddConfiguration(configured, shouldDisposeConfiguration: false)
            .Build();
        var settings = EffectiveSettings.Read(configuration);

        var conflicts = ConflictsWith(options.Mode, settings).Select(c => $"{c.Setting} contradicts {ModeKey}={options.Mode}: {c.Why}").ToList();
        var refusals = new List<string>();
        if (conflicts.Count > 0 && !options.AllowModeConflicts)
        {
            refusals.AddRange(conflicts);
            refusals.Add($"set {AllowConflictsKey}=true to start with {(conflicts.Count == 1 ? "it" : "them")} anyway");
        }

        if (options.Mode == TradingMode.Live && !options.ConfirmLive)
        {
            refusals.Add($"{ModeKey}=Live trades real money: set {ConfirmLiveKey}=true as well");
        }

        return new TradingModePlan(options.Mode, configuration, settings.Feed, settings.Venues, conflicts, refusals,
            shortSellingRefused: options.Mode != TradingMode.Paper && !options.AllowModeConflicts,
            tradesAccount: options.Mode != TradingMode.Paper && settings.Binance.Enabled);
    }

    /// <summary>The settings a mode decides when they are not set. Paper's are the options classes' own defaults.</summary>
    private static Dictionary<string, string?> DefaultsOf(TradingMode mode)
    {
        if (mode == TradingMode.Paper)
        {
            return [];
        }

        var endpoints = mode == TradingMode.Live ? BinanceEndpoints.Live : BinanceEndpoints.Testnet;
        return new Dictionary<string, string?>
        {
            [SourceKey] = nameof(MarketDataSource.Binance),
            [StreamUrlKey] = endpoints.MarketStreamUrl,
            [PaperEnabledKey] = "false",
            [BinanceEnabledKey] = "true",
            [RestUrlKey] = endpoints.RestBaseUrl,
            [WebSocketApiUrlKey] = endpoints.WebSocketApiUrl,
            // A spot account cannot sell what it does not hold.
            [ShortSellingKey] = "false",
        };
    }

    private static IEnumerable<(string Setting, string Why)> ConflictsWith(TradingMode mode, EffectiveSettings settings)
    {
        if (mode == TradingMode.Paper)
        {
            if (settings.Source == MarketDataSource.Binance && settings.StreamNetwork is not (BinanceNetwork.Live or BinanceNetwork.Local))
            {
                yield return ($"{StreamUrlKey}={settings.Stream.BaseUrl} ({Describe(settings.StreamNetwork)})", "it trades on live or replayed prices");
            }

            if (settings.Binance.Enabled && (settings.RestNetwork, settings.WebSocketApiNetwork) is not (BinanceNetwork.Local, BinanceNetwork.Local))
            {
                yield return ($"{BinanceEnabledKey}=true with {RestUrlKey}={settings.Binance.RestBaseUrl}",
                    "it routes to the paper venues only (or a Binance-speaking server on this machine); Testnet or Live trade on Binance");
            }

            yield break;
        }

        var network = mode == TradingMode.Live ? BinanceNetwork.Live : BinanceNetwork.Testnet;
        if (settings.Source == MarketDataSource.Replay)
        {
            yield return ($"{SourceKey}=Replay", $"it sizes and risk-checks orders on {Describe(network)} prices, not replayed ones");
        }
        else if (!Reaches(settings.StreamNetwork, network))
        {
            yield return ($"{StreamUrlKey}={settings.Stream.BaseUrl} ({Describe(settings.StreamNetwork)})", $"it takes {Describe(network)} market data");
        }

        if (settings.Paper.Enabled)
        {
            yield return ($"{PaperEnabledKey}=true", "it routes to Binance only, and a paper fill would count as a position there");
        }

        if (!settings.Binance.Enabled)
        {
            yield return ($"{BinanceEnabledKey}=false", $"it trades on {Describe(network)}");
        }
        else
        {
            if (!Reaches(settings.RestNetwork, network))
            {
                yield return ($"{RestUrlKey}={settings.Binance.RestBaseUrl} ({Describe(settings.RestNetwork)})", $"it trades on {Describe(network)}");
            }

            if (!Reaches(settings.WebSocketApiNetwork, network))
            {
                yield return ($"{WebSocketApiUrlKey}={settings.Binance.WebSocketApiUrl} ({Describe(settings.WebSocketApiNetwork)})", $"it trades on {Describe(network)}");
            }
        }

        if (settings.Limits.AllowShortSelling)
        {
            yield return ($"{ShortSellingKey}=true", "it trades a Binance spot account, which cannot sell what it does not hold");
        }
    }

    // A server on this machine counts as neither network: tests and simulators run there in any mode.
    private static bool Reaches(BinanceNetwork url, BinanceNetwork mode) => url == mode || url == BinanceNetwork.Local;

    private static string Describe(BinanceNetwork network) => network switch
    {
        BinanceNetwork.Live => "Binance live",
        BinanceNetwork.Testnet => "Binance testnet",
        BinanceNetwork.Local => "a local server",
        _ => "neither Binance live nor testnet",
    };

    private static string Key(string section, string setting) => $"{section}:{setting}";

    /// <summary>The feed and venue settings in force once the mode's defaults are laid under the configured ones.</summary>
    private sealed record EffectiveSettings(
        MarketDataSource Source, ReplayOptions Replay, BinanceMarketDataOptions Stream, PaperBrokerOptions Paper, BinanceBrokerOptions Binance, RiskLimits Limits)
    {
        public static EffectiveSettings Read(IConfiguration configuration) => new(
            (configuration.GetSection(MarketDataOptions.SectionName).Get<MarketDataOptions>() ?? new MarketDataOptions()).Source,
            configuration.GetSection(ReplayOptions.SectionName).Get<ReplayOptions>() ?? new ReplayOptions(),
            configuration.GetSection(BinanceMarketDataOptions.SectionName).Get<BinanceMarketDataOptions>() ?? new BinanceMarketDataOptions(),
            configuration.GetSection(PaperBrokerOptions.SectionName).Get<PaperBrokerOptions>() ?? new PaperBrokerOptions(),
            configuration.GetSection(BinanceBrokerOptions.SectionName).Get<BinanceBrokerOptions>() ?? new BinanceBrokerOptions(),
            configuration.GetSection(RiskOptions.SectionName).Get<RiskLimits>() ?? new RiskLimits());

        public BinanceNetwork StreamNetwork => BinanceEndpoints.Classify(Stream.BaseUrl);

        public BinanceNetwork RestNetwork => BinanceEndpoints.Classify(Binance.RestBaseUrl);

        public BinanceNetwork WebSocketApiNetwork => BinanceEndpoints.Classify(Binance.WebSocketApiUrl);

        public string Feed => Source switch
        {
            MarketDataSource.Binance => $"{Describe(StreamNetwork)} {Stream.BaseUrl}",
            _ when Replay.Enabled => $"replay of {Replay.DataDirectory}",
            _ => $"none ({Key(ReplayOptions.SectionName, nameof(ReplayOptions.Enabled))}=false)",
        };

        public IReadOnlyList<string> Venues =>
        [
            .. Binance.Enabled ? [$"binance ({Describe(RestNetwork)} {Binance.RestBaseUrl})"] : Array.Empty<string>(),
            .. Paper.Enabled ? Paper.EffectiveVenues.Select(v => v.Name) : [],
        ];
    }
}
