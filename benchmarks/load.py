"""A bounded load on loopback against `oncocite serve`: ask and search mixed.

    python benchmarks/load.py [--db PATH] [--workers 2] [--clients 8] [--seconds 60]
                              [--distinct] [--baseline | --batched]
                              [--postgres [--pg URL] [--pg-workers 4]]
    python benchmarks/load.py --compare [--db PATH] [--workers 2] [--clients 8] [--seconds 30]

Starts `oncocite serve` (a real server process, N workers) over a library (default:
the two seeds, embedded, in a temporary folder), then runs `--clients` threads,
each with its own HTTP connection, alternating one ask and one search of patient
questions for `--seconds`. Prints requests/s, p50/p95/p99 latency and errors for
ask, search and both, and the command that reproduces it. With --postgres the same
load then runs against the seeds on PostgreSQL served by --pg-workers workers (a
server started from the pgserver wheel unless --pg names one), printed side by side.
Not a test.

The twelve questions repeat, as a service's common questions do, so a warm server
answers them from what it remembers (query vectors, triage, passages). With
`--distinct` each request's question is made new (a number put inside its sentence,
`made_new`): every query is embedded and triaged afresh, and read afresh for
self-harm, the cost of questions never asked before.

The server runs as shipped (each request embeds its question on its own, one BLAS
thread a request: search/dense.py `one_blas_thread`). `--baseline` serves as before
issue 28: OPENBLAS_NUM_THREADS=<cores> (each vector search's product spread over every
core) and without the int8 prescan. `--batched` turns query micro-batching on
(ONCOCITE_QUERY_BATCHING=1, search/batching.py; off as shipped, see
docs/configuration.md). `--compare` runs, in one process, four servers (before; full
scan: as shipped but ONCOCITE_PRESCAN_MIN_ROWS=0, every search reading the float
vectors in full; shipped; batched) on repeated and on distinct
questions, and one client asking distinct questions one at a time (the latency of a
lone request), and prints them side by side with distinct / repeated asks/s; the
servers of each load run back to back, so that other work on the machine weighs on all.

The clients share the machine's cores with the server, so they are kept lean: the
standard library's http.client on one keep-alive connection each (httpx costs about
four times as much CPU a request, which the server then does not get). Every
request is a real HTTP request whose body is read in full; anything but a 200 is
an error.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
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
from urllib.parse import urlencode

from common import percentile

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


def made_new(question: str, serial: int) -> str:
    """`question` as never asked before, every sentence of it new: the number goes
    inside its sentence ("What is Kadcyla 17?"). After it ("What is Kadcyla? 17") the
    number was a sentence of its own, which the self-harm reader skips (no letter), so
    the reader's vector of "What is Kadcyla?" was remembered from the first request
    and a "distinct" question cost one model pass where a real new one costs two
    (before the search and the reader shared their pass: search/single_flight.py)."""
    if question.endswith("?"):
        return f"{question[:-1]} {serial}?"
    return f"{question} {serial}"


def seed(db: str) -> str:
    """The two seeds (the CRUK page with its metadata) in the library at `db`."""
    oncocite = [sys.executable, "-m", "oncocite"]
    subprocess.run([*oncocite, "db", "upgrade", "--db", db], check=True, capture_output=True)
    subprocess.run([*oncocite, "ingest", str(SEEDS / "003_5c17e5cb39d03151.txt"), "--db", db],
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run(
        [*oncocite, "ingest", str(SEEDS / "000_115646f3b8bff644.txt"), "--db", db,
         "--source", "Cancer Research UK", "--source-type", "03_charity",
         "--license", "all_rights_reserved", "--audience", "patient", "--cancer-type", "breast"],
        check=True, capture_output=True,
    )  # fmt: skip
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects after a failure."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port = port
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        """The status of one request (its body read in full); raises OSError or
        http.client.HTTPException when the connection fails."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        return response.status

    def ask(self, question: str) -> int:
        return self.request("POST", "/v1/ask", json.dumps({"question": question}).encode())

    def search(self, question: str) -> int:
        return self.request("GET", "/v1/search?" + urlencode({"q": question}))

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def postgres_url(folder: Path, url: str | None) -> str:
    """`url`, or that of a PostgreSQL started from the pgserver wheel in `folder`."""
    if url is not None:
        return url
    import pgserver

    return str(pgserver.get_server(folder / "pgdata", cleanup_mode="stop").get_uri())


