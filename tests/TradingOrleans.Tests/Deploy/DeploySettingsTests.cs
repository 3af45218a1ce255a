using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Grains.Adapters.Kafka;
using TradingOrleans.Grains.Adapters.Paper;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Adapters.Sqlite;
using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Grains.MarketData;
using TradingOrleans.Grains.Observability;
using TradingOrleans.Grains.Portfolio;
using TradingOrleans.Grains.Risk;
using TradingOrleans.Grains.Signals;
using TradingOrleans.Grains.Strategies;

namespace TradingOrleans.Tests.Deploy;

/// <summary>Every setting the deployment files set must be one the code reads: a typo would be silently ignored.</summary>
public sealed partial class DeploySettingsTests
{
    private static readonly Dictionary<string, Type[]> Sections = new(StringComparer.Ordinal)
    {
        [TradingModeOptions.SectionName] = [typeof(TradingModeOptions)],
        [SiloOptions.SectionName] = [typeof(SiloOptions)],
        [ClusterModeOptions.SectionName] = [typeof(ClusterModeOptions)],
        [SqliteGrainStorageOptions.SectionName] = [typeof(SqliteGrainStorageOptions)],
        [MarketDataOptions.SectionName] = [typeof(MarketDataOptions)],
        [BinanceMarketDataOptions.SectionName] = [typeof(BinanceMarketDataOptions)],
        [StreamingOptions.SectionName] = [typeof(StreamingOptions)],
        [KafkaStreamOptions.SectionName] = [typeof(KafkaStreamOptions)],
        [ReplayOptions.SectionName] = [typeof(ReplayOptions)],
        [StrategySeedOptions.SectionName] = [typeof(StrategySeedOptions)],
        [PortfolioOptions.SectionName] = [typeof(PortfolioOptions)],
        [SignalOptions.SectionName] = [typeof(SignalOptions)],
        [ExecutionOptions.SectionName] = [typeof(ExecutionOptions)],
        [RiskOptions.SectionName] = [typeof(RiskOptions), typeof(RiskLimits)],
        [InstrumentOptions.SectionName] = [typeof(InstrumentOptions)],
        [PaperBrokerOptions.SectionName] = [typeof(PaperBrokerOptions)],
        [AuditOptions.SectionName] = [typeof(AuditOptions)],
        [ApiSecurityOptions.SectionName] = [typeof(ApiSecurityOptions)],
    };

    /// <summary>Settings read directly rather than through an options class.</summary>
    private static readonly HashSet<string> DirectSettings = [LogRedaction.KeySetting];

    [Fact]
    public void Every_trading_setting_in_compose_kubernetes_and_dockerfiles_exists()
    {
        var deploy = PathResolver.FindExisting("deploy") ?? throw new DirectoryNotFoundException("deploy");
        var files = Directory.EnumerateFiles(deploy, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml") || f.EndsWith(".yaml") || f.EndsWith("Dockerfile"))
            .ToList();
        var keys = files.SelectMany(f => SettingKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Value.Replace("__", ":"))))
            .Distinct()
            .ToList();

        Assert.True(keys.Count >= 20, $"only {keys.Count} settings found: is the pattern right?");
        Assert.All(keys, k => Assert.True(Exists(k.Key), $"{k.File} sets {k.Key}, which no options class reads"));
    }

    [Fact]
    public void Every_way_to_start_a_silo_sets_the_same_gen0_budget()
    {
        var launchSettings = new[] { "Client.Api", "Silo", "tests/Benchmarks" }
            .Select(project => PathResolver.FindExisting(Path.Combine(project, "Properties", "launchSettings.json"))
                ?? throw new FileNotFoundException($"{project} has no launch settings"));
        var dockerfile = PathResolver.FindExisting(Path.Combine("deploy", "docker", "Silo.Dockerfile")) ?? throw new FileNotFoundException("Silo.Dockerfile");

        var budgets = launchSettings.Select(path => (Path: path, Value: LaunchGen0Budget().Match(File.ReadAllText(path)).Groups[1].Value))
            .Append((Path: dockerfile, Value: DockerGen0Budget().Match(File.ReadAllText(dockerfile)).Groups[1].Value))
            .ToList();

        Assert.All(budgets, b => Assert.True(b.Value == "0x10000000", $"{b.Path} sets DOTNET_GCgen0size to '{b.Value}'"));
    }

    [Theory]
    [InlineData("Trading:Cluster:Mode", true)]
    [InlineData("Trading:Mode", true)]
    [InlineData("Trading:Api:Keys:0:Sha256", true)]
    [InlineData("Trading:Risk:MaxOrderNotionl", false)]
    [InlineData("Trading:Nothing:Here", false)]
    public void The_checker_itself_tells_known_settings_from_typos(string key, bool exists)
    {
        Assert.Equal(exists, Exists(key));
    }

    private static bool Exists(string key)
    {
        if (DirectSettings.Contains(key))
        {
            return true;
        }

        var section = Sections.Keys.Where(s => key.StartsWith(s + ":", StringComparison.Ordinal)).MaxBy(s => s.Length);
        if (section is null)
        {
            return false;
        }

        return Sections[section].Any(type => Binds(type, key[(section.Length + 1)..].Split(':')));
    }

    /// <summary>Whether the binder finds a place for the setting's path in <paramref name="type"/> (list indexes and dictionary keys included).</summary>
    private static bool Binds(Type type, IEnumerable<string> path)
    {
        foreach (var segment in path)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
                continue;
            }

            if (int.TryParse(segment, out _) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
            {
                type = type.GetGenericArguments()[0];
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    [GeneratedRegex(@"""DOTNET_GCgen0size""\s*:\s*""([^""]+)""")]
    private static partial Regex LaunchGen0Budget();

    [GeneratedRegex(@"DOTNET_GCgen0size=(\S+)")]
    private static partial Regex DockerGen0Budget();

    [GeneratedRegex(@"Trading__[A-Za-z0-9_]+")]
    private static partial Regex SettingKey();
}
