using System.Globalization;
using System.Net;
using System.Text;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Backtesting;

/// <summary>A value at a time, as plotted.</summary>
internal readonly record struct ChartPoint(DateTimeOffset Time, double Value);

/// <summary>One line of a chart; its CSS class gives its colour.</summary>
internal sealed record ChartLine(string Name, string CssClass, IReadOnlyList<ChartPoint> Points);

/// <summary>A fill drawn on a price chart: a buy as an up-triangle, a sell as a down-triangle, centred on its price.</summary>
internal sealed record ChartMarker(DateTimeOffset Time, double Value, OrderSide Side);

/// <summary>
/// An inline SVG line chart: time across, values up, five labelled ticks on each axis, a legend naming the lines.
/// A line longer than <see cref="MaxPointsPerLine"/> is downsampled keeping each bucket's lowest and highest point,
/// so a long backtest stays small while its drawdowns and spikes stay visible.
/// </summary>
internal static class SvgLineChart
{
    public const int MaxPointsPerLine = 2_000;

    private const double Width = 960, Height = 320, Left = 84, Right = 20, Top = 28, Bottom = 28, Inset = 8;
    private const int Ticks = 5;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="chartId">The svg's <c>data-chart</c>, by which a test finds it.</param>
    /// <param name="percent">Whether the values are fractions, labelled as percentages.</param>
    public static string Render(string chartId, string title, IReadOnlyList<ChartLine> lines, IReadOnlyList<ChartMarker> markers, bool percent)
    {
        var plotted = lines.Select(l => l with { Points = Downsample(l.Points, MaxPointsPerLine) }).ToList();
        var scale = Scale.Fit([.. plotted.SelectMany(l => l.Points), .. markers.Select(m => new ChartPoint(m.Time, m.Value))]);
        var svg = new StringBuilder();
        svg.Append(Invariant, $"""<svg class="chart" data-chart="{WebUtility.HtmlEncode(chartId)}" viewBox="0 0 {Width} {Height}" role="img">""");
        svg.Append(Invariant, $"<title>{WebUtility.HtmlEncode(title)}</title>");
        AppendAxes(svg, scale, percent);
        AppendLegend(svg, plotted);
        foreach (var line in plotted)
        {
            svg.Append(Invariant, $"""<path class="series {line.CssClass}" d="{PathData(line.Points, scale)}"/>""");
        }

        AppendMarkers(svg, markers, scale);
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// At most <paramref name="cap"/> points of a time-ordered series: the first and the last, and between them, per
    /// bucket of consecutive points, the lowest and the highest in their time order.
    /// </summary>
    public static IReadOnlyList<ChartPoint> Downsample(IReadOnlyList<ChartPoint> points, int cap)
    {
        if (points.Count <= cap)
        {
            return points;
        }

        var buckets = (cap - 2) / 2;
        var interior = points.Count - 2;
        var kept = new List<ChartPoint>(cap) { points[0] };
        for (var b = 0; b < buckets; b++)
        {
            var start = 1 + (int)((long)interior * b / buckets);
            var end = 1 + (int)((long)interior * (b + 1) / buckets);
            var (low, high) = (start, start);
            for (var i = start + 1; i < end; i++)
            {
                low = points[i].Value < points[low].Value ? i : low;
                high = points[i].Value > points[high].Value ? i : high;
            }

            kept.Add(points[Math.Min(low, high)]);
            if (low != high)
            {
                kept.Add(points[Math.Max(low, high)]);
            }
        }

        kept.Add(points[^1]);
        return kept;
    }

    private static void AppendAxes(StringBuilder svg, Scale scale, bool percent)
    {
        var decimals = Decimals((scale.MaxValue - scale.MinValue) * (percent ? 100 : 1));
        for (var t = 0; t < Ticks; t++)
        {
            var value = scale.MinValue + (scale.MaxValue - scale.MinValue) * t / (Ticks - 1);
            var label = percent ? (value * 100).ToString("N" + decimals, Invariant) + " %" : value.ToString("N" + decimals, Invariant);
            var y = scale.Y(value);
            svg.Append(Invariant, $"""<line class="grid" x1="{Left}" y1="{y:F1}" x2="{Width - Right}" y2="{y:F1}"/>""");
            svg.Append(Invariant, $"""<text class="tick" x="{Left - 6}" y="{y + 4:F1}" text-anchor="end">{label}</text>""");
        }

        for (var t = 0; t < Ticks; t++)
        {
            var time = scale.MinTime + (scale.MaxTime - scale.MinTime) * t / (Ticks - 1);
            var anchor = t == 0 ? "start" : t == Ticks - 1 ? "end" : "middle";
            svg.Append(Invariant, $"""<text class="tick" x="{scale.X(time):F1}" y="{Height - 8}" text-anchor="{anchor}">{TimeLabel(time, scale)}</text>""");
        }

        svg.Append(Invariant, $"""<path class="axis" d="M{Left} {Top}V{Height - Bottom}H{Width - Right}"/>""");
    }

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<ChartLine> lines)
    {
        var x = Left;
        foreach (var line in lines)
        {
            svg.Append(Invariant, $"""<text class="legend {line.CssClass}" x="{x}" y="16">— {WebUtility.HtmlEncode(line.Name)}</text>""");
            x += 24 + 8 * line.Name.Length;
        }
    }

