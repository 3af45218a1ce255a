using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>Builds the algorithm an instruction names; VWAP profiles are learned once per symbol from the historical files.</summary>
public sealed class ExecutionAlgorithms(IOptions<ExecutionOptions> options)
{
    private readonly ConcurrentDictionary<string, VolumeProfile> _profiles = new(StringComparer.Ordinal);

    /// <param name="seed">Fixes TWAP randomisation per parent so a replay repeats it.</param>
    public IExecutionAlgorithm Build(ExecutionInstruction instruction, string symbol, OrderSide side, int seed)
    {
        IExecutionAlgorithm algorithm = instruction.Algorithm switch
        {
            "twap" => new TwapExecution(instruction.Slices, instruction.Duration, instruction.Randomization, seed),
            "vwap" => new VwapExecution(Profile(symbol), instruction.Duration, instruction.ParticipationCap),
            _ => new ImmediateExecution(),
        };
        return instruction.MaxAdverseBps is { } bps ? new LimitPriceProtection(algorithm, bps, side == OrderSide.Buy) : algorithm;
    }

    /// <summary>A passive parent's TWAP schedule, and its limit protection when the instruction sets one (see <see cref="PassiveExecution"/>).</summary>
    public (TwapExecution Schedule, LimitPriceProtection? Protection) BuildPassive(ExecutionInstruction instruction, OrderSide side, int seed)
    {
        var schedule = new TwapExecution(instruction.Slices, instruction.Duration, instruction.Randomization, seed);
        return (schedule, instruction.MaxAdverseBps is { } bps ? new LimitPriceProtection(schedule, bps, side == OrderSide.Buy) : null);
    }

    private VolumeProfile Profile(string symbol) => _profiles.GetOrAdd(symbol, s =>
    {
        var bucket = options.Value.VolumeProfileBucket;
        var folder = PathResolver.FindExisting(options.Value.VolumeProfileDirectory);
        var file = folder is null ? null : CandleCsvReader.FindFile(folder, s);
        var until = options.Value.VolumeProfileUntil ?? DateTimeOffset.MaxValue;
        return file is null
            ? VolumeProfile.Uniform(bucket)
            : VolumeProfile.Learn(CandleCsvReader.Read(file, bucket, (_, _) => { }).TakeWhile(bar => bar.OpenTime < until), bucket);
    });
}
