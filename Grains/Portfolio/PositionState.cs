namespace TradingOrleans.Grains.Portfolio;

/// <summary>One symbol's holding inside <see cref="PortfolioState"/>.</summary>
[GenerateSerializer]
public sealed class PositionState
{
    /// <summary>Signed quantity in the base asset; negative is short.</summary>
    [Id(0)] public decimal Quantity { get; set; }

    /// <summary>Volume-weighted entry price of the open quantity, rounded to <see cref="PortfolioLedger.AverageCostDecimals"/> places; 0 when flat.</summary>
    [Id(1)] public decimal AverageCost { get; set; }

    /// <summary>Closed-trade profit in the quote asset before fees, including the rounding slivers of <see cref="AverageCost"/>.</summary>
    [Id(2)] public decimal RealizedPnl { get; set; }

    [Id(3)] public decimal LastPrice { get; set; }

    /// <summary>
    /// Units in <see cref="Quantity"/> brought in (found in the account, deposited) while the symbol had no price: their
    /// cost and value are set at the first price seen, a mark or a fill (<see cref="PortfolioLedger.Transfer"/>).
    /// </summary>
    [Id(4)] public decimal UnpricedQuantity { get; set; }
}
