using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// Remembers the grain interface type Orleans resolves for each non-generic interface, so a grain reference costs a
/// dictionary lookup instead of the resolution itself.
/// </summary>
/// <remarks>
/// Orleans resolves the interface type on every <c>GetGrain</c>: it asks each <see cref="IGrainInterfaceTypeProvider"/>
/// (the attribute provider reads the interface's custom attributes), then formats the interface's type name by
/// convention. The broadcast channel makes a reference to its subscriber's extension on every publish, so on the
/// trade path that resolution was about 4 % of the process's CPU (a profile under <c>ticks</c>). Registered first among
/// the providers, this one answers from memory; on a miss it computes what the resolver would without it — the other
/// providers in their order, then the convention — so every answer is the one Orleans gives. Generic interfaces are left
/// to the resolver, which adds their type arguments.
/// </remarks>
public sealed class RememberedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _resolved = new();
    private IGrainInterfaceTypeProvider[]? _others;

    /// <summary>Puts the provider ahead of those Orleans registered, so it is asked first.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, RememberedGrainInterfaceTypes>());

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        if (type.IsGenericType)
        {
            grainInterfaceType = default;
            return false;
        }

        if (!_resolved.TryGetValue(type, out grainInterfaceType))
        {
            grainInterfaceType = _resolved.GetOrAdd(type, Resolve(type));
        }

        return true;
    }

    private GrainInterfaceType Resolve(Type type)
    {
        _others ??= [.. services.GetServices<IGrainInterfaceTypeProvider>().Where(provider => !ReferenceEquals(provider, this))];
        foreach (var provider in _others)
        {
            if (provider.TryGetGrainInterfaceType(type, out var resolved))
            {
                return resolved;
            }
        }

        return services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceTypeByConvention(type);
    }
}
