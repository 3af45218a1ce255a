using Orleans.Runtime;

namespace TradingOrleans.Grains.Observability;

/// <summary>Who caused an audit event: an API key, named by its pseudonym and role, or the system itself.</summary>
/// <param name="Id"><c>key:</c> and the key's pseudonym, <c>system</c>, or <c>anonymous</c> (a request without a valid key).</param>
/// <param name="Role">The key's role; null for the system and anonymous callers.</param>
public sealed record AuditActor(string Id, string? Role)
{
    // Orleans carries request-context values with every grain call, from the API through every silo the call reaches.
    private const string IdContextKey = "trading.actor";
    private const string RoleContextKey = "trading.actor-role";

    /// <summary>The market, a venue, a timer or a strategy: nobody asked over the API.</summary>
    public static readonly AuditActor System = new("system", null);

    /// <summary>An API request that presented no valid key.</summary>
    public static readonly AuditActor Anonymous = new("anonymous", null);

    /// <summary>The holder of an API key, by the key's pseudonym: never the holder's name.</summary>
    public static AuditActor Key(string pseudonym, string role) => new($"key:{pseudonym}", role);

    /// <summary>The actor of the call in progress: the key whose API request it serves, or <see cref="System"/>.</summary>
    public static AuditActor Current =>
        RequestContext.Get(IdContextKey) is string id ? new AuditActor(id, RequestContext.Get(RoleContextKey) as string) : System;

    /// <summary>Makes <paramref name="actor"/> the actor of this request and of every grain call it makes.</summary>
    public static void Enter(AuditActor actor)
    {
        RequestContext.Set(IdContextKey, actor.Id);
        if (actor.Role is not null)
        {
            RequestContext.Set(RoleContextKey, actor.Role);
        }
    }
}
