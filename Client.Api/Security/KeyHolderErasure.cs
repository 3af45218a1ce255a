using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradingOrleans.Client.Api.Security;

/// <summary>
/// A key holder's erasure (GDPR art. 17): their entries leave <c>Trading:Api:Keys</c> in a JSON settings file, which
/// revokes their keys and removes the only record that ties a key's pseudonym in the audit trail to their name.
/// The trail itself is not touched (docs/operations.md, "Erasing a key holder").
/// </summary>
public static class KeyHolderErasure
{
    public const string Command = "erase-key-holder";

    /// <summary>Removes every key of <paramref name="holderName"/> from the settings file; returns the pseudonyms those keys had in the audit trail.</summary>
    public static IReadOnlyList<string> Erase(string settingsPath, string holderName)
    {
        var settings = JsonNode.Parse(File.ReadAllText(settingsPath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        if (settings["Trading"]?["Api"]?["Keys"] is not JsonArray keys)
        {
            return [];
        }

        var erased = keys.Where(k => k?["Name"]?.GetValue<string>() == holderName).ToList();
        foreach (var entry in erased)
        {
            keys.Remove(entry);
        }

        File.WriteAllText(settingsPath, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        // The pseudonym is the first 8 hex digits of the key's SHA-256, which is what the entry held.
        return [.. erased.Select(e => (e?["Sha256"]?.GetValue<string>() ?? "").ToLowerInvariant()).Where(h => h.Length == 64).Select(h => h[..8])];
    }

    /// <summary>The command line: <c>erase-key-holder &lt;settings.json&gt; &lt;holder name&gt;</c>; prints the pseudonyms made unlinkable, never the name.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count != 3)
        {
            Console.Error.WriteLine($"usage: {Command} <settings.json> <holder name>");
            return 2;
        }

        var pseudonyms = Erase(args[1], args[2]);
        if (pseudonyms.Count == 0)
        {
            Console.Error.WriteLine($"No key of that holder in {args[1]}: nothing erased.");
            return 1;
        }

        Console.WriteLine($"Erased {pseudonyms.Count} key(s) from {args[1]}; audit pseudonyms now unlinkable: {string.Join(", ", pseudonyms.Select(p => "key:" + p))}");
        Console.WriteLine("Restart every API process, and purge this holder's entries from backups and secret stores (docs/operations.md).");
        return 0;
    }
}
