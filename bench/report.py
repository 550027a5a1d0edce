"""What the side-by-side benchmarks share: progress on stderr, min / median, and the
Markdown table they print."""
import json
import statistics
import sys


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def stats(values):
    """(min, median), or (None, None) for no values."""
    return (min(values), statistics.median(values)) if values else (None, None)


def print_table(header, rows):
    """One Markdown table, each column as wide as its widest cell."""
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))


def load_average():
    """The machine's 1-minute load average, as /proc/loadavg gives it."""
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def save_json(path, summary):
    """Every measurement, for --json FILE (nothing when path is empty)."""
    if path:
        with open(path, "w") as f:
            json.dump(summary, f, indent=1, ensure_ascii=False)


def finish(names, results, json_path, summary, ok):
    """The end of a side-by-side run: the load average, each run's distinct errors, the
    --json file; returns the exit status (1 when a target failed)."""
    print("Load average at the end: %s." % load_average())
    for name in names:
        for err in dict.fromkeys(results[name]["errors"]):
            print("error (%s): %s" % (name, err))
    save_json(json_path, summary)
    return 0 if ok else 1
