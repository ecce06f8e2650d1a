"""Run the benchmarks: `python -m bench` runs them all, `python -m bench NAME` one of them."""

import importlib
import sys

BENCHMARKS = ["public_pages", "upload", "pipeline", "review_queue", "signup", "findings"]


def main(argv: list[str]) -> int:
    # Options ("--verbose") are left in sys.argv for the benchmark to read.
    names = [arg for arg in argv if not arg.startswith("-")] or BENCHMARKS
    for name in names:
        if name not in BENCHMARKS:
            print(f"Unknown benchmark {name!r}; there are: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
    for name in names:
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
