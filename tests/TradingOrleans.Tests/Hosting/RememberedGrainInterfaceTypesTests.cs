using Microsoft.Extensions.DependencyInjection;
using Orleans.BroadcastChannel;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Risk;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Hosting;

/// <summary>A silo answers grain interface types from memory, and every answer is the one Orleans gives without it.</summary>
public sealed class RememberedGrainInterfaceTypesTests
{
    [Fact]
    public async Task Every_interface_resolves_as_orleans_resolves_it_and_is_asked_of_the_providers_once()
    {
        var asked = new CountingProvider();
        await using var cluster = await TradingTestCluster.StartAsync(TestSettings.Quiet(TestSettings.NewDatabasePath()),
            services: s => s.AddSingleton<IGrainInterfaceTypeProvider>(asked));
        var silo = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress);

        var providers = silo.GetServices<IGrainInterfaceTypeProvider>().ToList();
        Assert.IsType<RememberedGrainInterfaceTypes>(providers[0]);
        var withoutMemory = new GrainInterfaceTypeResolver(providers.Skip(1), silo.GetRequiredService<TypeConverter>());
        var resolver = silo.GetRequiredService<GrainInterfaceTypeResolver>();

        Type[] interfaces =
        [
            .. typeof(IRiskGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && !t.ContainsGenericParameters),
            typeof(IManagementGrain),
            // What the broadcast channel makes a reference to on every publish: an internal Orleans interface.
            typeof(IBroadcastChannelProvider).Assembly.GetType("Orleans.BroadcastChannel.IBroadcastChannelConsumerExtension", throwOnError: true)!,
            typeof(IAttributedGrain),
        ];
        Assert.True(interfaces.Length > 15);
        foreach (var type in interfaces)
        {
            Assert.Equal(withoutMemory.GetGrainInterfaceType(type), resolver.GetGrainInterfaceType(type));
        }

        Assert.Equal(GrainInterfaceType.Create("remembered-test"), resolver.GetGrainInterfaceType(typeof(IAttributedGrain)));

        var before = asked.Count(typeof(IRiskGrain));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(withoutMemory.GetGrainInterfaceType(typeof(IRiskGrain)), resolver.GetGrainInterfaceType(typeof(IRiskGrain)));
        }

        // Asked once more by the resolver built without memory each time, never by the silo's own.
        Assert.Equal(before + 3, asked.Count(typeof(IRiskGrain)));
        Assert.NotNull(await cluster.Client.GetGrain<IRiskGrain>(0).GetLimits());
    }

    [GrainInterfaceType("remembered-test")]
    public interface IAttributedGrain : IGrainWithIntegerKey
    {
        Task Ping();
    }

    /// <summary>Answers nothing and counts what it was asked.</summary>
    private sealed class CountingProvider : IGrainInterfaceTypeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, int> _asked = new();

        public int Count(Type type) => _asked.GetValueOrDefault(type);

        public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
        {
            _asked.AddOrUpdate(type, 1, (_, n) => n + 1);
            grainInterfaceType = default;
            return false;
        }
    }
}