    private static void AppendMarkers(StringBuilder svg, IReadOnlyList<ChartMarker> markers, Scale scale)
    {
        AppendTriangles(svg, "fill buy", markers.Where(m => m.Side == OrderSide.Buy), scale, "m0 -5l5 9h-10z");
        AppendTriangles(svg, "fill sell", markers.Where(m => m.Side == OrderSide.Sell), scale, "m0 5l5 -9h-10z");
    }

    /// <summary>One path of triangles, <paramref name="shape"/> drawn from each marker's point.</summary>
    private static void AppendTriangles(StringBuilder svg, string cssClass, IEnumerable<ChartMarker> markers, Scale scale, string shape)
    {
        // Fills at the same spot draw the same triangle: one is enough.
        var triangles = markers.Select(m => string.Create(Invariant, $"M{scale.X(m.Time):F1} {scale.Y(m.Value):F1}{shape}")).Distinct().ToList();
        if (triangles.Count > 0)
        {
            svg.Append(Invariant, $"""<path class="{cssClass}" d="{string.Concat(triangles)}"/>""");
        }
    }

    private static string PathData(IReadOnlyList<ChartPoint> points, Scale scale)
    {
        var d = new StringBuilder(points.Count * 14);
        for (var i = 0; i < points.Count; i++)
        {
            d.Append(Invariant, $"{(i == 0 ? 'M' : 'L')}{scale.X(points[i].Time):F1} {scale.Y(points[i].Value):F1}");
        }

        return d.ToString();
    }

    /// <summary>Enough decimals that five ticks over the span read apart.</summary>
    private static int Decimals(double span) => span <= 0 ? 2 : Math.Clamp(2 - (int)Math.Floor(Math.Log10(span)), 0, 8);

    private static string TimeLabel(DateTimeOffset time, Scale scale) =>
        time.UtcDateTime.ToString(scale.MaxTime - scale.MinTime >= TimeSpan.FromDays(5) ? "yyyy-MM-dd" : "MM-dd HH:mm", Invariant);

    /// <summary>The plot area's mapping of times and values to viewBox coordinates.</summary>
    private sealed record Scale(DateTimeOffset MinTime, DateTimeOffset MaxTime, double MinValue, double MaxValue)
    {
        /// <summary>The range of the points; a flat line gets a band around its value.</summary>
        public static Scale Fit(IReadOnlyList<ChartPoint> points)
        {
            if (points.Count == 0)
            {
                return new Scale(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), 0, 1);
            }

            var (minTime, maxTime) = (points.Min(p => p.Time), points.Max(p => p.Time));
            var (minValue, maxValue) = (points.Min(p => p.Value), points.Max(p => p.Value));
            var band = maxValue > minValue ? 0 : Math.Max(Math.Abs(maxValue) * 0.01, 0.01);
            return new Scale(minTime, maxTime > minTime ? maxTime : minTime.AddSeconds(1), minValue - band, maxValue + band);
        }

        public double X(DateTimeOffset time) =>
            Left + (Width - Left - Right) * ((time - MinTime).Ticks / (double)(MaxTime - MinTime).Ticks);

        /// <summary>The lowest value sits <see cref="Inset"/> above the x axis, the highest as far below the top, so triangles clear the frame.</summary>
        public double Y(double value) =>
            Height - Bottom - Inset - (Height - Top - Bottom - 2 * Inset) * ((value - MinValue) / (MaxValue - MinValue));
    }
}
