"""Bench of the standalone Python verifier (run by bench/evidence.ts; not shipped).

    python3 bench/verifier_bench.py DB [--signatures N]

Runs the verifier's phases on DB one after the other, timing each (wall and process CPU), and
Ed25519 micro-benchmarks; prints one JSON object. The phases are the verifier's own functions,
in the order lotseal_verify.verify_database runs them.
"""
import json
import os
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "resources", "verifier"))
import ed25519  # noqa: E402
import lotseal_records as records  # noqa: E402
import lotseal_verify as v  # noqa: E402


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - w0, 3), round(time.process_time() - c0, 3)


def phases(db):
    conn = v.open_db(db)
    sink = v.Findings()
    head = v.head_seq(conn)
    keys, _, _ = timed(lambda: v.load_host_keys(conn, head))
    chain, cw, cc = timed(lambda: v.verify_chain(conn, head, keys, 5 * 60000, sink, v.Progress(False)))
    _, rw, rc = timed(lambda: [v.verify_rows(conn, e, head, sink) for e in records.ENTITIES])
    (sig_findings, counts), sw, sc = timed(lambda: v.verify_signatures(conn, head, v.Progress(False)))
    conn.close()
    return {
        "entries": chain.entries,
        "checkpoints": chain.checkpoints,
        "findings": len(sink.items) + len(sig_findings),
        "e_signatures": counts["signatures"],
        "chain_s": cw, "chain_cpu_s": cc,
        "rows_s": rw, "rows_cpu_s": rc,
        "signatures_s": sw, "signatures_cpu_s": sc,
        "chain_entries_per_cpu_s": round(chain.entries / cc) if cc else None,
        "rows_records_per_cpu_s": None,
    }


def ed25519_rates(n):
    """Verifications per CPU second: one key (its tables built), a few keys, a fresh key each time."""
    seeds = [os.urandom(32) for _ in range(40)]
    pubs = [ed25519.public_key(s) for s in seeds]
    msgs = [os.urandom(200) for _ in range(n)]
    out = {}
    for label, key_of in (("one_key", lambda i: 0), ("forty_keys", lambda i: i % 40)):
        items = [(pubs[key_of(i)], msgs[i], ed25519.sign(seeds[key_of(i)], msgs[i])) for i in range(n)]
        ed25519._reset_keys()
        ok, w, c = timed(lambda: all(ed25519.verify(p, m, s) for p, m, s in items))
        assert ok
        out[label] = {"n": n, "per_cpu_s": round(n / c), "per_s": round(n / w)}
    fresh = [os.urandom(32) for _ in range(min(n, 200))]
    items = [(ed25519.public_key(s), msgs[i], ed25519.sign(s, msgs[i])) for i, s in enumerate(fresh)]
    ed25519._reset_keys()
    ok, w, c = timed(lambda: all(ed25519.verify(p, m, s) for p, m, s in items))
    assert ok
    out["fresh_key_each"] = {"n": len(items), "per_cpu_s": round(len(items) / c), "per_s": round(len(items) / w)}
    _, w, c = timed(lambda: ed25519._fixed_table(ed25519.B, 8))
    out["base_table_build_cpu_s"] = c
    return out


if __name__ == "__main__":
    db = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else None
    n = int(sys.argv[sys.argv.index("--signatures") + 1]) if "--signatures" in sys.argv else 2000
    result = {"python": sys.version.split()[0]}
    if db:
        result["phases"] = phases(db)
        report, w, c = timed(lambda: v.verify_database(db, None, (), 5 * 60000))
        result["full"] = {"ok": report["ok"], "entries": report["entries"], "checkpoints": report["checkpoints"],
                          "findings": len(report["findings"]), "wall_s": w, "cpu_s": c,
                          "entries_per_s": round(report["entries"] / w) if w else None,
                          "entries_per_cpu_s": round(report["entries"] / c) if c else None}
    result["ed25519"] = ed25519_rates(n)
    print(json.dumps(result, indent=2))
