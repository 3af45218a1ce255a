using TradingOrleans.Grains.Interfaces.Portfolio;

namespace TradingOrleans.Grains.Portfolio;

/// <summary>The account at the venue orders go to (Binance in <c>Testnet</c> and <c>Live</c>): what it holds, read on request.</summary>
public interface IVenueAccount
{
    /// <summary>The venue's name, as routing knows it.</summary>
    string Venue { get; }

    /// <summary>The symbols traded there: their base assets are the portfolio's positions.</summary>
    IReadOnlyList<string> Symbols { get; }

    /// <summary>Reads every balance and the fee rate.</summary>
    /// <exception cref="HttpRequestException">The venue did not answer, or refused.</exception>
    Task<AccountSnapshot> ReadAsync(CancellationToken cancellationToken);
}
