#!/usr/bin/env python3
"""Folds a `perf` CPU profile of the `ticks` harness onto the one-second bar cycle.

Orders come from bars, and every symbol's bar closes at the same instant once a second; averaged over a run the
process looks idle, so a plain profile hides the burst that sets the latency. This folds the samples' times
modulo the cycle, prints how busy the process is in each phase bin, and the frames that take the CPU inside a
chosen window of the cycle.

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
      dotnet tests/Benchmarks/bin/Release/net10.0/TradingOrleans.Benchmarks.dll ticks --seconds 50 --warmup 10 &
    sleep 22; perf record -F 1999 -g -p "$(pgrep -f 'Benchmarks.dll ticks')" -o ticks.data -- sleep 25
    perf script -i ticks.data -F tid,time,ip,sym,dso > ticks.txt
    python3 tests/Benchmarks/perf-bar-cycle.py ticks.txt                       # find the burst's phase
    python3 tests/Benchmarks/perf-bar-cycle.py ticks.txt --window 252 268      # what runs in it (ms into the cycle)

Samples of threads waiting for work (thread-pool spinning, futex and epoll waits) count as idle.
"""
import argparse
import collections
import re

IDLE_FRAMES = ("LowLevelLifoSemaphore", "sched_yield", "futex_wait", "epoll_wait", "WaitOneCore", "do_nanosleep")
TIER_SUFFIX = re.compile(r"\[(OptimizedTier1OSR|OptimizedTier1|Optimized|QuickJitted|Tier0|Tier1)\]")
RETURN_TYPE = re.compile(r"^((instance|void|class|bool|int32|int64|float64|valuetype|!!0\[\]|!0\[\]|!!0|!0) )+")


def read_samples(path):
    """Yields (time in seconds, frames leaf first) for each sample of `perf script -F tid,time,ip,sym,dso`."""
    with open(path, encoding="utf-8", errors="replace") as text:
        for block in text.read().split("\n\n"):
            lines = block.strip("\n").split("\n")
            if not lines or not lines[0].strip():
                continue
            time = float(lines[0].split()[1].rstrip(":"))
            frames = []
            for line in lines[1:]:
                match = re.match(r"^\s*[0-9a-f]+ (.*) \((.*)\)$", line)
                if match:
                    symbol, library = match.groups()
                    frames.append(library.rsplit("/", 1)[-1] if symbol == "[unknown]" else symbol)
            yield time, frames


def readable(frame):
    return RETURN_TYPE.sub("", TIER_SUFFIX.sub("", frame))[:140]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("samples", help="output of perf script -F tid,time,ip,sym,dso")
    parser.add_argument("--cycle-ms", type=float, default=1000, help="the bar interval (default 1000)")
    parser.add_argument("--bin-ms", type=float, default=2, help="phase bin width (default 2)")
    parser.add_argument("--frequency", type=float, default=1999, help="perf record -F (default 1999)")
    parser.add_argument("--window", type=float, nargs=2, metavar=("FROM_MS", "TO_MS"), help="phase window to break down")
    parser.add_argument("--top", type=int, default=40, help="frames to list (default 40)")
    args = parser.parse_args()

    samples = list(read_samples(args.samples))
    start = min(time for time, _ in samples)
    seconds = max(time for time, _ in samples) - start
    working = [(((time - start) * 1000) % args.cycle_ms, frames) for time, frames in samples
               if not any(idle in frame for frame in frames for idle in IDLE_FRAMES)]
    print(f"{len(samples)} samples over {seconds:.1f} s: {100 * len(samples) / (seconds * args.frequency):.1f} % of one core "
          f"on CPU, {100 * len(working) / (seconds * args.frequency):.1f} % working")

    cycles = seconds * 1000 / args.cycle_ms
    per_bin = collections.Counter(int(phase // args.bin_ms) for phase, _ in working)
    print(f"\nworking share of one core by phase ({args.bin_ms:g} ms bins, busiest first):")
    for index, count in per_bin.most_common(15):
        busy = 100 * count / cycles / (args.bin_ms / 1000 * args.frequency)
        print(f"  {index * args.bin_ms:7.1f} ms  {busy:5.1f} %")

    if args.window:
        low, high = args.window
        inside = [frames for phase, frames in working if low <= phase < high]
        print(f"\n{len(inside)} working samples in {low:g}–{high:g} ms "
              f"({len(inside) / cycles / args.frequency * 1000:.1f} ms of CPU per cycle); inclusive share by frame:")
        inclusive = collections.Counter()
        for frames in inside:
            inclusive.update({readable(frame) for frame in frames})
        for frame, count in inclusive.most_common(args.top):
            print(f"  {100 * count / len(inside):5.1f} %  {frame}")


if __name__ == "__main__":
    main()
