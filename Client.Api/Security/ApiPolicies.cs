using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Security;

/// <summary>Authentication, role policies and rate limits of the REST API.</summary>
public static class ApiPolicies
{
    public const string Viewer = "viewer";
    public const string Trader = "trader";
    public const string Admin = "admin";

    /// <summary>Rate-limit policy for reads (per key, or per client address without one).</summary>
    public const string ReadLimit = "read";

    /// <summary>Rate-limit policy for endpoints that change trading, stricter.</summary>
    public const string MutationLimit = "mutation";

    public static IServiceCollection AddApiSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiSecurityOptions>().Bind(configuration.GetSection(ApiSecurityOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiSecurityOptions>>(new Grains.Hosting.SectionValidator<ApiSecurityOptions>(ApiSecurityOptions.SectionName));
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Viewer, p => p.RequireRole(nameof(ApiRole.Viewer), nameof(ApiRole.Trader), nameof(ApiRole.Admin)))
            .AddPolicy(Trader, p => p.RequireRole(nameof(ApiRole.Trader), nameof(ApiRole.Admin)))
            .AddPolicy(Admin, p => p.RequireRole(nameof(ApiRole.Admin)));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(ReadLimit, context => Partition(context, o => o.RequestsPerMinute));
            limiter.AddPolicy(MutationLimit, context => Partition(context, o => o.MutationsPerMinute));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                context.RequestServices.GetRequiredService<TradingMetrics>().ApiRequestRefused("rate-limited");
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Retry after {context.Response.Headers.RetryAfter} seconds.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>
    /// Names the caller of every authenticated request as the actor of the grain calls it makes, so the audit events
    /// it causes (a strategy saved, limits changed, an order placed) carry the key's pseudonym and role.
    /// </summary>
    public static IApplicationBuilder UseAuditActor(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (ApiKeyAuthenticationHandler.ActorOf(context.User) is { } actor)
        {
            AuditActor.Enter(actor);
        }

        return next(context);
    });

    /// <summary>One fixed one-minute window per key holder (authenticated) or per client address (not).</summary>
    private static RateLimitPartition<string> Partition(HttpContext context, Func<ApiSecurityOptions, int> perMinute)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<ApiSecurityOptions>>().Value;
        var partitionKey = context.User.Identity?.IsAuthenticated == true
            ? $"key:{context.User.FindFirstValue(ClaimTypes.Name)}"
            : $"ip:{context.Connection.RemoteIpAddress}";
        return RateLimitPartition.GetFixedWindowLimiter(partitionKey, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute(settings),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
