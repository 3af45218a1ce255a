using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Observability;

namespace TradingOrleans.Client.Api.Security;

/// <summary>Authenticates the <c>X-Api-Key</c> header against <see cref="ApiKeyStore"/>; answers 401 and 403 as problem details.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    TradingMetrics metrics,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = ApiKeys.HeaderName;
    private const string FailureItem = "api-key-failure";

    /// <summary>The claim holding the key's pseudonym (<see cref="ApiKeyStore.Fingerprint"/>): what the audit trail names, never the holder.</summary>
    public const string KeyPseudonymClaim = "key-pseudonym";

    /// <summary>The scheme word of the alternative <c>Authorization: ApiKey &lt;key&gt;</c> header (what Prometheus can send).</summary>
    public const string AuthorizationScheme = ApiKeys.AuthorizationScheme;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiKeys.Presented(Request) is not { Length: > 0 } presented)
        {
            Context.Items[FailureItem] = "missing";
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (presented.Length > 256 || keys.Find(presented) is not { } holder)
        {
            Context.Items[FailureItem] = $"unknown key {ApiKeyStore.Fingerprint(presented)}";
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key"));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, holder.Name),
                new Claim(ClaimTypes.Role, holder.Role.ToString()),
                new Claim(KeyPseudonymClaim, ApiKeyStore.Fingerprint(presented)),
            ], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as string ?? "missing";
        metrics.ApiRequestRefused("unauthenticated");
        Audit("401", $"{failure} API key", AuditActor.Anonymous);
        SecurityLog.Unauthenticated(Logger, Request.Method, Request.Path, failure);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is required",
                Detail = $"Send a valid key in the {HeaderName} header.",
            },
        });
    }

    /// <summary>Refusals join the audit trail when this process keeps one (embedded mode); never with the key or the caller's address.</summary>
    private void Audit(string status, string why, AuditActor actor) =>
        Context.RequestServices.GetService<IAuditSink>()?.Write(new AuditEvent(
            TimeProvider.GetUtcNow(), AuditEventTypes.ApiRefusal, null, null, $"{status} {Request.Method} {Request.Path}: {why}", null, actor));

    /// <summary>The caller as the audit trail names them: the key's pseudonym and role, never the holder's name.</summary>
    public static AuditActor? ActorOf(ClaimsPrincipal user) =>
        user.FindFirstValue(KeyPseudonymClaim) is { } pseudonym ? AuditActor.Key(pseudonym, user.FindFirstValue(ClaimTypes.Role) ?? "") : null;

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        metrics.ApiRequestRefused("forbidden");
        // The key's pseudonym, not the holder's name: the trail (and the Kafka topic it feeds) keeps no name in clear.
        Audit("403", $"role {Context.User.FindFirstValue(ClaimTypes.Role)} of key {Context.User.FindFirstValue(KeyPseudonymClaim)}", ActorOf(Context.User) ?? AuditActor.Anonymous);
        SecurityLog.Forbidden(Logger, Request.Method, Request.Path, Context.User.Identity?.Name ?? "");
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The API key's role does not allow this",
                Detail = $"{Request.Method} {Request.Path} needs a higher role than {Context.User.FindFirstValue(ClaimTypes.Role)}.",
            },
        });
    }
}
