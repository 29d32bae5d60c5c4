"""A bounded load on loopback against `oncocite serve`: ask and search mixed.

    python benchmarks/load.py [--db PATH] [--workers 2] [--clients 8] [--seconds 60]
                              [--postgres [--pg URL] [--pg-workers 4]]

Starts `oncocite serve` (a real server process, N workers) over a library (default:
the two seeds, embedded, in a temporary folder), then runs `--clients` threads,
each with its own HTTP connection, alternating one ask and one search of patient
questions for `--seconds`. Prints requests/s, p50/p95/p99 latency and errors for
ask, search and both, and the command that reproduces it. With --postgres the same
load then runs against the seeds on PostgreSQL served by --pg-workers workers (a
server started from the pgserver wheel unless --pg names one), printed side by side.
Not a test.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[1] / "shared" / "seeds"
QUESTIONS = [
    "What is Kadcyla?",
    "Is Herceptin the same as trastuzumab?",
    "Which immunotherapy is used for breast cancer?",
    "What are the side effects of immunotherapy?",
    "Who can have Perjeta?",
    "What is Enhertu for?",
    "Can I have neratinib after trastuzumab?",
    "Is pembrolizumab used for triple negative breast cancer?",
    "What does abemaciclib do?",
    "What is tucatinib given with?",
    "is tiredness common on immunotherapy",
    "what is HER2 positive breast cancer",
]


def seed_library(folder: Path) -> str:
    db = folder / "load.db"
    oncocite = [sys.executable, "-m", "oncocite"]
    subprocess.run([*oncocite, "ingest", str(SEEDS / "003_5c17e5cb39d03151.txt"), "--db", str(db)],
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run(
        [*oncocite, "ingest", str(SEEDS / "000_115646f3b8bff644.txt"), "--db", str(db),
         "--source", "Cancer Research UK", "--source-type", "03_charity",
         "--license", "all_rights_reserved", "--audience", "patient", "--cancer-type", "breast"],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(db)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def seed_postgres(folder: Path, url: str | None) -> str:
    """The two seeds in a PostgreSQL library: `url`, or a pgserver started in `folder`."""
    if url is None:
        import pgserver

        server = pgserver.get_server(folder / "pgdata", cleanup_mode="stop")
        url = str(server.get_uri())
    oncocite = [sys.executable, "-m", "oncocite"]
    subprocess.run([*oncocite, "db", "upgrade", "--db", url], check=True, capture_output=True)
    subprocess.run([*oncocite, "ingest", str(SEEDS / "003_5c17e5cb39d03151.txt"), "--db", url],
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run(
        [*oncocite, "ingest", str(SEEDS / "000_115646f3b8bff644.txt"), "--db", url,
         "--source", "Cancer Research UK", "--source-type", "03_charity",
         "--license", "all_rights_reserved", "--audience", "patient", "--cancer-type", "breast"],
        check=True, capture_output=True,
    )  # fmt: skip
    return url


Results = tuple[dict[str, list[float]], dict[str, int], float]


def run_load(db: str, workers: int, clients: int, seconds: float) -> Results:
    """Serve `db` with N workers and load it: latencies and errors by kind, wall time."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ONCOCITE_API_RATE": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "oncocite", "serve", "--db", db, "--port", str(port),
         "--workers", str(workers)],
        env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("oncocite serve did not start")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=30) as warm:  # every worker warm
            for question in QUESTIONS * workers:
                warm.post("/v1/ask", json={"question": question})
        results: dict[str, list[float]] = {"ask": [], "search": []}
        errors: dict[str, int] = {"ask": 0, "search": 0}
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(offset: int) -> None:
            questions = itertools.cycle(QUESTIONS[offset:] + QUESTIONS[:offset])
            with httpx.Client(base_url=base, timeout=30) as http:
                while time.monotonic() < stop:
                    for kind in ("ask", "search"):
                        question = next(questions)
                        started = time.perf_counter()
                        try:
                            if kind == "ask":
                                response = http.post("/v1/ask", json={"question": question})
                            else:
                                response = http.get("/v1/search", params={"q": question})
                            ok = response.status_code == 200
                        except httpx.HTTPError:
                            ok = False
                        elapsed = time.perf_counter() - started
                        with lock:
                            results[kind].append(elapsed)
                            errors[kind] += 0 if ok else 1

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return results, errors, wall


def table(label: str, outcome: Results) -> list[str]:
    results, errors, wall = outcome
    lines = []
    everything = results["ask"] + results["search"]
    for name, values in (("ask", results["ask"]), ("search", results["search"]),
                         ("both", everything)):  # fmt: skip
        failed = sum(errors.values()) if name == "both" else errors[name]
        ms = [1000 * v for v in values]
        lines.append(
            f"| {label} | {name} | {len(values)} | {len(values) / wall:.1f} | "
            f"{statistics.median(ms):.1f} | {percentile(ms, 95):.1f} | {percentile(ms, 99):.1f} | "
            f"{failed} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="library to serve (default: the seeds, built here)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="then the same load on PostgreSQL (the seeds, --pg-workers workers), side by side",
    )
    parser.add_argument("--pg", help="PostgreSQL URL for --postgres (default: start pgserver)")
    parser.add_argument("--pg-workers", type=int, default=4)
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or seed_library(Path(tmp))
        outcome = run_load(db, args.workers, args.clients, args.seconds)
        lines += table(f"SQLite, {args.workers} worker(s)", outcome)
        if args.postgres:
            url = seed_postgres(Path(tmp), args.pg)
            outcome = run_load(url, args.pg_workers, args.clients, args.seconds)
            lines += table(f"PostgreSQL, {args.pg_workers} worker(s)", outcome)
    print(f"{args.clients} clients, {args.seconds:g} s each, loopback, the two seed documents")
    print("| store | requests | count | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    flags = f"--workers {args.workers} --clients {args.clients} --seconds {args.seconds:g}"
    if args.postgres:
        flags += f" --postgres --pg-workers {args.pg_workers}"
    print(f"reproduce: python benchmarks/load.py {flags}" + (f" --db {args.db}" if args.db else ""))


if __name__ == "__main__":
    main()
