using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace TradingOrleans.Client.Api.Endpoints;

/// <summary>Reads a JSON body so that a malformed one becomes a 400 problem naming the offending field.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The request body must be JSON",
                detail: "Send Content-Type: application/json."));
        }

        var serializer = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await request.ReadFromJsonAsync<T>(serializer, cancellationToken);
            return value is null
                ? (null, ValidationProblem("$", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var field = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path.TrimStart('$', '.');
            return (null, ValidationProblem(field, $"Not valid here: {FirstSentence(exception.Message)}"));
        }
    }

    private static IResult ValidationProblem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request body is not valid JSON for this endpoint");

    // System.Text.Json appends the path and position, which the problem's field name already carries.
    private static string FirstSentence(string message) => message.Split(" Path:")[0];
}
