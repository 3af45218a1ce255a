namespace TradingOrleans.Grains.Quant;

/// <summary>
/// Standard-normal draws by Marsaglia's polar method, both values of each accepted pair used. MathNet's
/// <c>Normal.Sample</c> keeps one of each pair, and its array form allocates on every call; a simulation drawing a
/// million values a second needs neither.
/// </summary>
public static class StandardNormal
{
    /// <summary>Fills <paramref name="values"/> with independent N(0, 1) draws from <paramref name="random"/>.</summary>
    public static void Fill(Random random, double[] values)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            double u, v, radius;
            do
            {
                u = 2 * random.NextDouble() - 1;
                v = 2 * random.NextDouble() - 1;
                radius = u * u + v * v;
            }
            while (radius >= 1 || radius == 0);

            var factor = Math.Sqrt(-2 * Math.Log(radius) / radius);
            values[i] = u * factor;
            if (i + 1 < values.Length)
            {
                values[i + 1] = v * factor;
            }
        }
    }
}
