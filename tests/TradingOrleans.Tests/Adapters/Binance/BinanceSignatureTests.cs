using System.Text.Json;
using TradingOrleans.Grains.Adapters.Binance;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Adapters.Binance;

/// <summary>Our HMAC signing against every worked example Binance documents (Fixtures/binance/signature_test_vectors.json).</summary>
public sealed class BinanceSignatureTests
{
    public static TheoryData<string> Vectors() =>
        [.. JsonDocument.Parse(BinanceFixtures.Raw("signature_test_vectors")).RootElement.EnumerateArray()
            .Where(v => v.GetProperty("algorithm").GetString()!.StartsWith("HMAC", StringComparison.Ordinal))
            .Select(v => v.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_documented_hmac_example_gives_the_documented_signature(string name)
    {
        var vector = JsonDocument.Parse(BinanceFixtures.Raw("signature_test_vectors")).RootElement.EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var payload = vector.GetProperty("payload").GetString()!;

        Assert.Equal(vector.GetProperty("signature").GetString(), BinanceSignature.Sign(vector.GetProperty("secretKey").GetString()!, payload));
    }

    [Fact]
    public void The_rest_payload_is_the_percent_encoded_query_string()
    {
        // rest-api.md: the symbol "１２３４５６" (fullwidth digits) is percent-encoded before signing.
        var query = BinanceSignature.QueryString(
        [
            new("symbol", "１２３４５６"), new("side", "BUY"), new("type", "LIMIT"), new("timeInForce", "GTC"),
            new("quantity", "1"), new("price", "0.1"), new("recvWindow", "5000"), new("timestamp", "1499827319559"),
        ]);

        Assert.Equal("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", query);
        Assert.Equal("e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3", BinanceSignature.Sign(FakeBinanceExchange.SecretKey, query));
    }

    [Fact]
    public void The_websocket_api_payload_sorts_parameters_and_does_not_encode_them()
    {
        // web-socket-api.md "SIGNED request example (HMAC)": parameters given in any order.
        var payload = BinanceSignature.WebSocketApiPayload(
        [
            new("symbol", "BTCUSDT"), new("side", "SELL"), new("type", "LIMIT"), new("timeInForce", "GTC"), new("quantity", "0.01000000"),
            new("price", "52000.00"), new("recvWindow", "100"), new("timestamp", "1645423376532"), new("apiKey", FakeBinanceExchange.ApiKey),
            new("signature", "ignored"),
        ]);

        Assert.Equal($"apiKey={FakeBinanceExchange.ApiKey}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT", payload);
        Assert.Equal("aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24", BinanceSignature.Sign(FakeBinanceExchange.SecretKey, payload));
    }
}
