using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradingOrleans.Grains.Adapters.Replay;
using TradingOrleans.Grains.Hosting;
using TradingOrleans.Grains.Interfaces.Execution;

namespace TradingOrleans.Grains.Execution;

/// <summary>Builds the algorithm an instruction names; VWAP profiles are learned once per symbol from the historical files.</summary>
public sealed class ExecutionAlgorithms(IOptions<ExecutionOptions> options)
{
    public static readonly IReadOnlyList<string> Names = ["immediate", "twap", "vwap"];

    private readonly ConcurrentDictionary<string, VolumeProfile> _profiles = new(StringComparer.Ordinal);

    /// <summary>Problems with an instruction, keyed by its field names; empty when it can be run.</summary>
    public static Dictionary<string, string> Validate(ExecutionInstruction instruction)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Names.Contains(instruction.Algorithm))
        {
            errors["algorithm"] = $"Must be one of {string.Join(", ", Names)}.";
            return errors;
        }

        if (instruction.Algorithm != "immediate" && (instruction.Duration < TimeSpan.FromSeconds(1) || instruction.Duration > TimeSpan.FromDays(7)))
        {
            errors["duration"] = "Must be between 00:00:01 and 7.00:00:00.";
        }

        if (instruction.Algorithm == "twap" && instruction.Slices is < 1 or > 10_000)
        {
            errors["slices"] = "Must be between 1 and 10000.";
        }

        if (instruction.Randomization is < 0 or >= 1)
        {
            errors["randomization"] = "Must be in [0, 1).";
        }

        if (instruction.ParticipationCap is < 0 or > 1)
        {
            errors["participationCap"] = "Must be in [0, 1].";
        }

        if (instruction.MaxAdverseBps is <= 0 or > 10_000)
        {
            errors["maxAdverseBps"] = "Must be above 0 and at most 10000.";
        }

        return errors;
    }

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
