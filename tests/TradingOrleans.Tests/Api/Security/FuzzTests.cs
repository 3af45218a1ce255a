using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

/// <summary>Thousands of malformed or hostile requests to every mutating endpoint: no 5xx, no state change.</summary>
public sealed class FuzzTests
{
    private const int RequestsPerEndpoint = 800;

    /// <summary>Hostile bodies: broken JSON, wrong types, huge and special numbers, deep nesting, long strings, bad UTF-8.</summary>
    private static byte[] HostileBody(Random random)
    {
        string Long(int n) => new((char)('a' + random.Next(26)), n);
        string Deep(int depth) => new string('[', depth) + new string(']', depth);
        var text = random.Next(22) switch
        {
            0 => "",
            1 => "{",
            2 => "null",
            3 => "[]",
            4 => "\"just a string\"",
            5 => """{"id":"x","type":"sma-crossover","symbols":"BTCUSDT"}""",
            6 => """{"id":"x","type":"sma-crossover","symbols":["BTCUSDT"],"weight":1e400}""",
            7 => """{"id":"x","type":"sma-crossover","symbols":["BTCUSDT"],"weight":NaN}""",
            8 => """{"id":"x","type":"sma-crossover","symbols":["BTCUSDT"],"parameters":{"fast":-1e308}}""",
            9 => $$"""{"id":"x","type":"sma-crossover","symbols":{{Deep(200)}}}""",
            10 => $$"""{"id":"{{Long(100_000)}}","type":"sma-crossover","symbols":["BTCUSDT"]}""",
            11 => $$"""{"id":"x","type":"{{Long(5_000)}}","symbols":["BTCUSDT"]}""",
            12 => $$"""{"id":"x","type":"sma-crossover","symbols":[{{string.Join(",", Enumerable.Repeat("\"BTCUSDT\"", 500))}}]}""",
            13 => """{"id":"x","type":"sma-crossover","symbols":[null,1,true]}""",
            14 => """{"id":"x","type":"sma-crossover","symbols":["BTCUSDT"],"enabled":"yes"}""",
            15 => """{"id":"x","type":"pairs-ols","symbols":["ETHUSDT"],"parameters":{"window":1.5}}""",
            16 => """{"id":"x","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"parameters":{"exit":120}}""",
            17 => """{"id":"x","type":"sma-crossover","symbols":["BTCUSDT"],"parameters":{""" + string.Join(",", Enumerable.Range(0, 200).Select(i => $"\"p{i}\":1")) + "}}",
            18 => """{"id":"x","id":"y","type":"sma-crossover","symbols":["BTCUSDT"],"weight":0}""",
            19 => $$"""{"id":"x","type":"sma-crossover","symbols":["BTCUSDT"],"extra":{{Deep(60)}}}""",
            20 => """{"id":"\u0000\ud800","type":"sma-crossover","symbols":["BTCUSDT"]}""",
            _ => "",
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        if (text.Length == 0)
        {
            // Invalid UTF-8: lone continuation bytes and an overlong encoding.
            bytes = [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0x80, 0xBF, 0xC0, 0xAF, 0x22, 0x7D];
        }

        return bytes;
    }

    [Fact]
    public async Task Hostile_requests_to_every_mutating_endpoint_never_get_a_5xx_nor_change_state()
    {
        var settings = TestSettings.For(TestSettings.NewDatabasePath(), replay: false);
        settings["Trading:Api:MutationsPerMinute"] = "1000000";
        settings["Trading:Api:RequestsPerMinute"] = "1000000";
        using var factory = new TradingApiFactory(settings);
        var admin = factory.CreateClient(ApiRole.Admin);
        var before = await admin.GetStringAsync("/api/v1/strategies");
        var limitsBefore = await admin.GetStringAsync("/api/v1/risk/limits");
        var random = new Random(2026);
        var statuses = new Dictionary<int, int>();

        async Task Send(HttpRequestMessage request)
        {
            var status = (int)(await admin.SendAsync(request)).StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{request.Method} {request.RequestUri} answered {status}");
        }

        HttpContent Body() => new ByteArrayContent(HostileBody(random)) { Headers = { ContentType = new("application/json") } };
        string HostileId() => random.Next(4) switch
        {
            0 => Uri.EscapeDataString(new string('z', 3_000)),
            1 => "%FF%FE%C0%AF",
            2 => "..%2F..%2Fsecrets",
            _ => Uri.EscapeDataString("🚀\u202e" + random.Next()),
        };

        for (var i = 0; i < RequestsPerEndpoint; i++)
        {
            await Send(new HttpRequestMessage(HttpMethod.Post, "/api/v1/strategies") { Content = Body() });
            await Send(new HttpRequestMessage(HttpMethod.Put, "/api/v1/strategies/rsi-14") { Content = Body() });
            await Send(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/strategies/{HostileId()}") { Content = Body() });
            await Send(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/strategies/{HostileId()}"));
            await Send(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/risk/halt?reason={Uri.EscapeDataString(new string('!', 201 + random.Next(5_000)))}"));
            await Send(new HttpRequestMessage(HttpMethod.Put, "/api/v1/risk/limits") { Content = Body() });
            await Send(new HttpRequestMessage(HttpMethod.Post, "/api/v1/analytics/cointegration") { Content = Body() });
            await Send(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/strategies/{HostileId()}/state"));
            await Send(new HttpRequestMessage(HttpMethod.Post, "/api/v1/backtests") { Content = Body() });
            await Send(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/backtests/{HostileId()}"));
            await Send(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/backtests/{HostileId()}/report"));
        }

        Assert.Equal(before, await admin.GetStringAsync("/api/v1/strategies"));
        Assert.Equal("Active", (await admin.GetFromJsonAsync<JsonElement>("/api/v1/risk")).GetProperty("state").GetString());
        Assert.Equal(limitsBefore, await admin.GetStringAsync("/api/v1/risk/limits"));
        Assert.Equal("[]", await admin.GetStringAsync("/api/v1/backtests"));
        Assert.Equal(RequestsPerEndpoint * 11, statuses.Values.Sum());
    }
}