Results = tuple[dict[str, list[float]], dict[str, int], float, float]


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) so far of a process and its children (the
    server's workers), from /proc; 0.0 where /proc is not there. Throughput on a
    shared machine follows the CPU the server gets; its CPU per request does not."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    proc = Path("/proc")
    if not proc.is_dir():
        return 0.0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


SERVERS = ("before", "full scan", "shipped", "batched")


def run_load(
    db: str, workers: int, clients: int, seconds: float, distinct: bool, server: str = "shipped"
) -> Results:
    """Serve `db` with N workers and load it: latencies and errors by kind, wall time.
    `server`: "shipped" (the defaults), "before" (numpy's BLAS on every core, as before
    issue 28), "full scan" (the defaults but the int8 prescan off: every search reads
    the float vectors in full, search/prescan.py) or "batched" (query micro-batching on)."""
    serial = itertools.count(1)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ONCOCITE_API_RATE": "0"}
    env["ONCOCITE_QUERY_BATCHING"] = "1" if server == "batched" else "0"
    if server == "before":  # numpy's BLAS on every core (search/dense.py one_blas_thread)
        env["OPENBLAS_NUM_THREADS"] = str(os.cpu_count() or 1)
    if server in ("before", "full scan"):  # no int8 prescan (search/prescan.py)
        env["ONCOCITE_PRESCAN_MIN_ROWS"] = "0"
    process = subprocess.Popen(
        [sys.executable, "-m", "oncocite", "serve", "--db", db, "--port", str(port),
         "--workers", str(workers)],
        env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            probe = Client(port, timeout=2)
            try:
                if probe.request("GET", "/readyz") == 200:
                    break
            except (OSError, http.client.HTTPException):
                pass
            finally:
                probe.close()
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("oncocite serve did not start")
            time.sleep(0.2)
        for _ in range(workers):  # every worker warm: one connection each
            warm = Client(port)
            for question in QUESTIONS:
                warm.ask(question)
            warm.close()
        results: dict[str, list[float]] = {"ask": [], "search": []}
        errors: dict[str, int] = {"ask": 0, "search": 0}
        cpu_before = tree_cpu(process.pid)
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(offset: int) -> None:
            questions = itertools.cycle(QUESTIONS[offset:] + QUESTIONS[:offset])
            session = Client(port)
            try:
                while time.monotonic() < stop:
                    for kind in ("ask", "search"):
                        question = next(questions)
                        if distinct:
                            question = made_new(question, next(serial))
                        started = time.perf_counter()
                        try:
                            send = session.ask if kind == "ask" else session.search
                            ok = send(question) == 200
                        except (OSError, http.client.HTTPException):
                            ok = False
                        elapsed = time.perf_counter() - started
                        with lock:
                            results[kind].append(elapsed)
                            errors[kind] += 0 if ok else 1
            finally:
                session.close()

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        cpu = tree_cpu(process.pid) - cpu_before
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return results, errors, wall, cpu


def table(label: str, outcome: Results) -> list[str]:
    results, errors, wall, _ = outcome
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


def compare(
    db: str, workers: int, clients: int, seconds: float, single: float, rounds: int = 1
) -> list[str]:
    """The servers of SERVERS on one client asking distinct questions one at a time,
    then on repeated, then on distinct questions: a markdown table. The servers of a
    load run one after the other, so that what else the machine is doing meanwhile
    weighs on all alike; `rounds` repeats it all, in reverse order every second round."""
    lines = [
        "| round | load | server | asks/s | ask p50 ms | ask p95 ms | searches/s | errors "
        "| distinct / repeated | server CPU ms / request |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    servers = SERVERS
    for round_ in range(1, rounds + 1):
        rates: dict[tuple[str, str], float] = {}
        for load, distinct, count, length in (
            ("1 client, distinct", True, 1, single),
            ("repeated", False, clients, seconds),
            ("distinct", True, clients, seconds),
        ):
            # which server goes first alternates, so neither always meets the other's
            # leftovers (or a trend in the machine's load) first
            for label in servers if round_ % 2 else servers[::-1]:
                results, errors, wall, cpu = run_load(db, workers, count, length, distinct, label)
                asks = [1000 * v for v in results["ask"]]
                rates[load, label] = len(asks) / wall
                ratio = ""
                if load == "distinct":
                    ratio = f"{rates[load, label] / rates['repeated', label]:.2f}"
                lines.append(
                    f"| {round_} | {load} | {label} | {rates[load, label]:.1f} | "
                    f"{statistics.median(asks):.1f} | {percentile(asks, 95):.1f} | "
                    f"{len(results['search']) / wall:.1f} | {sum(errors.values())} | {ratio} | "
                    f"{1000 * cpu / max(1, len(results['ask']) + len(results['search'])):.2f} |"
                )
                print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="library to serve (default: the seeds, built here)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--distinct", action="store_true", help="make every question new (a number inside it)"
    )
    serving = parser.add_mutually_exclusive_group()
    serving.add_argument(
        "--baseline", action="store_true", help="serve as before issue 28 (BLAS on every core)"
    )
    serving.add_argument("--batched", action="store_true", help="serve with query batching on")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="before, shipped and batched servers, repeated and distinct questions, side by side",
    )
    parser.add_argument(
        "--single", type=float, default=10.0, help="seconds of the one-client run of --compare"
    )
    parser.add_argument("--rounds", type=int, default=1, help="times --compare runs it all")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="then the same load on PostgreSQL (the seeds, --pg-workers workers), side by side",
    )
    parser.add_argument("--pg", help="PostgreSQL URL for --postgres (default: start pgserver)")
    parser.add_argument("--pg-workers", type=int, default=4)
    args = parser.parse_args()
    lines: list[str] = []
    if args.compare:
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or seed(str(Path(tmp) / "load.db"))
            lines = compare(db, args.workers, args.clients, args.seconds, args.single, args.rounds)
        library = args.db or "the two seeds"
        print(f"\n{args.clients} clients, {args.workers} worker(s), {args.seconds:g} s a load "
              f"({args.single:g} s for one client), loopback, {library}")  # fmt: skip
        print("\n".join(lines))
        flags = f"--compare --workers {args.workers} --clients {args.clients} "
        flags += f"--seconds {args.seconds:g} --single {args.single:g} --rounds {args.rounds}"
        print(
            f"reproduce: python benchmarks/load.py {flags}"
            + (f" --db {args.db}" if args.db else "")
        )
        return
    server = "before" if args.baseline else "batched" if args.batched else "shipped"
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or seed(str(Path(tmp) / "load.db"))
        outcome = run_load(db, args.workers, args.clients, args.seconds, args.distinct, server)
        lines += table(f"SQLite, {args.workers} worker(s)", outcome)
        if args.postgres:
            url = seed(postgres_url(Path(tmp), args.pg))
            outcome = run_load(
                url, args.pg_workers, args.clients, args.seconds, args.distinct, server
            )
            lines += table(f"PostgreSQL, {args.pg_workers} worker(s)", outcome)
    asked = "distinct questions" if args.distinct else f"{len(QUESTIONS)} questions repeated"
    asked += {"before": ", as before issue 28", "batched": ", query batching on"}.get(server, "")
    library = args.db or "the two seeds"
    print(f"{args.clients} clients, {args.seconds:g} s each, loopback, {library}, {asked}")
    print("| store | requests | count | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    flags = f"--workers {args.workers} --clients {args.clients} --seconds {args.seconds:g}"
    flags += " --distinct" if args.distinct else ""
    flags += {"before": " --baseline", "batched": " --batched"}.get(server, "")
    if args.postgres:
        flags += f" --postgres --pg-workers {args.pg_workers}"
    print(f"reproduce: python benchmarks/load.py {flags}" + (f" --db {args.db}" if args.db else ""))


if __name__ == "__main__":
    main()
