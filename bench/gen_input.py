#!/usr/bin/env python3
"""Writes N lab records, {"id": i, "features": [...]}, with 3-8 features each (~74 bytes a line).

Deterministic (seeded) so every run of the benchmark reads the same bytes."""
import random
import sys

def main() -> None:
    count, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(1, count + 1):
            features = ", ".join(f"{rng.uniform(-100, 100):.3f}" for _ in range(rng.randint(3, 8)))
            out.write(f'{{"id": {i}, "features": [{features}]}}\n')

if __name__ == "__main__":
    main()
