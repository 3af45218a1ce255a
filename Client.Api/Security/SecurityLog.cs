namespace TradingOrleans.Client.Api.Security;

/// <summary>Security log messages; personal data in them is pseudonymised by the redactor.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "401 {Method} {Path}: {Failure} API key")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "403 {Method} {Path} for key holder {Holder}")]
    public static partial void Forbidden(ILogger logger, string method, string path, [PersonalData] string holder);
}
