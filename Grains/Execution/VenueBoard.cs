namespace TradingOrleans.Grains.Execution;

/// <summary>
/// The configured venues as the execution grain holds them: found by name, and shown to the parent-order machine as
/// snapshots rebuilt only when a venue's availability changes, so the order path allocates none.
/// </summary>
public sealed class VenueBoard(IReadOnlyList<IBroker> venues)
{
    private VenueSnapshot[] _snapshot = [.. venues.Select(VenueSnapshot.Of)];

    /// <summary>Every venue's name, terms and availability as of now.</summary>
    public IReadOnlyList<VenueSnapshot> Now()
    {
        for (var i = 0; i < venues.Count; i++)
        {
            if (_snapshot[i].IsAvailable != venues[i].IsAvailable)
            {
                _snapshot = [.. venues.Select(VenueSnapshot.Of)];
                break;
            }
        }

        return _snapshot;
    }

    /// <summary>The venue of that name; null when none is configured by it (any more).</summary>
    public IBroker? Find(string name)
    {
        for (var i = 0; i < venues.Count; i++)
        {
            if (venues[i].Name == name)
            {
                return venues[i];
            }
        }

        return null;
    }
}
