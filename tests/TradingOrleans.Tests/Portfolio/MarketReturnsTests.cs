using TradingOrleans.Grains.Portfolio;

namespace TradingOrleans.Tests.Portfolio;

public sealed class MarketReturnsTests
{
    private static readonly DateTimeOffset Start = new(2021, 1, 1, 0, 5, 0, TimeSpan.Zero);

    [Fact]
    public void Returns_are_aligned_by_close_time_and_folded_into_an_ewma_covariance()
    {
        var returns = new MarketReturns(decay: 0.5);
        void Bar(int index, double a, double? b = null)
        {
            returns.Observe("A", a, Start.AddMinutes(5 * index));
            if (b is { } price)
            {
                returns.Observe("B", price, Start.AddMinutes(5 * index));
            }
        }

        Bar(0, 100, 50);
        Bar(1, 110, 45); // row 0 closes: no previous prices yet
        Bar(2, 99); // row 1 closes: A +10 %, B −10 %
        Bar(3, 99, 45); // row 2 closes: A −10 %, B missing → 0
        returns.Observe("A", 99, Start.AddMinutes(20)); // row 3 closes: A 0 %, B 0 %

        // Σ₁ = ½ r₁r₁', Σ₂ = ½ Σ₁ + ½ r₂r₂', Σ₃ = ½ Σ₂ (r₃ = 0); bias correction 1 / (1 − ½³) = 8/7.
        // AA: (¼ · 0.01 + ½ · 0.01) · ½ = 0.00375 → × 8/7 = 0.0042857; AB: (¼ · −0.01) · ½ = −0.00125 → −0.0014286.
        var covariance = returns.Covariance(["A", "B"]);
        Assert.Equal(3, returns.Observations);
        Assert.Equal(0.00375 * 8 / 7, covariance[0, 0], 12);
        Assert.Equal(-0.00125 * 8 / 7, covariance[0, 1], 12);
        Assert.Equal(0.00125 * 8 / 7, covariance[1, 1], 12);
        Assert.Equal(-0.00125 / Math.Sqrt(0.00375 * 0.00125), covariance[0, 1] / Math.Sqrt(covariance[0, 0] * covariance[1, 1]), 12);
        Assert.Equal(TimeSpan.FromMinutes(5), returns.BarInterval);

        var scenarios = returns.Scenarios(["B", "A", "C"]);
        Assert.Equal(3, scenarios.Count);
        Assert.Equal([-0.1, 0.1, 0.0], scenarios[0], new ToleranceComparer());
        Assert.Equal([0.0, -0.1, 0.0], scenarios[1], new ToleranceComparer());
    }

    [Fact]
    public void Trade_terms_equal_the_matrix_products_they_replace()
    {
        var returns = new MarketReturns();
        var random = new Random(5);
        string[] symbols = ["A", "B", "C"];
        var prices = new[] { 100.0, 50.0, 10.0 };
        for (var bar = 0; bar < 200; bar++)
        {
            for (var i = 0; i < 3; i++)
            {
                prices[i] *= 1 + 0.01 * (random.NextDouble() - 0.5) + (i == 1 ? 0.5 * (prices[0] / 100 - 1) * 0.001 : 0);
                returns.Observe(symbols[i], prices[i], Start.AddMinutes(5 * bar));
            }
        }

        double[] values = [1_000, -2_000, 500];
        string[] order = ["C", "A", "B"];
        var ordered = new[] { values[2], values[0], values[1] };
        var (withTraded, variances, portfolioVariance) = RiskBookView.Terms(returns.Snapshot(), order, ordered, traded: 2);

        var matrix = returns.Covariance(order);
        var w = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(ordered);
        Assert.Equal(w.DotProduct(matrix * w), portfolioVariance, 15);
        Assert.Equal(matrix.Column(2).ToArray(), withTraded);
        Assert.Equal(matrix.Diagonal().ToArray(), variances);
    }

    [Fact]
    public void A_late_mark_does_not_reopen_a_closed_row()
    {
        var returns = new MarketReturns();
        returns.Observe("A", 100, Start);
        returns.Observe("A", 101, Start.AddMinutes(5));
        returns.Observe("A", 500, Start); // late: ignored for returns
        returns.Observe("A", 102, Start.AddMinutes(10));

        Assert.Equal(1, returns.Observations);
        Assert.Equal(0.01, returns.Scenarios(["A"])[0][0], 12);
    }

    [Fact]
    public void A_bar_close_is_complete_once_it_has_as_many_symbols_as_the_one_before_it()
    {
        var returns = new MarketReturns();
        var (t0, t1, t2) = (Start, Start.AddMinutes(5), Start.AddMinutes(10));

        Assert.Equal(RowChange.Added, returns.Observe("A", 100, t0));
        Assert.Equal(RowChange.Added, returns.Observe("B", 50, t0));
        Assert.Equal(RowChange.Updated, returns.Observe("B", 51, t0));
        Assert.Equal(t0, returns.CompleteThrough);

        // The first mark of t1 closes t0's row; t1 is complete once B is in too.
        Assert.Equal(RowChange.Turned, returns.Observe("A", 101, t1));
        Assert.Equal((1, 2), returns.RowMarks);
        Assert.Equal(t0, returns.CompleteThrough);
        Assert.Equal(RowChange.None, returns.Observe("B", 49, t0)); // late: valuation only
        Assert.Equal(RowChange.Added, returns.Observe("B", 52, t1));
        Assert.Equal(t1, returns.CompleteThrough);

        // B misses t2: t1 stays the latest complete close until t3 opens, which is complete with A alone, as t2 was.
        returns.Observe("A", 102, t2);
        Assert.Equal(t1, returns.CompleteThrough);
        Assert.Equal(RowChange.Turned, returns.Observe("A", 103, t2.AddMinutes(5)));
        Assert.Equal((1, 1), returns.RowMarks);
        Assert.Equal(t2.AddMinutes(5), returns.CompleteThrough);
    }

    [Fact]
    public void A_snapshot_holds_the_bias_corrected_covariance_of_every_symbol()
    {
        var returns = new MarketReturns(decay: 0.5);
        foreach (var (a, b, bar) in new[] { (100.0, 50.0, 0), (110.0, 45.0, 1), (99.0, 54.0, 2), (99.0, 54.0, 3) })
        {
            returns.Observe("A", a, Start.AddMinutes(5 * bar));
            returns.Observe("B", b, Start.AddMinutes(5 * bar));
        }

        var snapshot = returns.Snapshot();
        var matrix = returns.Covariance(["A", "B"]);
        Assert.Equal(2, snapshot.Observations);
        Assert.Equal(TimeSpan.FromMinutes(5), snapshot.BarInterval);
        Assert.Equal([matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1]], snapshot.Values);
        // By hand: returns (0.1, -0.1) then (-0.1, 0.2); EWMA with λ = 0.5 from zero, corrected by 1 / (1 − 0.5²).
        Assert.Equal((0.5 * 0.5 * 0.1 * -0.1 + 0.5 * -0.1 * 0.2) / 0.75, snapshot.At(snapshot.Index["A"], snapshot.Index["B"]), 15);
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double value) => 0;
    }
}
