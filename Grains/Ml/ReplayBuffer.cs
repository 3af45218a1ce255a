namespace TradingOrleans.Grains.Ml;

/// <summary>One step of experience: what the agent saw, did, got, and saw next.</summary>
public sealed record Transition(double[] State, int Action, double Reward, double[] NextState, bool Done);

/// <summary>A fixed-capacity ring of transitions, oldest overwritten first, sampled uniformly with a seeded generator.</summary>
public sealed class ReplayBuffer(int capacity, int seed)
{
    private readonly Transition[] _items = new Transition[capacity];
    private readonly Random _random = new(seed);
    private int _next;

    public int Count { get; private set; }

    public int Capacity => capacity;

    public void Add(Transition transition)
    {
        _items[_next] = transition;
        _next = (_next + 1) % capacity;
        Count = Math.Min(Count + 1, capacity);
    }

    /// <summary><paramref name="size"/> transitions drawn with replacement from those stored.</summary>
    public Transition[] Sample(int size)
    {
        var sample = new Transition[size];
        for (var i = 0; i < size; i++)
        {
            sample[i] = _items[_random.Next(Count)];
        }

        return sample;
    }
}
