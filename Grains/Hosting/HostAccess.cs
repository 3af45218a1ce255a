using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// Who may read a host's operational endpoints beside the API: the silo host's <c>/metrics</c> and either host's
/// Orleans Dashboard, which has no authentication of its own.
/// </summary>
public static class HostAccess
{
    /// <summary>The configured API keys, by SHA-256 (the API's own setting): the silo host accepts any of them for its metrics.</summary>
    public const string KeysSection = "Trading:Api:Keys";

    /// <summary>
    /// <c>/metrics</c> answers a caller that presents one of <see cref="KeysSection"/>'s keys, as Prometheus sends it
    /// (<c>Authorization: ApiKey &lt;key&gt;</c>) or as <c>X-Api-Key</c>; 401 otherwise. With no key configured (a silo
    /// on one machine, listening on 127.0.0.1 by default) it answers only callers on this machine.
    /// </summary>
    public static IApplicationBuilder UseMetricsKey(this IApplicationBuilder app, IConfiguration configuration)
    {
        var hashes = configuration.GetSection(KeysSection).GetChildren()
            .Select(key => key["Sha256"]).Where(hash => !string.IsNullOrWhiteSpace(hash)).Select(hash => Convert.FromHexString(hash!)).ToList();
        return app.UseWhen(context => context.Request.Path.StartsWithSegments("/metrics"), metrics => metrics.Use((context, next) =>
        {
            if (hashes.Count == 0)
            {
                return IsLocal(context) ? next(context)
                    : Refuse(context, StatusCodes.Status403Forbidden, $"No API key is configured ({KeysSection}): metrics answer only callers on this machine");
            }

            return ApiKeys.Presented(context.Request) is { } key && ApiKeys.IndexOf(hashes, key) >= 0 ? next(context)
                : Refuse(context, StatusCodes.Status401Unauthorized, "Metrics need an API key (Authorization: ApiKey <key>, or X-Api-Key)");
        }));
    }

    /// <summary>Requests under <paramref name="prefix"/> answer only callers on this machine (403 otherwise).</summary>
    public static IApplicationBuilder UseLocalCallersOnly(this IApplicationBuilder app, PathString prefix, string title) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(prefix), local => local.Use((context, next) =>
            IsLocal(context) ? next(context) : Refuse(context, StatusCodes.Status403Forbidden, title)));

    /// <summary>A loopback caller, or one with no IP address at all (a Unix socket, an in-process test server).</summary>
    private static bool IsLocal(HttpContext context) => context.Connection.RemoteIpAddress is not { } address || IPAddress.IsLoopback(address);

    private static Task Refuse(HttpContext context, int status, string title) => Results.Problem(statusCode: status, title: title).ExecuteAsync(context);
}
