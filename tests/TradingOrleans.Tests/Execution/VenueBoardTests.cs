using TradingOrleans.Grains.Execution;

namespace TradingOrleans.Tests.Execution;

/// <summary>The venues as the execution grain shows them to the machine: one snapshot until an availability changes.</summary>
public sealed class VenueBoardTests
{
    [Fact]
    public void The_snapshot_is_reused_until_a_venue_goes_down_and_venues_are_found_by_name()
    {
        var binance = new ScriptedVenue("binance");
        var board = new VenueBoard([binance, new ScriptedVenue("paper")]);

        var first = board.Now();
        Assert.Same(first, board.Now());
        binance.IsAvailable = false;
        var down = board.Now();

        Assert.NotSame(first, down);
        Assert.Equal([("binance", false), ("paper", true)], down.Select(v => (v.Name, v.IsAvailable)));
        Assert.Same(binance, board.Find("binance"));
        Assert.Null(board.Find("kraken"));
    }
}
