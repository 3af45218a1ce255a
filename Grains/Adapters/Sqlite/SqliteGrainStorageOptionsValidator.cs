using Microsoft.Extensions.Options;

namespace TradingOrleans.Grains.Adapters.Sqlite;

/// <summary>Checks the options of the SQLite storage named <paramref name="name"/> when the host starts.</summary>
internal sealed class SqliteGrainStorageOptionsValidator(string name) : IValidateOptions<SqliteGrainStorageOptions>
{
    private static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? optionsName, SqliteGrainStorageOptions options) =>
        !string.Equals(optionsName, name, StringComparison.Ordinal)
            ? ValidateOptionsResult.Skip
            : Failures(name, options) is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;

    public static List<string> Failures(string name, SqliteGrainStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            failures.Add($"{SqliteGrainStorageOptions.SqlitePathSetting}: required, the SQLite database file of grain storage '{name}' is not set");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > MaxBusyTimeout)
        {
            failures.Add($"{SqliteGrainStorageOptions.SectionName}:{nameof(SqliteGrainStorageOptions.BusyTimeout)}: {options.BusyTimeout} is outside (0, {MaxBusyTimeout}] for grain storage '{name}'");
        }

        return failures;
    }
}
