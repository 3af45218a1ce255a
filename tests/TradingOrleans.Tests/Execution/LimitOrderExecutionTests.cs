using TradingOrleans.Grains.Execution;
using TradingOrleans.Grains.Interfaces.Execution;
using static TradingOrleans.Tests.Execution.ScriptedVenue;

namespace TradingOrleans.Tests.Execution;

/// <summary>Limit terms from an instruction to every child: the price resolved once, on the tick, away from the market.</summary>
public sealed class LimitOrderExecutionTests
{
    [Fact]
    public void An_offset_limit_is_basis_points_better_than_the_reference_rounded_to_the_tick_away_from_the_market()
    {
        var instruction = new ExecutionInstruction("immediate", TimeSpan.Zero, OrderType: OrderType.Limit, LimitOffsetBps: 7m);

        // Buy: 30,000.37 × (1 − 0.0007) = 29,979.369741 → down to 29,979.36. Sell: 30,000.37 × 1.0007 = 30,021.370259 → up to 30,021.38.
        Assert.Equal(new LimitTerms(OrderType.Limit, 29_979.36m), instruction.LimitFor(OrderSide.Buy, 30_000.37m, 0.01m));
        Assert.Equal(new LimitTerms(OrderType.Limit, 30_021.38m), instruction.LimitFor(OrderSide.Sell, 30_000.37m, 0.01m));
        // A price given outright is only put on the tick; a negative offset is past the reference (it fills at once if the market is there).
        Assert.Equal(29_999.99m, (instruction with { LimitOffsetBps = null, LimitPrice = 29_999.999m }).LimitFor(OrderSide.Buy, 1m, 0.01m)!.Price);
        Assert.Equal(30_030m, (instruction with { LimitOffsetBps = -10m }).LimitFor(OrderSide.Buy, 30_000m, 0.01m)!.Price);
        Assert.Equal(new LimitTerms(OrderType.LimitMaker, 30_000m), (instruction with { OrderType = OrderType.LimitMaker, LimitOffsetBps = 0m }).LimitFor(OrderSide.Sell, 30_000m, 0));
        Assert.Null(new ExecutionInstruction("twap", TimeSpan.FromMinutes(5)).LimitFor(OrderSide.Buy, 30_000m, 0.01m));
    }

    [Fact]
    public async Task Every_twap_child_carries_the_parents_limit_resting_children_count_whole_and_a_cancel_cancels_them()
    {
        var venue = new ScriptedVenue("binance") { Answer = Unknown };
        var shell = await MachineShell.StartAsync(venue);
        var instruction = MachineShell.Twap4 with { OrderType = OrderType.Limit, LimitOffsetBps = 10m, TimeInForce = TimeInForce.Gtc };

        var order = await shell.Execute(MachineShell.Intent("rest", OrderSide.Sell, 0.4m, instruction));
        await shell.Bar(MachineShell.Bar(1));

        // 30,000 × 1.001 = 30,030 for a sell; two slices out, both resting (no fill), counted whole in the schedule.
        var expected = new LimitTerms(OrderType.Limit, 30_030m, TimeInForce.Gtc);
        order = shell.Order("BTCUSDT-rest")!;
        Assert.Equal(expected, order.Limit);
        Assert.Equal([expected, expected], venue.Received.Select(r => r.Limit));
        Assert.Equal((OrderStatus.Working, 0.2m, 0m), (order.Status, order.SentQuantity, order.FilledQuantity));
        Assert.All(order.Children, c => Assert.True(c.AwaitingVenue));

        await shell.Cancel("BTCUSDT-rest");
        order = shell.Order("BTCUSDT-rest")!;
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.All(order.Children, c => Assert.Equal((OrderStatus.Cancelled, false), (c.Status, c.AwaitingVenue)));
    }

    [Theory]
    [InlineData("Limit", null, "Ioc", "DefaultLimitOffsetBps")]
    [InlineData("Limit", "5", "Gtc", "DefaultTimeInForce")]
    [InlineData("LimitMaker", "5", null, "DefaultOrderType")]
    [InlineData("Market", "5", null, "DefaultLimitOffsetBps")]
    public void Signal_orders_are_market_or_limits_that_cannot_rest(string orderType, string? offset, string? timeInForce, string badSetting)
    {
        var options = new ExecutionOptions
        {
            DefaultOrderType = Enum.Parse<OrderType>(orderType),
            DefaultLimitOffsetBps = offset is null ? null : decimal.Parse(offset, System.Globalization.CultureInfo.InvariantCulture),
            DefaultTimeInForce = timeInForce is null ? null : Enum.Parse<TimeInForce>(timeInForce),
        };

        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(problems, p => p.MemberNames.Contains(badSetting));
    }

    [Fact]
    public void A_limit_default_is_immediate_or_cancel_unless_told_fill_or_kill()
    {
        var options = new ExecutionOptions { DefaultOrderType = OrderType.Limit, DefaultLimitOffsetBps = 5m };

        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        Assert.Equal(new LimitTerms(OrderType.Limit, 29_985m, TimeInForce.Ioc), options.DefaultInstruction.LimitFor(OrderSide.Buy, 30_000m, 0));
    }

    [Fact]
    public async Task An_order_that_could_trade_against_our_own_resting_order_on_the_other_side_is_flagged()
    {
        var venue = new ScriptedVenue("binance") { Answer = Unknown };
        var shell = await MachineShell.StartAsync(venue);
        // A sell limit resting at 30,000 × 1.001 = 30,030.
        await shell.Execute(MachineShell.Intent("ask", OrderSide.Sell, 0.1m, new ExecutionInstruction("immediate", TimeSpan.Zero, OrderType: OrderType.Limit, LimitOffsetBps: 10m)));

        SelfCross? Flag(string id, ExecutionInstruction? instruction) =>
            shell.Machine.Execute(MachineShell.Intent(id, OrderSide.Buy, 0.1m, instruction), shell.Venues(), shell.Now).OfType<SelfCross>().SingleOrDefault();

        var market = Flag("market", null);
        Assert.Equal(("BTCUSDT-market", "BTCUSDT-ask"), (market!.OrderId, market.RestingOrderId));
        Assert.Contains("Buy 0.1 at market could trade against our own resting Sell BTCUSDT-ask at 30030", market.Detail);
        Assert.NotNull(Flag("through", new ExecutionInstruction("immediate", TimeSpan.Zero, OrderType: OrderType.Limit, LimitPrice: 30_030m)));
        Assert.Null(Flag("below", new ExecutionInstruction("immediate", TimeSpan.Zero, OrderType: OrderType.Limit, LimitPrice: 30_029.99m)));
        Assert.Null(shell.Machine.Execute(MachineShell.Intent("same-side", OrderSide.Sell, 0.1m), shell.Venues(), shell.Now).OfType<SelfCross>().SingleOrDefault());
    }
}
