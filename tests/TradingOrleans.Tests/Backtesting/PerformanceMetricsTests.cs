using TradingOrleans.Grains.Backtesting;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Tests.Backtesting;

/// <summary>The performance figures on small examples worked by hand.</summary>
public sealed class PerformanceMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Drawdown_is_the_deepest_fall_from_the_peak_and_its_duration_the_longest_time_under_water()
    {
        // Peak 110 at 1:00; 99 at 2:00 is 99/110 − 1 = −10 %; back at 110 at 4:00, so 3 h under water. Then a new
        // peak 121 at 5:00 and 114.95 at 6:00 (−5 %), never recovered: 1 h, to the last sample.
        var summary = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromHours(1), 100, 110, 99, 104.5m, 110, 121, 114.95m), []);

        Assert.Equal(-0.10, summary.MaxDrawdown, 12);
        Assert.Equal(TimeSpan.FromHours(3), summary.MaxDrawdownDuration);
        Assert.Equal(114.95m, summary.EndEquity);
        Assert.Equal(0.1495, summary.TotalReturn, 12);
    }

    [Fact]
    public void A_loss_from_the_start_counts_as_a_drawdown_from_the_first_sample()
    {
        // The start equity 100 is the first peak, at the first sample's time: 90 is −10 %, and equity is back at 100
        // at 5:00, 5 h after the first sample.
        var summary = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromHours(1), 90, 95, 98, 99, 99.5m, 100, 101), []);

        Assert.Equal(-0.10, summary.MaxDrawdown, 12);
        Assert.Equal(TimeSpan.FromHours(5), summary.MaxDrawdownDuration);
    }

    [Fact]
    public void A_drawdown_never_recovered_lasts_until_the_last_sample_and_need_not_be_the_deepest()
    {
        // Day 1: peak 120; day 2: 90 (−25 %); day 3: 100, still under 120: 2 days under water, the deepest fall too.
        var unrecovered = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromDays(1), 100, 120, 90, 100), []);
        Assert.Equal(-0.25, unrecovered.MaxDrawdown, 12);
        Assert.Equal(TimeSpan.FromDays(2), unrecovered.MaxDrawdownDuration);

        // A sharp −20 % from the peak of day 0, back on day 2 (2 days); then a slow −5 % from the peak of day 2, back
        // on day 6 (4 days): the duration is the slow one's.
        var slow = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromDays(1), 100, 80, 100, 95, 96, 97, 100), []);
        Assert.Equal(-0.20, slow.MaxDrawdown, 12);
        Assert.Equal(TimeSpan.FromDays(4), slow.MaxDrawdownDuration);
    }

    [Fact]
    public void Daily_ratios_and_calmar_match_the_hand_worked_figures()
    {
        // One sample a day at noon: 101, 99.99, 101.9898, 101.9898 from 100 → daily returns 1 %, −1 %, 2 %, 0.
        // Mean 0.005; deviations ±0.005, ±0.015 → variance (2·25e-6 + 2·225e-6)/3 = 166.67e-6, σ = 0.0129099445.
        // Volatility σ·√365 = 0.2466441431; Sharpe 0.005/σ·√365 = 7.3993242935.
        // Downside √((0.01²)/4) = 0.005 → Sortino 0.005/0.005·√365 = √365 = 19.1049731745.
        // Total 1.019898 − 1; over 3 days (first to last sample) → 1.019898^(365/3) − 1 = 9.9918312065.
        // Max drawdown 99.99/101 − 1 = −1 % → Calmar 9.9918312065/0.01 = 999.18312065.
        var noon = T0.AddHours(12);
        var summary = PerformanceMetrics.Compute(100, Curve(noon, TimeSpan.FromDays(1), 101, 99.99m, 101.9898m, 101.9898m), []);

        Assert.Equal(0.019898, summary.TotalReturn, 12);
        Assert.Equal(9.991831206472968, summary.AnnualisedReturn, 9);
        Assert.Equal(0.24664414311581234, summary.Volatility!.Value, 12);
        Assert.Equal(7.399324293474371, summary.Sharpe!.Value, 9);
        Assert.Equal(Math.Sqrt(365), summary.Sortino!.Value, 9);
        Assert.Equal(-0.01, summary.MaxDrawdown, 12);
        Assert.Equal(999.1831206472967, summary.Calmar!.Value, 7);
    }

    [Fact]
    public void A_year_compounds_to_itself_and_two_years_to_the_square_root()
    {
        // 100 → 121 over 730 days: total 21 %, annualised √1.21 − 1 = 10 %.
        var twoYears = PerformanceMetrics.Compute(100, [Sample(T0, 100), Sample(T0.AddDays(730), 121)], []);
        Assert.Equal(0.21, twoYears.TotalReturn, 12);
        Assert.Equal(0.10, twoYears.AnnualisedReturn, 12);

        var oneYear = PerformanceMetrics.Compute(100, [Sample(T0, 100), Sample(T0.AddDays(365), 90)], []);
        Assert.Equal(-0.10, oneYear.AnnualisedReturn, 12);
    }

    [Fact]
    public void Trade_figures_come_from_the_closed_round_trips()
    {
        // The round trips of RoundTripsTests: nets 29.57, −10.49, 4.905 (an ETH long is still open).
        // Win rate 2/3; profit factor (29.57 + 4.905)/10.49 = 3.2864632984; average 23.985/3 = 7.995.
        // Fees of all 7 fills: 0.2 + 0.11 + 0.05 + 0.36 + 0.25 + 0.045 + 0.01 = 1.025.
        var summary = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromHours(1), 100, 101), RoundTripsTests.PartialCloseFlipAndShort);

        Assert.Equal(2.0 / 3, summary.WinRate!.Value, 12);
        Assert.Equal(34.475 / 10.49, summary.ProfitFactor!.Value, 12);
        Assert.Equal(7.995m, summary.AverageTrade);
        Assert.Equal(1.025m, summary.Fees);
        Assert.Equal(3, summary.TradeCount);
        Assert.Equal(7, summary.FillCount);
    }

    [Fact]
    public void Exposure_turnover_and_buy_and_hold_match_the_hand_worked_figures()
    {
        // Positions open in 2 of 4 samples → exposure 0.5. Notional 0.5·100 + 0.5·110 = 105 over mean equity
        // (100 + 100 + 105 + 105)/4 = 102.5 → turnover 1.0243902439. Buy and hold ends at 120 from 100 → 20 %.
        EquitySample[] equity =
        [
            new(T0, 100, 100, 0),
            new(T0.AddHours(1), 100, 105, 50),
            new(T0.AddHours(2), 105, 110, 55),
            new(T0.AddHours(3), 105, 120, 0),
        ];
        BacktestFill[] fills =
        [
            RoundTripsTests.Fill(T0.AddHours(1), "BTC", OrderSide.Buy, 0.5m, 100, 0.05m),
            RoundTripsTests.Fill(T0.AddHours(3), "BTC", OrderSide.Sell, 0.5m, 110, 0.055m),
        ];

        var summary = PerformanceMetrics.Compute(100, equity, fills);

        Assert.Equal(0.5, summary.Exposure, 12);
        Assert.Equal(105 / 102.5, summary.Turnover, 12);
        Assert.Equal(0.20, summary.BuyAndHoldReturn, 12);
        Assert.Equal(0.105m, summary.Fees);
    }

    [Fact]
    public void Daily_returns_take_each_utc_days_last_sample_and_skip_days_without_any()
    {
        // 1 March ends at 1020 (+2 % on 1000); 2 March at 1071 (+5 % on 1020); 3 March has no sample, so 4 March's
        // 1049.58 is −2 % on 1071. The 4 March sample is written at +03:00, yet its UTC day is the 4th.
        var march = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        EquitySample[] equity =
        [
            Sample(march.AddHours(9), 1010),
            Sample(march.AddHours(21), 1020),
            Sample(march.AddDays(1), 1000),
            Sample(march.AddDays(1).AddHours(18), 1071),
            Sample(march.AddDays(3).AddHours(1).ToOffset(TimeSpan.FromHours(3)), 1049.58m),
        ];

        var daily = PerformanceMetrics.DailyReturns(1000, equity);

        Assert.Equal(new[] { new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2), new DateOnly(2024, 3, 4) }, daily.Select(d => d.Day));
        Assert.Equal(0.02, daily[0].Return, 12);
        Assert.Equal(0.05, daily[1].Return, 12);
        Assert.Equal(-0.02, daily[2].Return, 12);
    }

    [Fact]
    public void Monthly_returns_chain_across_month_boundaries_in_utc()
    {
        // 01:30 on 1 February at +02:00 is 23:30 on 31 January in UTC, so January ends at 1050: +5 % on 1000.
        // February ends at 1092: +4 % on 1050. March has no sample; April's 1146.6 is +5 % on February's 1092.
        EquitySample[] equity =
        [
            Sample(new DateTimeOffset(2024, 1, 30, 12, 0, 0, TimeSpan.Zero), 1010),
            Sample(new DateTimeOffset(2024, 2, 1, 1, 30, 0, TimeSpan.FromHours(2)), 1050),
            Sample(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), 1040),
            Sample(new DateTimeOffset(2024, 2, 29, 23, 55, 0, TimeSpan.Zero), 1092),
            Sample(new DateTimeOffset(2024, 4, 2, 0, 0, 0, TimeSpan.Zero), 1146.6m),
        ];

        var months = PerformanceMetrics.MonthlyReturns(1000, equity);

        Assert.Equal(new[] { (2024, 1), (2024, 2), (2024, 4) }, months.Select(m => (m.Year, m.Month)));
        Assert.Equal(0.05, months[0].Return, 12);
        Assert.Equal(0.04, months[1].Return, 12);
        Assert.Equal(0.05, months[2].Return, 12);
    }

    [Fact]
    public void Without_samples_or_fills_every_undefined_figure_is_null_and_the_rest_is_zero()
    {
        var summary = PerformanceMetrics.Compute(100, [], []);

        Assert.Equal(new PerformanceSummary(
            StartEquity: 100, EndEquity: 100, TotalReturn: 0, AnnualisedReturn: 0, BuyAndHoldReturn: 0,
            Volatility: null, Sharpe: null, Sortino: null, Calmar: null, MaxDrawdown: 0, MaxDrawdownDuration: TimeSpan.Zero,
            WinRate: null, ProfitFactor: null, AverageTrade: null, Exposure: 0, Turnover: 0, Fees: 0, TradeCount: 0, FillCount: 0),
            summary);
        Assert.Empty(PerformanceMetrics.MonthlyReturns(100, []));
    }

    [Fact]
    public void A_single_day_has_no_daily_ratios_and_its_annualised_return_is_its_total_when_it_has_no_length()
    {
        // One sample: one daily return, no period to compound over.
        var summary = PerformanceMetrics.Compute(100, [Sample(T0, 103)], []);

        Assert.Null(summary.Volatility);
        Assert.Null(summary.Sharpe);
        Assert.Null(summary.Sortino);
        Assert.Equal(0.03, summary.AnnualisedReturn, 12);
        Assert.Null(summary.Calmar);
    }

    [Fact]
    public void A_flat_curve_has_zero_volatility_and_no_sharpe_sortino_calmar_or_drawdown()
    {
        var summary = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromDays(1), 100, 100, 100, 100), []);

        Assert.Equal(0.0, summary.Volatility);
        Assert.Null(summary.Sharpe);
        Assert.Null(summary.Sortino);
        Assert.Null(summary.Calmar);
        Assert.Equal(0, summary.MaxDrawdown);
        Assert.Equal(TimeSpan.Zero, summary.MaxDrawdownDuration);
    }

    [Fact]
    public void A_ruined_account_has_no_daily_ratios_because_its_returns_change_sign()
    {
        // Daily 100 → −50 → −100 → −200: the returns 0, −150 %, +100 %, +100 % have a positive mean (a Sharpe of
        // +2.02) for an account losing all along; once equity is zero or less there are no ratios to judge it by.
        var summary = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromDays(1), 100, -50, -100, -200), []);

        Assert.Null(summary.Volatility);
        Assert.Null(summary.Sharpe);
        Assert.Null(summary.Sortino);
        Assert.Equal(-3.0, summary.TotalReturn, 12);
        Assert.Equal(-3.0, summary.MaxDrawdown, 12);
    }

    [Fact]
    public void Only_winning_round_trips_give_no_profit_factor()
    {
        BacktestFill[] fills =
        [
            RoundTripsTests.Fill(T0, "BTC", OrderSide.Buy, 1, 100, 0),
            RoundTripsTests.Fill(T0.AddHours(1), "BTC", OrderSide.Sell, 1, 110, 0),
        ];

        var summary = PerformanceMetrics.Compute(100, Curve(TimeSpan.FromHours(1), 100, 110), fills);

        Assert.Equal(1.0, summary.WinRate);
        Assert.Null(summary.ProfitFactor);
        Assert.Equal(10m, summary.AverageTrade);
    }

    [Fact]
    public void Samples_out_of_time_order_are_refused()
    {
        EquitySample[] backwards = [Sample(T0.AddHours(1), 100), Sample(T0, 101)];

        Assert.Throws<ArgumentException>(() => PerformanceMetrics.Compute(100, backwards, []));
        Assert.Throws<ArgumentException>(() => PerformanceMetrics.MonthlyReturns(100, backwards));
        Assert.Throws<ArgumentException>(() => PerformanceMetrics.DailyReturns(100, backwards));
    }

    private static EquitySample Sample(DateTimeOffset time, decimal equity) => new(time, equity, equity, 0);

    private static EquitySample[] Curve(TimeSpan step, params decimal[] equity) => Curve(T0, step, equity);

    private static EquitySample[] Curve(DateTimeOffset first, TimeSpan step, params decimal[] equity) =>
        [.. equity.Select((value, i) => Sample(first + step * i, value))];
}
