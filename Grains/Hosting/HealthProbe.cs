namespace TradingOrleans.Grains.Hosting;

/// <summary>
/// <c>… healthcheck [url]</c>: asks a running host's readiness endpoint and exits 0 when it answers 200. Container
/// health checks use it, since the runtime images carry no curl.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    public static async Task<int> RunAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
