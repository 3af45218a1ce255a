using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TradingOrleans.Client.Api.Security;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Reads a JSON body so that a malformed one becomes a 400 problem naming the offending field.</summary>
public static class JsonBody
{
    /// <param name="serializer">Options other than the API's (<see cref="Strict"/>); the API's when null.</param>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, JsonSerializerOptions? serializer = null)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The request body must be JSON",
                detail: "Send Content-Type: application/json."));
        }

        var services = request.HttpContext.RequestServices;
        serializer ??= services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var maxBytes = services.GetRequiredService<IOptions<ApiSecurityOptions>>().Value.MaxRequestBodyBytes;
        try
        {
            // Read under our own cap: the server's limit does not apply on every host (e.g. in-process test servers).
            if (await ReadCapped(request, maxBytes, cancellationToken) is not { } body)
            {
                return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "The request body is too large", detail: $"At most {maxBytes} bytes."));
            }

            var value = JsonSerializer.Deserialize<T>(body, serializer);
            return value is null
                ? (null, ValidationProblem("$", "A JSON object is required."))
                : (value, null);
        }
        catch (BadHttpRequestException exception)
        {
            // Too large a body, or one that stopped arriving: the status code says which.
            return (null, TypedResults.Problem(statusCode: exception.StatusCode, title: "The request body was refused", detail: exception.Message));
        }
        catch (JsonException exception)
        {
            var field = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path.TrimStart('$', '.');
            return (null, ValidationProblem(field, $"Not valid here: {FirstSentence(exception.Message)}"));
        }
    }

    /// <summary>
    /// The API's options that refuse unknown fields at every depth, for a body of types shared with other readers
    /// (which cannot carry the attribute): built once per API, as options cache what they learn of each type.
    /// </summary>
    public static JsonSerializerOptions Strict(IEndpointRouteBuilder endpoints) =>
        new(endpoints.ServiceProvider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions)
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        };

    private static async Task<byte[]?> ReadCapped(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult ValidationProblem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request body is not valid JSON for this endpoint");

    // System.Text.Json appends the path and position, which the problem's field name already carries.
    private static string FirstSentence(string message) => message.Split(" Path:")[0];
}
