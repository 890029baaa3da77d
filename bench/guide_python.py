#!/usr/bin/env python3
"""The FREE guide's batch logic, as a student would write it: json per line, sum, print.

Kept plain on purpose (no orjson, no multiprocessing): it is the yardstick the C# worker is
compared with in bench/run.sh, not something to optimize."""
import json
import sys

def main() -> None:
    results = []
    with open(sys.argv[1]) as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            prediction = sum(record["features"])
            result = {"id": record["id"], "prediction": prediction}
            print(json.dumps(result))
            results.append(result)
    avg = sum(r["prediction"] for r in results) / len(results) if results else 0.0
    print(json.dumps({"summary": {"records": len(results), "avg_prediction": avg}}))

if __name__ == "__main__":
    main()
