using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Execution;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Backtesting;

/// <summary>
/// Every figure of a realistic run against an independent implementation of the same definitions in pandas and numpy
/// (Debian's python3-pandas): daily and monthly returns by resample().last(), the drawdown by cummax, the deviations
/// by numpy with ddof 1, the round trips by splitting flipping fills and numbering pieces with cumulative sums.
/// </summary>
public sealed class PerformanceMetricsPandasTests
{
    private const string Script = """
        import json, sys
        from decimal import Decimal, getcontext
        import numpy as np
        import pandas as pd

        getcontext().prec = 60
        d = json.loads(sys.stdin.read(), parse_float=Decimal)
        start = float(d["start"])
        samples = pd.DataFrame(d["samples"])
        samples.index = pd.to_datetime(samples.pop("time"), utc=True)
        equity = samples["equity"].astype(float)
        times = equity.index
        root_year = np.sqrt(365.0)

        def chained(rule):
            last = equity.resample(rule).last().dropna()
            base = last.shift(1)
            base.iloc[0] = start
            return last / base - 1

        daily = chained("1D")
        monthly = chained("M")
        r = daily.to_numpy()
        sd = np.std(r, ddof=1)
        downside = np.sqrt(np.mean(np.minimum(r, 0.0) ** 2))

        total = equity.iloc[-1] / start - 1
        years = (times[-1] - times[0]) / pd.Timedelta(days=365)
        annualised = (1 + total) ** (1 / years) - 1

        peaks = pd.Series(np.r_[start, equity.to_numpy()]).cummax().to_numpy()[1:]
        drawdown = equity.to_numpy() / peaks - 1
        # An episode starts at each sample at its running peak; its samples after that are under water, and it lasts until
        # the next episode's first sample (or the last sample). Episode 0 holds samples under the start before any peak.
        episode = np.cumsum(equity.to_numpy() >= peaks)
        longest = pd.Timedelta(0)
        for k in np.unique(episode):
            members = np.flatnonzero(episode == k)
            under = members if k == 0 else members[1:]
            if len(under) == 0:
                continue
            began = times[0] if k == 0 else times[members[0]]
            after = members[-1] + 1
            longest = max(longest, (times[after] if after < len(times) else times[-1]) - began)

        # Round trips: split each flipping fill at zero (fee pro rata), then number the pieces of a symbol by how many of its
        # closes came before; a trip is closed when its last piece leaves the position at zero.
        pieces = []
        held = {}
        for i, f in enumerate(d["fills"]):
            qty = f["quantity"] if f["side"] == "Buy" else -f["quantity"]
            before = held.get(f["symbol"], Decimal(0))
            after = before + qty
            if before * after < 0:
                closing_fee = f["fee"] * abs(before) / f["quantity"]
                parts = [(-before, closing_fee), (after, f["fee"] - closing_fee)]
            else:
                parts = [(qty, f["fee"])]
            for part, fee in parts:
                pieces.append({"fill": i, "symbol": f["symbol"], "time": f["time"], "qty": part, "cash": -part * f["price"], "fee": fee})
            held[f["symbol"]] = after
        p = pd.DataFrame(pieces)
        p["position"] = p.groupby("symbol")["qty"].transform(lambda q: q.cumsum())
        p["flat"] = p["position"].map(lambda x: x == 0)
        p["trip"] = p.groupby("symbol")["flat"].transform(lambda c: c.shift(1, fill_value=False).cumsum())
        trips = []
        for (symbol, _), g in p.groupby(["symbol", "trip"], sort=False):
            if not g["flat"].iloc[-1]:
                continue
            fees = sum(g["fee"], Decimal(0))
            trips.append({"closing": int(g["fill"].iloc[-1]), "symbol": symbol, "direction": 1 if g["qty"].iloc[0] > 0 else -1,
                          "opened": g["time"].iloc[0], "closed": g["time"].iloc[-1],
                          "net": sum(g["cash"], Decimal(0)) - fees, "fees": fees})
        trips.sort(key=lambda t: t["closing"])
        nets = [t["net"] for t in trips]
        wins = sum(n for n in nets if n > 0)
        losses = -sum(n for n in nets if n < 0)
        fills = pd.DataFrame(d["fills"])
        notional = sum(abs(q * pr) for q, pr in zip(fills["quantity"], fills["price"]))

        print(json.dumps({
            "endEquity": str(samples["equity"].iloc[-1]),
            "total": total, "annualised": annualised,
            "buyAndHold": float(samples["buyAndHold"].iloc[-1]) / start - 1,
            "volatility": sd * root_year, "sharpe": r.mean() / sd * root_year, "sortino": r.mean() / downside * root_year,
            "maxDrawdown": drawdown.min(), "calmar": annualised / abs(drawdown.min()),
            "maxDrawdownSeconds": longest.total_seconds(),
            "winRate": sum(1 for n in nets if n > 0) / len(nets), "profitFactor": float(wins / losses),
            "averageTrade": float(sum(nets, Decimal(0)) / len(nets)),
            "exposure": float((samples["grossExposure"].astype(float) > 0).mean()),
            "turnover": float(notional) / equity.mean(),
            "fees": str(sum(fills["fee"], Decimal(0))), "tradeCount": len(trips), "fillCount": len(fills),
            "flips": int(p["fill"].duplicated().sum()),
            "daily": [[day.strftime("%Y-%m-%d"), v] for day, v in daily.items()],
            "monthly": [[m.year, m.month, v] for m, v in monthly.items()],
            "trips": [{**t, "net": str(t["net"]), "fees": str(t["fees"])} for t in trips],
        }))
        """;

