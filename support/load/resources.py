"""Resource watch: each managed service's RSS, CPU, open files and threads, sampled (psutil) during a load run.

A service process and its children (worker processes) are summed. The soak rule, `memory_growth`: after the
warm-up (the first quarter of the samples), memory *keeps growing* when the median RSS of the last third of
the remaining samples exceeds that of their first third by more than 10 % and by more than 20 MB.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

WARM_UP_FRACTION = 0.25
GROWTH_PCT = 10.0
GROWTH_MB = 20.0
MB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    at: float          # seconds since the watch started
    rss_mb: float
    cpu_pct: float     # percent of one core, summed over the service's processes
    open_files: int    # file descriptors (sockets included)
    threads: int


class ResourceWatch:
    """Samples every `interval` seconds in a background thread, from `start()` to `stop()` (or the `with`)."""

    def __init__(self, pids: Mapping[str, int], *, interval: float = 1.0) -> None:
        self.interval = interval
        self.samples: dict[str, list[Sample]] = {name: [] for name in pids}
        self._processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        # The same psutil object per process from sample to sample: cpu_percent measures since its last call.
        self._known: dict[int, psutil.Process] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="resource-watch", daemon=True)
        self._started = 0.0

    def __enter__(self) -> ResourceWatch:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while True:
            for name, process in self._processes.items():
                sample = _sample(process, time.monotonic() - self._started, self._known)
                if sample is not None:
                    self.samples[name].append(sample)
            if self._stop.wait(self.interval):  # bounded: the watch ends with the run
                return


def _sample(process: psutil.Process, at: float, known: dict[int, psutil.Process]) -> Sample | None:
    """The service's process and its children summed; `known` keeps each one's psutil object between samples."""
    try:
        family = [known.setdefault(member.pid, member) for member in (process, *process.children(recursive=True))]
    except psutil.Error:
        return None
    rss = cpu = 0.0
    files = threads = 0
    for member in family:
        try:
            with member.oneshot():
                rss += member.memory_info().rss
                cpu += member.cpu_percent(interval=None)
                files += member.num_fds()
                threads += member.num_threads()
        except psutil.Error:
            continue
    return Sample(round(at, 2), round(rss / MB, 1), round(cpu, 1), files, threads)


def memory_growth(samples: Sequence[Sample]) -> str | None:
    """The soak rule (module docstring): a sentence with the figures when memory keeps growing, else None."""
    steady = list(samples[int(len(samples) * WARM_UP_FRACTION):])
    if len(steady) < 6:
        return f"cannot judge: {len(steady)} samples after warm-up (at least 6 needed)"
    third = len(steady) // 3
    early = statistics.median(s.rss_mb for s in steady[:third])
    late = statistics.median(s.rss_mb for s in steady[-third:])
    grew = late - early
    if grew > GROWTH_MB and grew > early * GROWTH_PCT / 100:
        return (f"memory kept growing after warm-up: median RSS {early:.0f} MB -> {late:.0f} MB (+{grew:.0f} MB, "
                f"+{100 * grew / early:.0f} %; allowed: {GROWTH_PCT:g} % or {GROWTH_MB:g} MB)")
    return None


def table(samples: Mapping[str, Sequence[Sample]]) -> str:
    lines = [f"{'service':<10} {'samples':>7} {'RSS MB first':>12} {'RSS MB max':>10} {'RSS MB last':>11} "
             f"{'CPU % mean':>10} {'CPU % max':>9} {'files max':>9} {'threads max':>11}"]
    for name, series in samples.items():
        if not series:
            lines.append(f"{name:<10} {0:>7}")
            continue
        lines.append(f"{name:<10} {len(series):>7} {series[0].rss_mb:>12.1f} {max(s.rss_mb for s in series):>10.1f} "
                     f"{series[-1].rss_mb:>11.1f} {statistics.fmean(s.cpu_pct for s in series):>10.1f} "
                     f"{max(s.cpu_pct for s in series):>9.1f} {max(s.open_files for s in series):>9} "
                     f"{max(s.threads for s in series):>11}")
    return "\n".join(lines)


def chart(name: str, series: Sequence[Sample], out: Path) -> Path:
    """RSS and CPU of one service over the run, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (memory, cpu) = pyplot.subplots(2, 1, figsize=(7, 4.5), sharex=True)
    at = [s.at for s in series]
    memory.plot(at, [s.rss_mb for s in series], color="tab:blue")
    memory.set_ylabel("RSS MB")
    memory.set_title(f"{name}: memory and CPU during the load")
    cpu.plot(at, [s.cpu_pct for s in series], color="tab:red")
    cpu.set_ylabel("CPU % of a core")
    cpu.set_xlabel("seconds")
    figure.tight_layout()
    figure.savefig(out)
    pyplot.close(figure)
    return out
