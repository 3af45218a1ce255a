using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Quant;
using TradingOrleans.Tests.Support;

namespace TradingOrleans.Tests.Quant;

/// <summary>
/// ADF and Engle-Granger against Stata's published output on the US macro dataset (as quoted in statsmodels'
/// tsa/tests/test_stattools.py), and against statsmodels itself run on our Binance data.
/// </summary>
public sealed class EngleGrangerTests
{
    private static readonly string MacroData = Statsmodels.PackageFile("datasets/macrodata/macrodata.csv");

    [Fact]
    public void Adf_with_constant_on_real_gdp_matches_stata()
    {
        var result = DickeyFuller.Test(Statsmodels.ReadCsvColumn(MacroData, "realgdp"), constant: true, lags: 4);

        // Stata prints 0.97505319; like statsmodels we agree to 5 decimals (the regressions are solved differently).
        Assert.Equal(0.97505319, result.Statistic, 5);
        Assert.Equal(0.99399563, result.PValue, 6);

        // MacKinnon (2010) at T = 198 regression rows, e.g. 1 %: −3.43035 − 6.5393/198 − 16.786/198² − 79.433/198³.
        Assert.Equal(-3.463815, result.CriticalValues.Percent1, 5);
        Assert.Equal(-2.876251, result.CriticalValues.Percent5, 5);
        Assert.Equal(-2.574611, result.CriticalValues.Percent10, 5);

        // Stata prints the older (1994) table values, which agree to about 0.01.
        Assert.Equal(-3.476, result.CriticalValues.Percent1, 0.015);
        Assert.Equal(-2.883, result.CriticalValues.Percent5, 0.015);
        Assert.Equal(-2.573, result.CriticalValues.Percent10, 0.015);
    }

    [Fact]
    public void Adf_with_constant_on_inflation_rejects_a_unit_root_like_stata()
    {
        var result = DickeyFuller.Test(Statsmodels.ReadCsvColumn(MacroData, "infl"), constant: true, lags: 1);

        Assert.Equal(-4.3346988, result.Statistic, 6);
        Assert.Equal(0.00038661, result.PValue, 6);
    }

    [Fact]
    public void Engle_granger_adf_and_half_life_match_statsmodels_on_binance_prices()
    {
        var btc = LogCloses("BTCUSDT");
        var eth = LogCloses("ETHUSDT");
        var ltc = LogCloses("LTCUSDT");

        var pair = EngleGranger.Test([btc, eth]);
        var triple = EngleGranger.Test([btc, eth, ltc]);
        var adf = DickeyFuller.Test(btc);

        var reference = Statsmodels.Run("""
            import json, sys
            import numpy as np
            import statsmodels.api as sm
            from statsmodels.tsa.stattools import coint, adfuller
            d = json.load(sys.stdin)
            btc, eth, ltc = (np.array(d[k]) for k in ("btc", "eth", "ltc"))
            def eg(y, x):
                stat, p, crit = coint(y, x, trend="c", autolag="aic")
                fit = sm.OLS(y, sm.add_constant(x, prepend=False)).fit()
                s = fit.resid
                b = sm.OLS(np.diff(s), sm.add_constant(s[:-1])).fit().params[1]
                return {"stat": stat, "p": p, "crit": list(crit), "params": list(fit.params), "b": b}
            adf = adfuller(btc, regression="c", autolag="aic")
            print(json.dumps({"pair": eg(btc, eth), "triple": eg(btc, np.column_stack([eth, ltc])),
                              "adf": {"stat": adf[0], "p": adf[1], "lag": adf[2], "nobs": adf[3], "crit": [adf[4]["1%"], adf[4]["5%"], adf[4]["10%"]]}}))
            """, new { btc, eth, ltc });

        var expected = reference.GetProperty("pair");
        Assert.Equal(expected.GetProperty("stat").GetDouble(), pair.ResidualTest.Statistic, 8);
        Assert.Equal(expected.GetProperty("p").GetDouble(), pair.ResidualTest.PValue, 8);
        Assert.Equal(expected.GetProperty("crit")[0].GetDouble(), pair.ResidualTest.CriticalValues.Percent1, 8);
        Assert.Equal(expected.GetProperty("crit")[2].GetDouble(), pair.ResidualTest.CriticalValues.Percent10, 8);
        Assert.Equal(expected.GetProperty("params")[0].GetDouble(), pair.Coefficients[0], 8);
        Assert.Equal(expected.GetProperty("params")[1].GetDouble(), pair.Intercept, 8);
        Assert.Equal(expected.GetProperty("b").GetDouble(), pair.HalfLife.Slope, 10);
        Assert.Equal(Math.Log(2) / -Math.Log(1 + pair.HalfLife.Slope), pair.HalfLife.HalfLifeBars!.Value, 8);

        var expectedTriple = reference.GetProperty("triple");
        Assert.Equal(expectedTriple.GetProperty("stat").GetDouble(), triple.ResidualTest.Statistic, 8);
        Assert.Equal(expectedTriple.GetProperty("p").GetDouble(), triple.ResidualTest.PValue, 8);
        Assert.Equal(expectedTriple.GetProperty("crit")[1].GetDouble(), triple.ResidualTest.CriticalValues.Percent5, 8);

        var expectedAdf = reference.GetProperty("adf");
        Assert.Equal(expectedAdf.GetProperty("lag").GetInt32(), adf.UsedLag);
        Assert.Equal(expectedAdf.GetProperty("nobs").GetInt32(), adf.Observations);
        Assert.Equal(expectedAdf.GetProperty("stat").GetDouble(), adf.Statistic, 8);
        Assert.Equal(expectedAdf.GetProperty("p").GetDouble(), adf.PValue, 8);
        Assert.Equal(expectedAdf.GetProperty("crit")[1].GetDouble(), adf.CriticalValues.Percent5, 8);
    }

    [Fact]
    public void Half_life_of_a_known_ar1_spread_is_recovered()
    {
        // s_t = 0.9 s_{t−1} + e_t: b = −0.1, half-life ln 2 / −ln 0.9 = 6.5788 bars.
        var random = new Random(11);
        var spread = new double[20_000];
        for (var t = 1; t < spread.Length; t++)
        {
            spread[t] = 0.9 * spread[t - 1] + (random.NextDouble() - 0.5);
        }

        var halfLife = EngleGranger.HalfLife(spread);

        Assert.Equal(-0.1, halfLife.Slope, 2);
        Assert.Equal(6.58, halfLife.HalfLifeBars!.Value, 0);
        Assert.Null(EngleGranger.HalfLife([1.0, 2, 3, 4, 5, 6, 7.5, 9]).HalfLifeBars);
    }

    private static double[] LogCloses(string symbol) =>
        [.. CandleCsvReader.Read(RepoData.File(symbol), TimeSpan.FromMinutes(5), (_, _) => { })
            .Take(3000)
            .Select(c => Math.Log((double)c.Close))];
}