    [Fact]
    public void Every_figure_of_a_random_run_matches_an_independent_pandas_computation()
    {
        var (startEquity, equity, fills) = RandomRun(seed: 11);

        var summary = PerformanceMetrics.Compute(startEquity, equity, fills);
        var daily = PerformanceMetrics.DailyReturns(startEquity, equity);
        var monthly = PerformanceMetrics.MonthlyReturns(startEquity, equity);
        var trips = RoundTrips.From(fills);

        var reference = DebianPython.Run("pandas", "python3-pandas", Script, new
        {
            start = startEquity,
            samples = equity.Select(s => new { time = s.Time, equity = s.Equity, buyAndHold = s.BuyAndHold, grossExposure = s.GrossExposure }),
            fills = fills.Select(f => new { time = f.Time, symbol = f.Symbol, side = f.Side.ToString(), quantity = f.Quantity, price = f.Price, fee = f.Fee }),
        });

        // The run must exercise what the definitions are about: flips, both directions, several months, a drawdown.
        Assert.True(reference.GetProperty("flips").GetInt32() >= 3, "the random run should flip positions");
        Assert.Contains(trips, t => t.Direction > 0);
        Assert.Contains(trips, t => t.Direction < 0);
        Assert.True(monthly.Count >= 2 && summary.MaxDrawdown < 0);

        Assert.Equal(Money(reference, "endEquity"), summary.EndEquity);
        Close(reference, "total", summary.TotalReturn);
        Close(reference, "annualised", summary.AnnualisedReturn);
        Close(reference, "buyAndHold", summary.BuyAndHoldReturn);
        Close(reference, "volatility", summary.Volatility!.Value);
        Close(reference, "sharpe", summary.Sharpe!.Value);
        Close(reference, "sortino", summary.Sortino!.Value);
        Close(reference, "calmar", summary.Calmar!.Value);
        Close(reference, "maxDrawdown", summary.MaxDrawdown);
        Assert.Equal(reference.GetProperty("maxDrawdownSeconds").GetDouble(), summary.MaxDrawdownDuration.TotalSeconds);
        Close(reference, "winRate", summary.WinRate!.Value);
        Close(reference, "profitFactor", summary.ProfitFactor!.Value);
        Close(reference, "averageTrade", (double)summary.AverageTrade!.Value);
        Close(reference, "exposure", summary.Exposure);
        Close(reference, "turnover", summary.Turnover);
        Assert.Equal(Money(reference, "fees"), summary.Fees);
        Assert.Equal(reference.GetProperty("tradeCount").GetInt32(), summary.TradeCount);
        Assert.Equal(reference.GetProperty("fillCount").GetInt32(), summary.FillCount);

        var expectedDaily = reference.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(expectedDaily.Select(d => DateOnly.Parse(d[0].GetString()!, CultureInfo.InvariantCulture)), daily.Select(d => d.Day));
        for (var i = 0; i < daily.Count; i++)
        {
            Close(expectedDaily[i][1].GetDouble(), daily[i].Return, $"daily return of {daily[i].Day}");
        }

        var expectedMonthly = reference.GetProperty("monthly").EnumerateArray().ToList();
        Assert.Equal(expectedMonthly.Select(m => (m[0].GetInt32(), m[1].GetInt32())), monthly.Select(m => (m.Year, m.Month)));
        for (var i = 0; i < monthly.Count; i++)
        {
            Close(expectedMonthly[i][2].GetDouble(), monthly[i].Return, $"return of {monthly[i].Year}-{monthly[i].Month}");
        }

        var expectedTrips = reference.GetProperty("trips").EnumerateArray().ToList();
        Assert.Equal(expectedTrips.Count, trips.Count);
        for (var i = 0; i < trips.Count; i++)
        {
            var expected = expectedTrips[i];
            Assert.Equal(expected.GetProperty("symbol").GetString(), trips[i].Symbol);
            Assert.Equal(expected.GetProperty("direction").GetInt32(), trips[i].Direction);
            Assert.Equal(DateTimeOffset.Parse(expected.GetProperty("opened").GetString()!, CultureInfo.InvariantCulture), trips[i].Opened);
            Assert.Equal(DateTimeOffset.Parse(expected.GetProperty("closed").GetString()!, CultureInfo.InvariantCulture), trips[i].Closed);
            // pandas' side keeps 60 digits where decimal keeps 28, so a pro-rata fee may differ in the last places.
            Close((double)Money(expected, "net"), (double)trips[i].NetPnl, $"net PnL of round trip {i}");
            Close((double)Money(expected, "fees"), (double)trips[i].Fees, $"fees of round trip {i}");
        }
    }

