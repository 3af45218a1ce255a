using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TradingOrleans.Client.Api.Security;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Api.Security;

/// <summary>After a key holder's erasure nothing the service keeps ties their pseudonym to their name, and the audit trail is unchanged.</summary>
public sealed class KeyHolderErasureTests
{
    private const string Holder = "Alice Example";
    private const string AliceKey = "tok_alice-example-key-for-the-erasure-test";

    [Fact]
    public async Task Erasing_a_key_holder_leaves_their_pseudonym_in_the_intact_trail_and_nothing_that_names_them()
    {
        var database = TestSettings.NewDatabasePath();
        var folder = Path.GetDirectoryName(database)!;
        Directory.CreateDirectory(folder);
        var settingsFile = Path.Combine(folder, "appsettings.keys.json");
        File.WriteAllText(settingsFile, $$$"""
            {"Trading": {"Api": {"Keys": [
              {"Name": "{{{Holder}}}", "Role": "Trader", "Sha256": "{{{Convert.ToHexStringLower(ApiKeyStore.Hash(AliceKey))}}}"},
              {"Name": "desk-2", "Role": "Viewer", "Sha256": "{{{Convert.ToHexStringLower(ApiKeyStore.Hash("tok_desk-2"))}}}"}
            ] } } }
            """);
        var pseudonym = "key:" + ApiKeyStore.Fingerprint(AliceKey);
        var auditPath = Path.Combine(folder, "audit.jsonl");

        using (var api = Start(database, settingsFile))
        {
            var alice = api.CreateClient();
            alice.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, AliceKey);
            Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/v1/strategies", new StringContent(
                """{"id":"alices","type":"rsi-mean-reversion","symbols":["BTCUSDT"],"enabled":false}""", Encoding.UTF8, "application/json"))).StatusCode);
            Assert.Contains(pseudonym, await api.CreateClient(ApiRole.Admin).GetStringAsync("/api/v1/audit?type=strategy-config"));
        }

        var trailBefore = File.ReadAllBytes(auditPath);

        Assert.Equal([pseudonym["key:".Length..]], KeyHolderErasure.Erase(settingsFile, Holder));

        using (var api = Start(database, settingsFile))
        {
            var alice = api.CreateClient();
            alice.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, AliceKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/v1/strategies")).StatusCode);
            var created = JsonSerializer.Deserialize<JsonElement[]>(await api.CreateClient(ApiRole.Admin).GetStringAsync("/api/v1/audit?type=strategy-config"))!;
            Assert.Equal(pseudonym, Assert.Single(created).GetProperty("actor").GetProperty("id").GetString());
        }

        // The trail is as it was (the refused request only appended to it); the other holder's key stays.
        Assert.Equal(trailBefore, File.ReadAllBytes(auditPath).Take(trailBefore.Length));
        var remaining = File.ReadAllText(settingsFile);
        Assert.Contains("desk-2", remaining);
        Assert.DoesNotContain(pseudonym["key:".Length..], remaining, StringComparison.OrdinalIgnoreCase);

        // Nothing the service keeps — settings, database, audit files — holds the name any more.
        Assert.All(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), file =>
            Assert.DoesNotContain(Holder, Encoding.UTF8.GetString(File.ReadAllBytes(file)), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The API with the keys of <paramref name="settingsFile"/> (the test's own admin key added beside them).</summary>
    private static TradingApiFactory Start(string database, string settingsFile)
    {
        var settings = TestSettings.Quiet(database);
        foreach (var (key, value) in new ConfigurationBuilder().AddJsonFile(settingsFile).Build().AsEnumerable().Where(s => s.Value is not null))
        {
            settings[key] = value;
        }

        return new TradingApiFactory(settings);
    }
}