    /// <summary>
    /// 40 days of 5-minute samples (a seeded random walk, written at +03:00 so the UTC day and month matter) and 60
    /// fills on two symbols with random sides and sizes, which flip positions, and now and then an exact close.
    /// </summary>
    private static (decimal Start, EquitySample[] Equity, BacktestFill[] Fills) RandomRun(int seed)
    {
        const decimal start = 10_000m;
        var random = new Random(seed);
        var first = new DateTimeOffset(2024, 1, 25, 0, 5, 0, TimeSpan.Zero);
        double equity = 10_000, benchmark = 10_000;
        var samples = new EquitySample[40 * 288];
        for (var i = 0; i < samples.Length; i++)
        {
            equity *= 1 + 0.0015 * Normal.Sample(random, 0, 1);
            benchmark *= 1 + 0.002 * Normal.Sample(random, 0, 1);
            var exposure = random.NextDouble() < 0.3 ? 0 : Math.Round((decimal)(equity * random.NextDouble()), 2);
            samples[i] = new EquitySample(first.AddMinutes(5 * i).ToOffset(TimeSpan.FromHours(3)),
                Math.Round((decimal)equity, 2), Math.Round((decimal)benchmark, 2), exposure);
        }

        (string Symbol, double Price, double MaxQuantity)[] symbols = [("BTCUSDT", 40_000, 0.5), ("ETHUSDT", 2_500, 5)];
        var positions = new decimal[symbols.Length];
        var fills = new List<BacktestFill>();
        foreach (var index in Enumerable.Range(0, 60).Select(_ => random.Next(samples.Length)).Order())
        {
            var s = random.Next(symbols.Length);
            symbols[s].Price *= 1 + 0.01 * Normal.Sample(random, 0, 1);
            var closes = positions[s] != 0 && random.NextDouble() < 0.3;
            var quantity = closes ? Math.Abs(positions[s]) : Math.Round((decimal)(random.NextDouble() * symbols[s].MaxQuantity), 3) + 0.001m;
            var side = closes ? (positions[s] > 0 ? OrderSide.Sell : OrderSide.Buy) : (random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell);
            var price = Math.Round((decimal)symbols[s].Price, 2);
            positions[s] += side == OrderSide.Buy ? quantity : -quantity;
            fills.Add(new BacktestFill(samples[index].Time, symbols[s].Symbol, side, quantity, price, Math.Round(quantity * price * 0.001m, 8), $"order-{fills.Count}"));
        }

        return (start, samples, [.. fills]);
    }

    private static decimal Money(JsonElement element, string property) =>
        decimal.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    private static void Close(JsonElement reference, string property, double actual) =>
        Close(reference.GetProperty(property).GetDouble(), actual, property);

    private static void Close(double expected, double actual, string figure) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected) + 1e-12, $"{figure}: ours {actual:R}, pandas {expected:R}");
}
