#!/usr/bin/env python3
"""LotSeal standalone verifier: checks a LotSeal database with nothing but Python 3.

    python3 lotseal_verify.py [--db FILE] [--anchor FILE | --no-anchor] [--witness SEQ:HASH]...
                              [--csv FILE] [--skew-minutes N] [--json]

Re-implements, from the published description (docs/ledger.md, "The signed store"), every
check `lotseal verify` makes, and reports the same finding kinds at the same places (kind,
sequence number, record type, record id), in the same JSON shape:

  1. the audit trail's hash chain: every entry's SHA-256 recomputed from its fields, every
     link to the entry before it, gapless sequence numbers, the clock never going back by
     more than the allowed skew;
  2. the signed checkpoints: each names an entry and its hash, and carries a valid Ed25519
     signature by a host key registered (in the audit trail) and valid at its time; the
     newest entry is covered; no checkpoint lies beyond the end;
  3. the records: every row of every table replayed against its latest audit entry;
  4. personal keys and e-signatures, and the rule that a decision carries a valid
     signature of a user entitled to make it (when the database has them);
  5. the workstation's anchor (the last head it signed, kept outside the database), heads
     printed on paper (--witness, e.g. from a certificate of analysis), and the append-only
     triggers of the audit trail.

Run from an evidence folder (`lotseal export --evidence`) without arguments, it checks the
folder's snapshot, anchor and manifest. Exit status: 0 nothing found, 1 findings, 2 the check
could not run. Standard library only (sqlite3, hashlib, json, base64, csv); Ed25519 is
implemented in ed25519.py next to this file, the record types in lotseal_records.py.
"""

import argparse
import base64
import csv
import hashlib
import json
import os
import sqlite3
import sys
import time
from decimal import Decimal
from json.encoder import encode_basestring as _quote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # leave the evidence folder exactly as it was exported
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import ed25519  # noqa: E402
import lotseal_records as records  # noqa: E402

VERIFIER = "lotseal_verify.py"
VERSION = "1"
GENESIS = "0" * 64
MAX_FINDINGS_PER_KIND = 200
DEFAULT_SKEW_MINUTES = 5


class CannotRun(Exception):
    """The check could not run (exit status 2)."""


# --------------------------------------------------------------------------------------
# RFC 8785 (JCS) canonical JSON, exactly as ECMAScript's JSON.stringify writes values
# --------------------------------------------------------------------------------------

def es_number(x):
    """ECMAScript Number::toString of a float (what JSON.stringify and JCS write)."""
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + es_number(-x)
    sign, digits, exp = Decimal(repr(x)).normalize().as_tuple()
    s = "".join(str(d) for d in digits)
    k = len(s)
    n = exp + k  # value = 0.s * 10^n
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + s
    e = n - 1
    mant = s[0] + ("." + s[1:] if k > 1 else "")
    return mant + "e" + ("+" if e > 0 else "-") + str(abs(e))


def jcs_value(v):
    t = type(v)
    if t is str:
        return _quote(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v) if -(2**53) <= v <= 2**53 else es_number(float(v))
    if t is float:
        return es_number(v)
    if t is list or t is tuple:
        return "[" + ",".join(jcs_value(x) for x in v) + "]"
    if t is dict:
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(_quote(k) + ":" + jcs_value(v[k]) for k in keys) + "}"
    raise TypeError("value cannot be canonicalised: %s" % t.__name__)


def jcs(v):
    return jcs_value(v)


def sha256_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def sqlite_hex(v):
    """lower(hex(v)) as SQLite computes it for any storage class."""
    if v is None:
        return ""
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, float):
        return repr(v).encode().hex()
    return str(v).encode("utf-8").hex()


def as_bytes(v):
    if isinstance(v, bytes):
        return v
    if v is None:
        return b""
    return str(v).encode("utf-8")


_B64 = dict((c, i) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
_B64.update({"-": 62, "_": 63})
_STRICT_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def b64decode(s):
    """Base64 as the application's runtime (Node's Buffer.from(s, 'base64')) decodes it: both
    alphabets, characters outside them skipped, decoding stops at the first '='. A key or a
    signature is therefore read as the same bytes by both verifiers, whatever was stored."""
    if not isinstance(s, str):
        return b""
    body = s.rstrip("=")
    if len(s) % 4 == 0 and len(s) - len(body) <= 2 and all(ch in _STRICT_B64 for ch in body):
        return base64.b64decode(s)
    out = bytearray()
    acc = bits = 0
    for ch in s:
        if ch == "=":
            break
        v = _B64.get(ch)
        if v is None:
            continue
        acc = ((acc << 6) | v) & 0xFFFFFF
        bits += 6
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    return bytes(out)


def iso(ms):
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000.0)) + ".%03dZ" % (int(ms) % 1000)
    except (TypeError, ValueError, OverflowError, OSError):
        return str(ms)


# --------------------------------------------------------------------------------------
# Findings
# --------------------------------------------------------------------------------------

class Findings:
    """Findings in the order they are found, at most 200 of a kind (then one 'more' line)."""

    def __init__(self):
        self.items = []
        self.counts = {}

    def add(self, kind, seq, detail, entity=None, id=None):
        n = self.counts.get(kind, 0) + 1
        self.counts[kind] = n
        if n <= MAX_FINDINGS_PER_KIND:
            self.items.append({"kind": kind, "seq": seq, "entity": entity, "id": id, "detail": detail})
        elif n == MAX_FINDINGS_PER_KIND + 1:
            self.items.append({"kind": kind, "seq": seq, "entity": entity, "id": id,
                               "detail": "more %s findings not listed" % kind})


class Progress:
    def __init__(self, enabled):
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, phase, done, total, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if force or now - self.last > 0.5:
            self.last = now
            sys.stderr.write("\r%s %d/%d   " % (phase, done, total))
            sys.stderr.flush()

    def end(self):
        if self.enabled:
            sys.stderr.write("\n")


# --------------------------------------------------------------------------------------
# Opening the database
# --------------------------------------------------------------------------------------

def _lenient_text(b):
    return b.decode("utf-8", "replace")


def open_db(path):
    if not os.path.isfile(path):
        raise CannotRun("database not found: %s" % path)
    try:
        uri = "file:%s?mode=ro" % _uri_path(path)
        conn = sqlite3.connect(uri, uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as e:
        raise CannotRun("cannot open %s as a SQLite database: %s" % (path, e))
    for table in ("audit_entry", "checkpoint"):
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone():
            raise CannotRun("%s is not a LotSeal database (no table %s)" % (path, table))
    return conn


def _uri_path(path):
    p = os.path.abspath(path).replace("\\", "/")
    out = []
    for ch in p:
        out.append(ch if ch.isalnum() or ch in "/-_.~:" else "%%%02X" % ord(ch) if ord(ch) < 128
                   else "".join("%%%02X" % b for b in ch.encode("utf-8")))
    s = "".join(out)
    return s if s.startswith("/") else "/" + s


def head_seq(conn):
    r = conn.execute("SELECT max(seq) FROM audit_entry").fetchone()
    return r[0] or 0


# --------------------------------------------------------------------------------------
# The host key registry (docs/ledger.md section 3), rebuilt from the audit trail
# --------------------------------------------------------------------------------------

MISSING = object()


def js_num(v):
    """A value as JavaScript's relational operators see it (null -> 0); MISSING -> NaN (None here)."""
    if v is MISSING:
        return None
    if v is None:
        return 0
    if isinstance(v, bool):
        return 1 if v else 0
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return float(v.strip() or "0")
        except ValueError:
            return None
    return None


def js_le(a, b):
    a, b = js_num(a), js_num(b)
    return a is not None and b is not None and a <= b


def load_host_keys(conn, through):
    keys = {}
    rows = conn.execute(
        "SELECT seq, entity_id, content FROM audit_entry WHERE entity = 'signing_key' AND seq <= ? ORDER BY seq",
        (through,))
    for seq, key_id, content in rows:
        try:
            c = json.loads(content)
        except (ValueError, TypeError):
            continue  # a damaged registry entry is reported by the chain check
        if not isinstance(c, dict):
            continue
        valid_to = seq if c.get("retired") else c.get("valid_to", MISSING)
        keys.setdefault(key_id, []).append({
            "id": key_id,
            "public_key": c.get("public_key"),
            "valid_from": c.get("valid_from", MISSING),
            "valid_to": valid_to,
            "seq": seq,
        })
    return keys


def checkpoint_message(seq, head_hex, at, key_id):
    return jcs({"at": at, "head": head_hex, "key": key_id, "seq": seq}).encode("utf-8")


def check_checkpoint(cp, entry_hash_hex, keys, sink):
    seq, head, at, key_id, sig = cp
    head_hex = sqlite_hex(head)
    if entry_hash_hex is None:
        sink.add("checkpoint_mismatch", seq, "checkpoint #%s names entry #%s, which is not in the audit trail" % (seq, seq))
    elif entry_hash_hex != head_hex:
        sink.add("checkpoint_mismatch", seq, "checkpoint #%s signed a different hash than entry #%s has" % (seq, seq))
    versions = keys.get(key_id) if isinstance(key_id, str) else None
    valid = False
    if versions:
        for k in versions:
            if k["seq"] <= seq and js_le(k["valid_from"], at) and (k["valid_to"] is None or js_le(at, k["valid_to"])):
                valid = True
                break
    candidate = versions[-1] if versions else None
    if not valid or candidate is None:
        sink.add("unknown_key", seq,
                 "checkpoint #%s is signed by key %s, which is not registered or not valid at that time" % (seq, key_id))
        if candidate is None:
            return
    pub = b64decode(candidate["public_key"])
    try:
        msg = checkpoint_message(seq, head_hex, at, key_id)
        good = ed25519.verify(pub, msg, as_bytes(sig))
    except TypeError:
        good = False
    if not good:
        sink.add("checkpoint_signature_invalid", seq,
                 "the signature of checkpoint #%s does not verify with key %s" % (seq, key_id))


# --------------------------------------------------------------------------------------
# 1 + 2: the chain and the checkpoints
# --------------------------------------------------------------------------------------

ENTRY_SQL = ("SELECT seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash "
             "FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq")


def entry_preimage(at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev_hex, seq):
    """docs/ledger.md section 2; None if a column does not hold the type the ledger wrote."""
    if type(at) is not int or type(content) is not str or (reason is not None and type(reason) is not str):
        return None
    try:
        return ('{"action":%s,"actor":%s,"actor_name":%s,"at":%d,"content":%s,"entity":%s,"entity_id":%s,'
                '"prev":"%s","reason":%s,"seq":%d,"tz":%s,"ws":%s}' % (
                    _quote(action), _quote(actor), _quote(actor_name), at, content, _quote(entity),
                    _quote(entity_id), prev_hex, "null" if reason is None else _quote(reason), seq,
                    _quote(tz), _quote(ws)))
    except TypeError:
        return None


def clock_detail(seq, at, max_at):
    return "entry #%s is dated %s, %d s before an earlier entry" % (seq, iso(at), round((max_at - at) / 1000.0))


class Chain:
    """What the chain walk learns, for the later checks."""

    def __init__(self):
        self.entries = 0
        self.checkpoints = 0
        self.last_checkpoint = None


CHUNK = 2000


def _python_rows(conn, lo, hi, limit):
    """A chunk as (seq, at, preimage or None, prev, hash), the preimage assembled here."""
    try:
        rows = conn.execute(ENTRY_SQL + " LIMIT ?", (lo, hi, limit)).fetchall()
    except sqlite3.OperationalError:
        # Text that is not valid UTF-8 (only a tampered file has it): decoded leniently, as
        # the application's SQLite driver does; such an entry then fails its hash.
        old = conn.text_factory
        conn.text_factory = _lenient_text
        try:
            rows = conn.execute(ENTRY_SQL + " LIMIT ?", (lo, hi, limit)).fetchall()
        finally:
            conn.text_factory = old
    out = []
    for seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hsh in rows:
        prev_hex = prev.hex() if type(prev) is bytes else sqlite_hex(prev)
        out.append((seq, at, entry_preimage(at, tz, actor, actor_name, ws, action, entity, entity_id, reason,
                                            content, prev_hex, seq), prev, hsh))
    return out


def verify_chain(conn, head, keys, skew_ms, sink, progress):
    chain = Chain()
    cps = conn.execute("SELECT seq, head, at, key_id, sig FROM checkpoint WHERE seq >= 1 AND seq <= ? ORDER BY seq",
                       (head,)).fetchall()
    ci = 0
    ncp = len(cps)
    expected = 1
    prev_hash = bytes(32)  # the stored hash of the entry before (bytes), GENESIS for the first
    max_at = None
    cursor = 1
    sha256 = hashlib.sha256
    who = lambda seq: tuple(_text(x) for x in (conn.execute(  # noqa: E731
        "SELECT entity, entity_id FROM audit_entry WHERE seq = ?", (seq,)).fetchone() or (None, None)))
    while cursor <= head:
        rows = _python_rows(conn, cursor, head, CHUNK)
        if not rows:
            break
        for seq, at, pre, prev, hsh in rows:
            while ci < ncp and cps[ci][0] < seq:
                # a checkpoint naming an entry that is not in the trail
                check_checkpoint(cps[ci], None, keys, sink)
                chain.checkpoints += 1
                chain.last_checkpoint = cps[ci][0]
                ci += 1
            if seq != expected:
                sink.add("sequence_gap", seq,
                         "entries #%d–#%d are missing" % (expected, seq - 1) if seq > expected
                         else "entry #%s is out of order" % seq)
            if type(hsh) is bytes:
                ok = pre is not None and sha256(pre.encode("utf-8")).digest() == hsh
                cur_hash = hsh
            else:
                cur_hash = bytes.fromhex(sqlite_hex(hsh)) if hsh is not None else b""
                ok = pre is not None and sha256(pre.encode("utf-8")).hexdigest() == sqlite_hex(hsh)
            if not ok:
                e, i = who(seq)
                sink.add("entry_hash_mismatch", seq, "entry #%s (%s %s) does not match its hash" % (seq, e, i), e, i)
            if (prev if type(prev) is bytes else bytes.fromhex(sqlite_hex(prev))) != prev_hash:
                e, i = who(seq)
                sink.add("chain_break", seq, "entry #%s does not link to the entry before it" % seq, e, i)
            if type(at) in (int, float):
                if max_at is not None and at < max_at - skew_ms:
                    e, i = who(seq)
                    sink.add("clock_regression", seq, clock_detail(seq, at, max_at), e, i)
                if max_at is None or at > max_at:
                    max_at = at
            prev_hash = cur_hash
            expected = seq + 1
            chain.entries += 1
            if ci < ncp and cps[ci][0] == seq:
                check_checkpoint(cps[ci], cur_hash.hex(), keys, sink)
                chain.checkpoints += 1
                chain.last_checkpoint = seq
                ci += 1
        cursor = rows[-1][0] + 1
        progress("chain", cursor - 1, head)
    while ci < ncp:
        check_checkpoint(cps[ci], None, keys, sink)
        chain.checkpoints += 1
        chain.last_checkpoint = cps[ci][0]
        ci += 1
    progress("chain", head, head, force=True)
    chain.max_at = max_at
    return chain


def _text(v):
    return None if v is None else (v if isinstance(v, str) else str(v))


def check_coverage(conn, head, chain, sink):
    max_cp = conn.execute("SELECT max(seq) FROM checkpoint").fetchone()[0]
    beyond = max_cp is not None and isinstance(max_cp, int) and max_cp > head
    if beyond:
        sink.add("tail_truncated", head,
                 "checkpoint #%s covers entries up to #%s, but the audit trail ends at #%s" % (max_cp, max_cp, head))
    last = chain.last_checkpoint
    if head > 0 and (last is None or last < head) and not beyond:
        first = (last or 0) + 1
        sink.add("checkpoint_mismatch", first, "entries #%s–#%s are not covered by any signed checkpoint" % (first, head))


def sort_by_seq(items):
    big = float("inf")
    return sorted(items, key=lambda f: big if f["seq"] is None else f["seq"])


# --------------------------------------------------------------------------------------
# 3: the records, replayed against the audit trail
# --------------------------------------------------------------------------------------

def _key_order(cols):
    return sorted(cols, key=lambda k: k.encode("utf-16-be"))


def row_matches(row, content, added):
    try:
        if jcs(row) == content:
            return True
    except TypeError:
        return False
    if not added or not isinstance(content, str):
        return False
    stripped = None
    for c in added:
        if row.get(c, MISSING) is None and (json.dumps(c) + ":") not in content:
            if stripped is None:
                stripped = dict(row)
            del stripped[c]
    try:
        return stripped is not None and jcs(stripped) == content
    except TypeError:
        return False


def diff_fields(row, content, entity):
    try:
        c = json.loads(content)
    except (ValueError, TypeError):
        return ""
    if not isinstance(c, dict):
        return ""
    secret = set(entity.get("secret") or [])

    def enc(v):
        if v is MISSING:
            return None
        try:
            return jcs(v)
        except TypeError:
            return repr(v)

    fields = [k for k in list(c) + [k for k in row if k not in c] if enc(c.get(k, MISSING)) != enc(row.get(k, MISSING))]
    shown = [k + " (secret)" if k in secret else k for k in fields]
    return " in field(s) " + ", ".join(shown) if fields else ""


def table_columns(conn, table):
    return [r[1] for r in conn.execute('PRAGMA table_info("%s")' % table.replace('"', '""'))]


_MAX_SAFE = 2**53


def _flat_canonical(prefixes, values):
    """JCS of a flat record whose keys are already in JCS order (prefixes carry the keys)."""
    parts = []
    for p, v in zip(prefixes, values):
        t = type(v)
        if t is str:
            parts.append(p + _quote(v))
        elif v is None:
            parts.append(p + "null")
        elif t is int and -_MAX_SAFE <= v <= _MAX_SAFE:
            parts.append(p + str(v))
        else:
            try:
                parts.append(p + jcs_value(v))
            except TypeError:
                return None
    return "".join(parts) + "}"


def verify_rows(conn, entity, head, sink):
    name, table = entity["name"], entity["table"]
    cols = _key_order(["id", "rev", "retired"] + list(entity["columns"]))
    prefixes = ["{" + _quote(cols[0]) + ":"] + ["," + _quote(c) + ":" for c in cols[1:]]
    id_pos = cols.index("id")
    existing = set(table_columns(conn, table))
    if not existing:
        for eid, seq in conn.execute(
                "SELECT entity_id, max(seq) FROM audit_entry WHERE entity = ? AND seq <= ? GROUP BY entity_id",
                (name, head)):
            sink.add("row_missing", seq, "%s %s is in the audit trail but table %s does not exist" % (name, eid, table),
                     name, eid)
        return
    select = ", ".join(('t."%s"' % c) if c in existing else "NULL" for c in cols)
    added = entity.get("added") or []
    q = ('SELECT l.entity_id, l.seq, a.content, %s FROM '
         '(SELECT entity_id, max(seq) AS seq FROM audit_entry WHERE entity = ? AND seq <= ? GROUP BY entity_id) l '
         'JOIN audit_entry a ON a.seq = l.seq LEFT JOIN "%s" t ON t.id = l.entity_id' % (select, table))
    for r in conn.execute(q, (name, head)):
        eid, seq, content = r[0], r[1], r[2]
        values = r[3:]
        if values[id_pos] is None:
            sink.add("row_missing", seq, "%s %s is in the audit trail but not in table %s" % (name, eid, table), name, eid)
            continue
        if _flat_canonical(prefixes, values) == content:
            continue
        row = dict(zip(cols, values))
        if not row_matches(row, content, added):
            sink.add("row_modified", seq, "%s %s differs from audit entry #%s%s" % (
                name, row["id"], seq, diff_fields(row, content, entity)), name, _text(row["id"]))
    q2 = ('SELECT t.id FROM "%s" t WHERE NOT EXISTS '
          '(SELECT 1 FROM audit_entry a WHERE a.entity = ? AND a.entity_id = t.id AND a.seq <= ?)' % table)
    for (rid,) in conn.execute(q2, (name, head)):
        if rid is None:
            continue
        sink.add("row_unrecorded", None, "%s %s is in table %s without any audit entry" % (name, rid, table),
                 name, _text(rid))


# --------------------------------------------------------------------------------------
# 5: anchor, witnesses, triggers
# --------------------------------------------------------------------------------------

def read_anchor(path):
    try:
        with open(path, "r", encoding="utf-8") as f:
            a = json.load(f)
    except (OSError, ValueError) as e:
        raise CannotRun("the anchor file %s cannot be read: %s" % (path, e))
    if (not isinstance(a, dict) or type(a.get("seq")) not in (int, float) or not isinstance(a.get("hash"), str)
            or not isinstance(a.get("database_id"), str)):
        raise CannotRun("the anchor file %s is not a LotSeal anchor" % path)
    return a


def check_anchor(conn, head, anchor, sink):
    if anchor is None:
        return
    seq = anchor["seq"]
    if head < seq:
        sink.add("anchor_behind", head,
                 "the database ends at #%s, but this workstation signed up to #%s: it was replaced by an older copy"
                 % (head, seq))
        return
    r = conn.execute("SELECT hash FROM audit_entry WHERE seq = ?", (seq,)).fetchone()
    if r is None or sqlite_hex(r[0]) != anchor["hash"]:
        sink.add("anchor_behind", seq, "entry #%s is not the one this workstation signed: the database was replaced" % seq)


def parse_witness(text):
    """A head printed on paper: SEQ:HASH (or #SEQ|HASH), or a document's QR text
    LOTSEAL|<KIND>|<subject>|SEQ|HASH. The hash is the full 64 hex digits, or at least the 16
    a document's footer prints (an extension of `lotseal verify --witness`, which takes 64)."""
    t = text.strip()
    if t.startswith("LOTSEAL|"):
        parts = t.split("|")
        if len(parts) < 4:
            raise CannotRun("not a LotSeal QR text: %s" % text)
        seq_s, h = parts[-2], parts[-1]
    else:
        sep = ":" if ":" in t else "|"
        if sep not in t:
            raise CannotRun("--witness wants SEQ:HASH, got %s" % text)
        seq_s, h = t.split(sep, 1)
    seq_s = seq_s.strip().lstrip("#").strip()
    h = h.strip().lower().replace(" ", "")
    if (not seq_s.isdigit() or len(seq_s) > 15 or int(seq_s) < 1 or not (16 <= len(h) <= 64)
            or any(ch not in "0123456789abcdef" for ch in h)):
        raise CannotRun("--witness wants SEQ:HASH (a sequence number and 16 to 64 hex digits), got %s" % text)
    return int(seq_s), h


def check_witness(conn, witnesses, sink):
    head = head_seq(conn)
    for seq, h in witnesses:
        r = conn.execute("SELECT hash, entity, entity_id FROM audit_entry WHERE seq = ?", (seq,)).fetchone()
        if r is None:
            sink.add("witness_mismatch", seq, "the chain ends at #%s: it does not hold the witnessed entry #%s" % (head, seq))
            continue
        stored = sqlite_hex(r[0])
        if not stored.startswith(h):
            sink.add("witness_mismatch", seq, "entry #%s has hash %s, but the witness says %s" % (seq, stored, h),
                     _text(r[1]), _text(r[2]))


def _safe_int(v):
    return isinstance(v, int) and not isinstance(v, bool) and abs(v) <= 9007199254740991


def changed_fields(before, after):
    """The columns whose values differ between two contents of a record (rev left out; absent = null), sorted."""
    keys = set(before) | set(after)
    keys.discard("rev")
    return sorted(k for k in keys if not js_same(before.get(k), after.get(k)))


def check_corrections(conn, head, sink):
    """docs/ledger.md §1.1: every correction record names what the trail holds (correction_mismatch)."""
    old = conn.text_factory
    conn.text_factory = _lenient_text
    try:
        _check_corrections(conn, head, sink)
    finally:
        conn.text_factory = old


def _check_corrections(conn, head, sink):
    rows = conn.execute(
        "SELECT seq, action, entity, entity_id, content FROM audit_entry WHERE entity = 'correction' "
        "AND action = 'create' AND seq <= ? ORDER BY seq", (head,)).fetchall()
    if not rows:
        return

    def entry_at(seq):
        return conn.execute("SELECT seq, action, entity, entity_id, content FROM audit_entry WHERE seq = ?",
                            (seq,)).fetchone()

    def tx_end(seq):
        return conn.execute("SELECT min(seq) FROM checkpoint WHERE seq >= ?", (seq,)).fetchone()[0]

    def content_of(e):
        return parse_json(_text(e[4])) if e is not None else {}

    m16 = conn.execute("SELECT seq FROM audit_entry WHERE entity = 'schema_migration' AND entity_id = '0016' "
                       "ORDER BY seq LIMIT 1").fetchone()
    backfill_tx = tx_end(m16[0]) if m16 else None
    for e in rows:
        seq = e[0]
        c = content_of(e)

        def problem():
            entity, rid = c.get("entity"), c.get("entity_id")
            cs, os_ = c.get("correction_seq"), c.get("original_seq")
            if not isinstance(entity, str) or not isinstance(rid, str) or not _safe_int(cs) or not _safe_int(os_):
                return "the correction does not name a record and two entries"
            corrected = entry_at(cs) if cs < seq else None
            if corrected is None or corrected[1] != "update" or _text(corrected[2]) != entity or _text(corrected[3]) != rid:
                return "entry #%s is not an earlier update of %s %s" % (cs, entity, rid)
            original = entry_at(os_) if os_ > 0 else None
            if os_ > 0 and (original is None or _text(original[2]) != entity or _text(original[3]) != rid
                            or original[0] >= corrected[0]):
                return "entry #%s is not an earlier entry of %s %s" % (os_, entity, rid)
            if os_ == 0 and conn.execute("SELECT max(seq) FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ?",
                                         (entity, rid, corrected[0])).fetchone()[0] is not None:
                return "%s %s has entries before #%s, the correction names none" % (entity, rid, corrected[0])
            tx = tx_end(corrected[0])
            nxt = conn.execute("SELECT min(seq) FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq > ?",
                               (entity, rid, os_)).fetchone()[0]
            if nxt is None:
                nxt = corrected[0]
            if tx is None or tx_end(nxt) != tx:
                return "entries of %s %s between #%s and #%s lie outside the correction's transaction" % (
                    entity, rid, os_, corrected[0])
            in_backfill = backfill_tx is not None and seq <= backfill_tx and tx_end(seq) == backfill_tx
            if not in_backfill and tx_end(seq) != tx:
                return "the correction is not in the transaction of entry #%s" % corrected[0]
            fields = json.dumps(changed_fields(content_of(original), content_of(corrected)), separators=(",", ":"),
                                ensure_ascii=False)
            if c.get("fields") != fields:
                return "the corrected fields are %s, not %s" % (fields, c.get("fields"))
            return None

        try:
            p = problem()
        except ValueError:
            p = "the correction does not name a record and two entries"
        if p:
            sink.add("correction_mismatch", seq, p, "correction", _text(e[3]))


def check_triggers(conn, sink):
    """The triggers every applied migration created are there, with their exact SQL."""
    try:
        applied = set(r[0] for r in conn.execute("SELECT id FROM schema_migration"))
    except sqlite3.Error:
        return
    actual = dict((r[0], r[1]) for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for t in records.TRIGGERS:
        if t["migration"] not in applied:
            continue
        if t["name"] not in actual:
            sink.add("triggers_missing", None, "the append-only trigger %s on %s was dropped" % (t["name"], t["table"]),
                     t["table"], t["name"])
        elif actual[t["name"]] != t["sql"]:
            sink.add("triggers_missing", None,
                     "the append-only trigger %s on %s was replaced by another" % (t["name"], t["table"]),
                     t["table"], t["name"])


# --------------------------------------------------------------------------------------
# Key registrations, for the report and for comparing fingerprints
# --------------------------------------------------------------------------------------

def key_report(conn, head):
    names = {}
    for eid, content in conn.execute(
            "SELECT entity_id, content FROM audit_entry WHERE entity = 'user' AND seq <= ? ORDER BY seq", (head,)):
        try:
            names[eid] = json.loads(content).get("printed_name")
        except (ValueError, AttributeError, TypeError):
            pass
    host = {}
    for seq, at, actor, eid, content in conn.execute(
            "SELECT seq, at, actor, entity_id, content FROM audit_entry WHERE entity = 'signing_key' AND seq <= ? ORDER BY seq",
            (head,)):
        try:
            c = json.loads(content)
        except (ValueError, TypeError):
            continue
        k = host.get(eid)
        if k is None:
            k = host[eid] = {"id": eid, "registered_seq": seq, "registered_at": iso(at), "registered_by": actor}
        raw = b64decode(c.get("public_key"))
        k.update({
            "public_key": c.get("public_key"),
            "fingerprint": c.get("fingerprint"),
            "fingerprint_of_public_key": hashlib.sha256(raw).hexdigest() if raw else None,
            "host": c.get("host"),
            "host_kind": c.get("host_kind"),
            "valid_from": iso(c["valid_from"]) if isinstance(c.get("valid_from"), int) else None,
            "valid_to": iso(c["valid_to"]) if isinstance(c.get("valid_to"), int) else None,
            "retired": bool(c.get("retired")),
            "last_seq": seq,
        })
    personal = {}
    for seq, at, actor, eid, content in conn.execute(
            "SELECT seq, at, actor, entity_id, content FROM audit_entry WHERE entity = 'personal_key' AND seq <= ? ORDER BY seq",
            (head,)):
        try:
            c = json.loads(content)
        except (ValueError, TypeError):
            continue
        k = personal.get(eid)
        if k is None:
            k = personal[eid] = {"id": eid, "registered_seq": seq, "registered_at": iso(at), "registered_by": actor}
        raw = b64decode(c.get("public_key"))
        k.update({
            "user_id": c.get("user_id"),
            "printed_name": names.get(c.get("user_id")),
            "public_key": c.get("public_key"),
            "fingerprint": c.get("fingerprint"),
            "fingerprint_of_public_key": hashlib.sha256(raw).hexdigest() if raw else None,
            "valid_from": iso(c["valid_from"]) if isinstance(c.get("valid_from"), int) else None,
            "valid_to": iso(c["valid_to"]) if isinstance(c.get("valid_to"), int) else None,
            "enrolment": c.get("enrolment"),
            "retired": bool(c.get("retired")),
            "last_seq": seq,
        })
    return {"host": list(host.values()), "personal": list(personal.values())}


# --------------------------------------------------------------------------------------
# 4: personal keys, e-signatures and the signed-change rules (docs/ledger.md section 3)
# --------------------------------------------------------------------------------------

ESIG_VERSION = "lotseal-esig-1"
ENROLMENT_VERSION = "lotseal-enrolment-1"
IDENTITY = ["user", "personal_key", "signature", "signing_key"]
KEY_IMMUTABLE = ["user_id", "public_key", "fingerprint", "valid_from", "enrolment", "enrolment_proof"]
INF = float("inf")


def _reject_constant(name):
    raise ValueError("not JSON: %s" % name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json(text):
    """JSON.parse: NaN and Infinity are not JSON."""
    return _DECODER.decode(text)


def js_same(a, b):
    """JavaScript's === on JSON values (objects and arrays are never === another)."""
    if a is None or b is None or a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def js_includes(values, v):
    return any(js_same(x, v) for x in values)


def js_stringify_eq(a, b):
    """JSON.stringify(a) === JSON.stringify(b) for JSON values (undefined counted as null by the callers)."""
    try:
        return jcs_value(a) == jcs_value(b) if not (isinstance(a, dict) or isinstance(b, dict)) else \
            json.dumps(a, ensure_ascii=False, separators=(",", ":")) == json.dumps(b, ensure_ascii=False, separators=(",", ":"))
    except TypeError:
        return False


def _get(d, k):
    """`d[k] ?? null`."""
    v = d.get(k, None) if isinstance(d, dict) else None
    return None if v is MISSING else v


def holds(cond, value):
    v = None if value is MISSING else value
    if "in" in cond and not js_includes(cond["in"], v):
        return False
    if "notIn" in cond and js_includes(cond["notIn"], v):
        return False
    return True


def match_rules(rules, entity, action, before, after, lookup, setting=lambda name: None):
    """The rules a change matches (src/shared/domain/signed-changes.ts `matchRules`)."""
    out = []
    for r in rules:
        if r["entity"] != entity or r["on"] != action:
            continue
        if r["on"] == "update" and before is None:
            continue
        field = r.get("field")
        if field:
            now = _get(after, field)
            was = _get(before, field) if before is not None else None
            if r["on"] == "update" and js_stringify_eq(now, was):
                continue
            to = r.get("to")
            if to == "set" and now is None:
                continue
            if isinstance(to, list) and not js_includes(to, now):
                continue
            if "from" in r and not js_includes(r["from"], was):
                continue
        if "where" in r and not all(holds(c, after.get(c["field"], MISSING)) for c in r["where"]):
            continue
        ref = r.get("ref")
        if ref:
            target = lookup(ref["entity"], ref["by"], _get(after, ref["from"]))
            if target is None or not holds(ref, target.get(ref["field"], MISSING)):
                continue
        if "setting" in r and not all(setting_holds(c, after.get(c["field"], MISSING), setting(c["setting"]))
                                      for c in r["setting"]):
            continue
        out.append(r)
    return out


def _utf16_units(s):
    """A string as JavaScript sees it: its UTF-16 code units (lone surrogates kept)."""
    b = s.encode("utf-16-be", "surrogatepass")
    return [(b[i] << 8) | b[i + 1] for i in range(0, len(b), 2)]


def setting_holds(cond, value, setting):
    """A rule's setting condition (`settingHolds`): `before` when both are strings and the field's
    value (its first `chars` UTF-16 code units) sorts before the setting's, as JavaScript's `<`;
    `notBefore` is its exact negation."""
    before = False
    if isinstance(value, str) and isinstance(setting, str):
        units = _utf16_units(value)
        if "chars" in cond:
            units = units[:cond["chars"]]
        before = units < _utf16_units(setting)
    return before if cond["op"] == "before" else not before


RULE_SETTINGS_ID = "global"
# The instants a local date is computed for (four-digit years in every zone, as both languages can): else "".
_MIN_MS, _MAX_MS = -30610137600000, 253402214399999


def rule_setting_value(name, setting_json, entry_at, time_zone, database_created_at):
    """`ruleSettingValue`: a setting in force just before an entry. `goLiveDate`: the string in the
    `setting` record `global`'s JSON value as it stood, else the database's creation date - the
    local date of the database record's `created_at` (the entry's time when there is none) in the
    entry's time zone (UTC when the zone is unknown)."""
    obj = None
    if isinstance(setting_json, str):
        try:
            obj = parse_json(setting_json)
        except (ValueError, TypeError, RecursionError):
            obj = None
    v = obj.get(name, MISSING) if isinstance(obj, dict) else MISSING
    if isinstance(v, str):
        return v
    return local_date_in(time_zone, database_created_at if database_created_at is not None else entry_at)


_ZONES = {}


def _zone(name):
    try:
        import zoneinfo
    except ImportError:
        raise CannotRun("a go-live date falls back to the database's creation date in time zone %s: "
                        "this needs Python 3.9 or later (zoneinfo)" % _s(name))
    if "tzdb" not in _ZONES:
        _ZONES["tzdb"] = bool(zoneinfo.available_timezones())
    if not _ZONES["tzdb"]:
        raise CannotRun("a go-live date falls back to the database's creation date in time zone %s: "
                        "this Python has no time-zone database (install the tzdata package)" % _s(name))
    if name not in _ZONES:
        try:
            _ZONES[name] = zoneinfo.ZoneInfo(name) if isinstance(name, str) else None
        except (ValueError, KeyError, OSError, zoneinfo.ZoneInfoNotFoundError):
            _ZONES[name] = None
    return _ZONES[name]


def local_date_in(time_zone, ms):
    """`localDateIn`: the local date (YYYY-MM-DD) of an instant in an IANA zone; "" out of range."""
    import datetime
    if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not (_MIN_MS <= ms <= _MAX_MS):
        return ""
    utc = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=ms)
    tz = _zone(time_zone) or datetime.timezone.utc
    try:
        d = utc.astimezone(tz)
    except (OverflowError, ValueError):
        return ""
    return "%04d-%02d-%02d" % (d.year, d.month, d.day)


def rule_entities(rules):
    """Record type -> the fields the rules read (`ruleEntities`), in first-seen order."""
    out = {}

    def add(e, f):
        fields = out.setdefault(e, [])
        if f and f not in fields:
            fields.append(f)

    for r in rules:
        add(r["entity"], r.get("field"))
        for w in r.get("where", []):
            add(r["entity"], w["field"])
        for c in r.get("setting", []):
            add(r["entity"], c["field"])
        if r.get("ref"):
            add(r["entity"], r["ref"]["from"])
            add(r["ref"]["entity"], r["ref"]["by"])
            add(r["ref"]["entity"], r["ref"]["field"])
    return out


def rules_by_meaning(rules):
    index = {}
    for r in rules:
        for m in r["meanings"]:
            index.setdefault((r["entity"], m), []).append(r)
    return lambda entity, meaning: index.get((entity, meaning), [])


def evaluate_transaction(changes, sigs, rules_for):
    """src/main/ledger/signed-check.ts `evaluateTransaction`: what is missing, who was not entitled."""
    out = []
    not_entitled = set()

    def refuse(s, detail):
        if s["id"] in not_entitled:
            return
        not_entitled.add(s["id"])
        out.append(("signer_not_entitled", s["seq"], "signature", s["id"], detail))

    for c in changes:
        rules = c["rules"]
        if not rules:
            continue
        if c["actor"] == "system" and any(r.get("systemUnsigned") for r in rules):
            continue
        meanings = []
        for r in rules:
            for m in r["meanings"]:
                if m not in meanings:
                    meanings.append(m)
        ids = [r["id"] for r in rules]
        candidates = [s for s in sigs if s["entity"] == c["entity"] and s["entity_id"] == c["id"] and s["meaning"] in meanings]
        if not candidates:
            out.append(("signature_missing", c["seq"], c["entity"], c["id"],
                        "%s %s changed at #%s (%s) without a personal signature (%s) in the same transaction"
                        % (c["entity"], c["id"], c["seq"], ", ".join(ids), " / ".join(meanings))))
            continue
        valid = [s for s in candidates if s["valid"]]
        if not valid:
            continue  # reported as signature_invalid on the signature itself
        entitled = any(s["active"] and any(s["meaning"] in r["meanings"] and any(role in s["roles"] for role in r["roles"])
                                           for r in rules) for s in valid)
        if not entitled:
            s = valid[0]
            roles = []
            for r in rules:
                for role in r["roles"]:
                    if role not in roles:
                        roles.append(role)
            refuse(s, "%s signed %s on %s %s (%s) without holding %s%s at #%s" % (
                s["signer"], s["meaning"], c["entity"], c["id"], ", ".join(ids), " or ".join(roles),
                "" if s["active"] else " as an active account", s["seq"]))
    for s in sigs:
        if not s["valid"]:
            continue
        if not s["active"]:
            refuse(s, "%s was not an active account when signing %s at #%s" % (s["signer"], s["meaning"], s["seq"]))
            continue
        rules = rules_for(s["entity"], s["meaning"])
        if rules and not any(any(role in s["roles"] for role in r["roles"]) for r in rules):
            roles = []
            for r in rules:
                for role in r["roles"]:
                    if role not in roles:
                        roles.append(role)
            refuse(s, "%s signed %s on %s %s without holding %s at #%s" % (
                s["signer"], s["meaning"], s["entity"], s["entity_id"], " or ".join(roles), s["seq"]))
    return out


def signed_content(entity_def, record):
    """The part of a record a signature covers: its `signed` columns and id, or the whole
    record; without `added` columns that are NULL or absent (docs/ledger.md section 3.2)."""
    if entity_def.get("signed"):
        out = {}
        if "id" in record:
            out["id"] = record["id"]
        for c in entity_def["signed"]:
            out[c] = _get(record, c)
    else:
        out = dict(record)
    for c in entity_def.get("added") or []:
        if c in out and out[c] is None:
            del out[c]
    return out


def record_hash(entity_def, record):
    return sha256_hex(jcs(signed_content(entity_def, record)))


def esig_fields(c):
    """A signature record's signed fields (absent ones stay absent, as JavaScript's undefined)."""
    f = {"comment": _get(c, "comment")}
    for out_key, key in (("entity", "entity"), ("entity_id", "entity_id"), ("head_hash", "head_hash"),
                         ("head_seq", "head_seq"), ("key", "key_id"), ("meaning", "meaning"),
                         ("printed_name", "printed_name"), ("record_hash", "record_hash"),
                         ("signed_at", "signed_at"), ("signer", "user_id"), ("tz", "tz")):
        if key in c:
            f[out_key] = c[key]
    return f


def esig_message(f):
    m = dict(f)
    m["v"] = ESIG_VERSION
    return jcs(m).encode("utf-8")


def verify_esig(public_b64, f, sig_b64):
    sig = b64decode(sig_b64)
    if len(sig) != 64:
        return False
    try:
        return ed25519.verify(b64decode(public_b64), esig_message(f), sig)
    except TypeError:
        return False


def verify_enrolment_proof(enrolment_key_json, f, proof_b64):
    if not enrolment_key_json or not proof_b64:
        return False
    try:
        k = parse_json(enrolment_key_json)
    except (ValueError, TypeError):
        return False
    if not isinstance(k, dict) or not isinstance(k.get("public_key"), str):
        return False
    sig = b64decode(proof_b64)
    if len(sig) != 64:
        return False
    msg = jcs({"enrolment": f["enrolment"], "fingerprint": f["fingerprint"], "user": f["user"],
               "v": ENROLMENT_VERSION}).encode("utf-8")
    return ed25519.verify(b64decode(k["public_key"]), msg, sig)


def legacy_boundary(conn, through):
    """The last entry of the transaction that applied migration 0011 (infinity: never applied)."""
    r = conn.execute(
        "SELECT a.seq, (SELECT min(c.seq) FROM checkpoint c WHERE c.seq >= a.seq) FROM audit_entry a "
        "WHERE a.entity = 'schema_migration' AND a.entity_id = '0011' AND a.seq <= ? ORDER BY a.seq LIMIT 1",
        (through,)).fetchone()
    if r is None:
        return INF
    return r[1] if r[1] is not None else r[0]


def signature_entries_sql():
    """The entries the pass reads: identity records and the record types the rules name; a type
    whose every rule is a creation with a required value is pre-filtered on its content's text."""
    by_entity = {}
    for r in records.RULES:
        by_entity.setdefault(r["entity"], []).append(r)
    # and the entries the settings rules compare with come from: the settings record, the database record
    parts = ["entity IN (%s)" % ", ".join("?" for _ in IDENTITY),
             "(entity = 'setting' AND entity_id = '%s') OR entity = 'database'" % RULE_SETTINGS_ID]
    params = list(IDENTITY)
    for entity, rules in by_entity.items():
        if entity in IDENTITY:
            continue
        prefilter = all(r["on"] == "create" and any(w.get("in") for w in r.get("where", [])) for r in rules)
        if prefilter:
            needles = []
            for r in rules:
                w = next(w for w in r["where"] if w.get("in"))
                needles.extend(json.dumps(w["field"]) + ":" + jcs_value(v) for v in w["in"])
            parts.append("(entity = ? AND action = 'create' AND (%s))" % " OR ".join("instr(content, ?) > 0" for _ in needles))
            params.extend([entity] + needles)
        else:
            parts.append("entity = ?")
            params.append(entity)
    return ("SELECT seq, at, actor, action, entity, entity_id, content, tz FROM audit_entry WHERE seq <= ? AND (%s) "
            "ORDER BY seq" % " OR ".join(parts)), params


def _safe_roles(v):
    try:
        r = parse_json(str(v) if not isinstance(v, str) else v)
    except (ValueError, TypeError):
        return []
    return [x if isinstance(x, str) else jcs_value(x) for x in r] if isinstance(r, list) else []


def _s(v):
    """JavaScript's String(v) for a JSON value."""
    if v is MISSING:
        return "undefined"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return jcs_value(v)
    if isinstance(v, list):
        return ",".join("" if x is None else _s(x) for x in v)
    return "[object Object]"


def verify_signatures(conn, through, progress):
    """The signature pass (src/main/ledger/verify-signatures.ts): one walk through the audit
    trail, rebuilding from it - never from the tables - the users (roles and status at every
    moment), the personal key registry and the administrators' enrolments; checking every
    e-signature, every personal key registration and every transaction against the rules."""
    findings = []

    def add(kind, seq, entity, id_, detail):
        findings.append({"kind": kind, "seq": seq, "entity": entity, "id": id_, "detail": detail})

    defs = dict((e["name"], e) for e in records.ENTITIES)
    rules_for = rules_by_meaning(records.RULES)
    rules_on = {}  # (entity, action) -> the rules that can match it, in table order
    for r in records.RULES:
        rules_on.setdefault((r["entity"], r["on"]), []).append(r)
    fields = rule_entities(records.RULES)
    boundary = legacy_boundary(conn, through)
    cps = [r[0] for r in conn.execute("SELECT seq FROM checkpoint WHERE seq <= ? ORDER BY seq", (through,))]
    head_cache = {}

    def stored_hash(seq):
        if seq == 0:
            return GENESIS
        if seq not in head_cache:
            r = conn.execute("SELECT hash FROM audit_entry WHERE seq = ?", (seq,)).fetchone() \
                if isinstance(seq, int) and not isinstance(seq, bool) else None
            head_cache[seq] = sqlite_hex(r[0]) if r else None
        return head_cache[seq]

    def content_before(entity, entity_id, seq):
        r = conn.execute("SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? "
                         "ORDER BY seq DESC LIMIT 1", (entity, entity_id, seq)).fetchone()
        return None if r is None else r[0]

    users = {}          # id -> {"content", "created_seq"}
    keys = {}           # key id -> state
    keys_by_user = {}   # user -> seq of its latest key registration
    enrolments = {}     # enrolled signature id -> state
    last_enrolment = {} # user -> seq of the latest enrolled signature on it
    recs = {}           # entity -> id -> {rule field: value}
    ref_index = {}      # (entity, field) -> value key -> id
    for r in records.RULES:
        if r.get("ref"):
            ref_index[(r["ref"]["entity"], r["ref"]["by"])] = {}
    settings = {"json": None}  # the settings record's `value`, as of the latest entry seen
    database_created = {}      # database record id -> its `created_at`, as of the latest entry seen
    result = {"signatures": 0, "legacy": 0, "upgrades": []}
    state = {"cp": 0, "tx_end": cps[0] if cps else INF, "tx_head": 0, "changes": [], "sigs": []}

    def flush():
        if state["changes"] or state["sigs"]:
            for kind, seq, entity, id_, detail in evaluate_transaction(state["changes"], state["sigs"], rules_for):
                add(kind, seq, entity, id_, detail)
        state["changes"] = []
        state["sigs"] = []

    def check_signature(seq, at, c):
        f = esig_fields(c)
        key_id = f.get("key", MISSING)
        k = keys.get(key_id) if isinstance(key_id, str) else None
        if k is None:
            return "its key %s is not registered" % _s(key_id)
        if not js_same(k["user_id"], f.get("signer", MISSING)):
            return "its key %s belongs to %s" % (key_id, k["user_id"])
        if not k["enrolled"]:
            return "its key %s was not enrolled" % key_id
        signed_at = f.get("signed_at", MISSING)
        if not js_le(k["valid_from"], signed_at) or (k["valid_to"] is not None and js_le(k["valid_to"], signed_at)):
            return "its key %s was not valid at %s" % (key_id, iso(signed_at) if isinstance(signed_at, (int, float)) else _s(signed_at))
        if not js_same(signed_at, at):
            return "its time differs from its entry's"
        head = f.get("head_seq", MISSING)
        if not js_same(head, state["tx_head"]):
            return "it names head #%s, but its transaction began after #%s" % (_s(head), state["tx_head"])
        if not js_same(stored_hash(head) if isinstance(head, int) else None, f.get("head_hash", MISSING)):
            return ("the witnessed head differs: the chain's entry #%s is not the one it signed (history rewritten)"
                    % _s(head))
        target = content_before(f.get("entity"), f.get("entity_id"), seq) \
            if isinstance(f.get("entity"), str) and isinstance(f.get("entity_id"), str) else None
        if target is None:
            return "the signed record %s %s is not in the audit trail before it" % (_s(f.get("entity", MISSING)),
                                                                                   _s(f.get("entity_id", MISSING)))
        try:
            record = parse_json(target)
            if not isinstance(record, dict):
                raise ValueError("not an object")
            h = record_hash(defs.get(f["entity"], {}), record)
        except (ValueError, TypeError):
            return "the signed record cannot be read"
        if not js_same(h, f.get("record_hash", MISSING)):
            return "the record hash differs from %s %s as it stood" % (f["entity"], f["entity_id"])
        if not isinstance(c.get("sig"), str) or not verify_esig(k["public_key"], f, c["sig"]):
            return "the Ed25519 signature does not verify"
        return None

    def check_enrolment(seq, actor, id_, c):
        user_id = c.get("user_id", MISSING)
        enrolment = c.get("enrolment", MISSING)
        pub = b64decode(c["public_key"]) if isinstance(c.get("public_key"), str) else b""
        fp = hashlib.sha256(pub).hexdigest()
        if len(pub) != 32 or not js_same(fp, c.get("fingerprint", MISSING)) or id_ != fp[:16]:
            return "its id, fingerprint and public key do not agree"
        u = users.get(user_id) if isinstance(user_id, str) else None
        if u is None:
            return "user %s does not exist" % _s(user_id)
        if enrolment == "init":
            return "an `init` key is registered only in the database-creation transaction"
        if enrolment == "upgrade":
            if u["created_seq"] > boundary:
                return "%s was created after migration 0011" % user_id
            if user_id in keys_by_user:
                return "%s already had a personal key" % user_id
            if user_id in last_enrolment:
                return "an administrator enrolled %s since the upgrade" % user_id
            if actor != user_id:
                return "registered by %s, not by %s" % (actor, user_id)
            return None
        en = enrolments.get(enrolment) if isinstance(enrolment, str) else None
        if en is None:
            return "no enrolled signature %s" % _s(enrolment)
        if en["user"] != user_id:
            return "enrolment %s is for %s" % (enrolment, en["user"])
        if not en["ok"]:
            return "enrolment %s is not a valid signature of an active administrator" % enrolment
        if en["used"]:
            return "enrolment %s was used already" % enrolment
        if keys_by_user.get(user_id, -1) > en["seq"]:
            return "a key was registered for %s after enrolment %s already" % (user_id, enrolment)
        if last_enrolment.get(user_id, en["seq"]) > en["seq"]:
            return "a later enrolment of %s replaced %s" % (user_id, enrolment)
        proof = c.get("enrolment_proof")
        if not verify_enrolment_proof(en["enrolment_key"], {"enrolment": enrolment, "fingerprint": fp, "user": user_id},
                                      proof if isinstance(proof, str) else None):
            return "its enrolment proof does not verify with the enrolment key the administrator signed"
        return None

    def lookup(entity, by, value):
        idx = ref_index.get((entity, by))
        if idx is None:
            return None
        rid = idx.get(_value_key(value))
        return None if rid is None else recs.get(entity, {}).get(rid)

    sql, params = signature_entries_sql()
    n = 0
    for seq, at, actor, action, entity, id_, content, tz in conn.execute(sql, [through] + params):
        actor, action, entity, id_ = _s(actor), _s(action), _s(entity), _s(id_)
        if seq > state["tx_end"]:
            flush()
            while state["cp"] < len(cps) and cps[state["cp"]] < seq:
                state["cp"] += 1
            state["tx_head"] = cps[state["cp"] - 1] if state["cp"] > 0 else 0
            state["tx_end"] = cps[state["cp"]] if state["cp"] < len(cps) else INF
        try:
            c = parse_json(content if isinstance(content, str) else as_bytes(content).decode("utf-8", "replace"))
        except (ValueError, TypeError):
            continue  # a damaged entry: entry_hash_mismatch says so
        if not isinstance(c, dict):
            c = {}
        n += 1
        if n % 20000 == 0:
            progress("signatures", seq, through)
        checked = seq > boundary

        # 1. signatures
        if entity == "signature" and action == "create":
            if not checked:
                if not c.get("sig"):
                    result["legacy"] += 1
            else:
                result["signatures"] += 1
                why = check_signature(seq, at, c) if c.get("sig") else "it has no personal signature"
                if why:
                    add("signature_invalid", seq, "signature", id_, "signature %s (%s on %s %s by %s): %s" % (
                        id_, _s(c.get("meaning", MISSING)), _s(c.get("entity", MISSING)),
                        _s(c.get("entity_id", MISSING)), _s(c.get("user_id", MISSING)), why))
                signer = users.get(_s(c.get("user_id", MISSING)))
                roles = _safe_roles(signer["content"].get("roles")) if signer else []
                sig = {"seq": seq, "id": id_, "entity": _s(c.get("entity", MISSING)),
                       "entity_id": _s(c.get("entity_id", MISSING)), "meaning": _s(c.get("meaning", MISSING)),
                       "signer": _s(c.get("user_id", MISSING)), "valid": why is None,
                       "active": bool(signer) and js_same(signer["content"].get("status", MISSING), "active"),
                       "roles": roles}
                state["sigs"].append(sig)
                if sig["meaning"] == "enrolled" and sig["entity"] == "user":
                    target = users.get(sig["entity_id"])
                    ek = target["content"].get("enrolment_key") if target else None
                    enrolments[id_] = {"user": sig["entity_id"], "seq": seq,
                                       "ok": sig["valid"] and sig["active"] and "administrator" in roles,
                                       "enrolment_key": ek if isinstance(ek, str) else None, "used": False}
                    last_enrolment[sig["entity_id"]] = seq

        # 2. personal keys
        if entity == "personal_key":
            if action == "create":
                why = check_enrolment(seq, actor, id_, c) if checked else None
                if why:
                    add("key_not_enrolled", seq, "personal_key", id_, "personal key %s of %s (enrolment %s): %s" % (
                        id_, _s(c.get("user_id", MISSING)), _s(c.get("enrolment", MISSING)), why))
                if not why and checked:
                    en = enrolments.get(_s(c.get("enrolment", MISSING)))
                    if en:
                        en["used"] = True
                    if c.get("enrolment") == "upgrade":
                        result["upgrades"].append({"seq": seq, "user": _s(c.get("user_id", MISSING)), "key": id_})
                if id_ not in keys:
                    vt = c.get("valid_to")
                    keys[id_] = {"user_id": _s(c.get("user_id", MISSING)), "public_key": _s(c.get("public_key", MISSING)),
                                 "valid_from": c.get("valid_from", MISSING), "valid_to": vt,
                                 "enrolled": why is None, "created": c}
                    keys_by_user[_s(c.get("user_id", MISSING))] = seq
                else:
                    add("key_not_enrolled", seq, "personal_key", id_, "personal key %s registered a second time" % id_)
            else:
                k = keys.get(id_)
                if k:
                    changed = [f for f in KEY_IMMUTABLE
                               if not js_stringify_eq(_get(c, f), _get(k["created"], f))]
                    vt = _get(c, "valid_to")
                    if k["valid_to"] is not None:
                        bad_end = not js_same(vt, k["valid_to"])
                    else:
                        bad_end = vt is not None and js_lt(at, vt)
                    if checked and (changed or bad_end):
                        add("key_not_enrolled", seq, "personal_key", id_, "personal key %s was changed at #%s (%s)" % (
                            id_, seq, ", ".join(changed + (["valid_to"] if bad_end else []))))
                        k["enrolled"] = False
                    if k["valid_to"] is None:
                        k["valid_to"] = vt

        # 3. the rule table (state read before this entry is applied)
        rule_fields = fields.get(entity)
        if rule_fields is not None:
            by_id = recs.setdefault(entity, {})
            if action == "create":
                before = None
            elif entity == "user":
                before = users[id_]["content"] if id_ in users else None
            else:
                before = by_id.get(id_)
            if checked and action != "retire":
                candidates = rules_on.get((entity, action))
                def setting(name, at=at, tz=tz):
                    created = [v for v in database_created.values()
                               if isinstance(v, (int, float)) and not isinstance(v, bool)]
                    return rule_setting_value(name, settings["json"], at, _s(tz), min(created) if created else None)

                matched = match_rules(candidates, entity, action, before, c, lookup, setting) if candidates else []
                if matched:
                    state["changes"].append({"seq": seq, "entity": entity, "id": id_, "actor": actor, "rules": matched})
            if entity != "user":
                keep = dict((f, _get(c, f)) for f in rule_fields)
                by_id[id_] = keep
                for f in rule_fields:
                    idx = ref_index.get((entity, f))
                    if idx is not None:
                        idx[_value_key(_get(c, f))] = id_
        if entity == "user":
            u = users.get(id_)
            users[id_] = {"content": c, "created_seq": u["created_seq"] if u else seq}
        # 4. the settings rules compare with (applied after the entry, like every state here)
        if entity == "setting" and id_ == RULE_SETTINGS_ID:
            settings["json"] = _get(c, "value")
        if entity == "database":
            database_created[id_] = _get(c, "created_at")
    flush()
    findings.sort(key=lambda f: f["seq"] if f["seq"] is not None else 0)
    return findings, result


def js_lt(a, b):
    a, b = js_num(a), js_num(b)
    return a is not None and b is not None and a < b


def _value_key(v):
    """A Map key as JavaScript compares them (SameValueZero) for JSON primitives."""
    if v is None:
        return ("null",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("num", float(v))
    if isinstance(v, str):
        return ("str", v)
    return ("obj", id(v))


# --------------------------------------------------------------------------------------
# The whole check
# --------------------------------------------------------------------------------------

def verify_database(path, anchor=None, witnesses=(), skew_ms=DEFAULT_SKEW_MINUTES * 60000, progress=None):
    t0 = time.monotonic()
    progress = progress or Progress(False)
    conn = open_db(path)
    try:
        sink = Findings()
        head = head_seq(conn)
        keys = load_host_keys(conn, head)
        chain_sink = Findings()
        chain = verify_chain(conn, head, keys, skew_ms, chain_sink, progress)
        # In sequence order, entry findings before the checkpoint findings of the same seq
        # (the order `lotseal verify` reports them in).
        for f in sort_by_seq(chain_sink.items):
            sink.add(f["kind"], f["seq"], f["detail"], f["entity"], f["id"])
        check_coverage(conn, head, chain, sink)
        for i, entity in enumerate(records.ENTITIES):
            progress("rows", i, len(records.ENTITIES))
            verify_rows(conn, entity, head, sink)
        progress("rows", len(records.ENTITIES), len(records.ENTITIES), force=True)
        sig_findings, sig_counts = verify_signatures(conn, head, progress)
        for f in sig_findings:
            sink.add(f["kind"], f["seq"], f["detail"], f["entity"], f["id"])
        check_corrections(conn, head, sink)
        check_triggers(conn, sink)
        check_witness(conn, witnesses, sink)
        check_anchor(conn, head, anchor, sink)
        head_hash = conn.execute("SELECT hash FROM audit_entry WHERE seq = ?", (head,)).fetchone()
        report = {
            "ok": len(sink.items) == 0,
            "entries": chain.entries,
            "checkpoints": chain.checkpoints,
            "verified_through": head,
            "elapsed_ms": round((time.monotonic() - t0) * 1000, 1),
            "findings": sink.items,
            "signatures": sig_counts["signatures"],
            "legacy_signatures": sig_counts["legacy"],
            "upgrade_keys": sig_counts["upgrades"],
            "head": {"seq": head, "hash": sqlite_hex(head_hash[0]) if head_hash else GENESIS},
            "keys": key_report(conn, head),
        }
        db_id = conn.execute("SELECT id FROM database_info LIMIT 1").fetchone() if _has_table(conn, "database_info") else None
        report["database_id"] = db_id[0] if db_id else None
        return report
    finally:
        progress.end()
        conn.close()


def _has_table(conn, name):
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


# --------------------------------------------------------------------------------------
# Evidence folder: the manifest
# --------------------------------------------------------------------------------------

def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_manifest(path):
    """Every file the manifest lists, against its SHA-256. Returns a summary dict."""
    base = os.path.dirname(os.path.abspath(path))
    try:
        with open(path, "r", encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        return {"ok": False, "file": path, "error": "cannot read the manifest: %s" % e, "mismatched": [], "missing": []}
    mismatched, missing, checked = [], [], 0
    for entry in m.get("files", []):
        rel = entry.get("path", "")
        full = os.path.normpath(os.path.join(base, rel))
        if not full.startswith(base) or not os.path.isfile(full):
            missing.append(rel)
            continue
        checked += 1
        if file_sha256(full) != entry.get("sha256"):
            mismatched.append(rel)
    return {"ok": not mismatched and not missing, "file": path, "checked": checked,
            "mismatched": mismatched, "missing": missing}


# --------------------------------------------------------------------------------------
# An audit-trail CSV export (the app's "Export CSV"), checked on its own
# --------------------------------------------------------------------------------------

CSV_REQUIRED = ["seq", "at_ms", "time_zone", "user_id", "printed_name", "workstation", "action", "entity",
                "record_id", "reason", "reason_is_null", "content", "content_redacted", "prev_hash", "entry_hash",
                "checkpoint_at", "checkpoint_key", "checkpoint_sig"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_cell(v):
    """Undo the spreadsheet protection of the export: a cell that began with = + - @ tab CR or ' got a leading '."""
    if v.startswith("'") and len(v) > 1 and v[1] in "=+-@\t\r'":
        return v[1:]
    return v


def verify_csv(path, witnesses=(), skew_ms=DEFAULT_SKEW_MINUTES * 60000):
    t0 = time.monotonic()
    sink = Findings()
    chain_sink = Findings()
    try:
        f = open(path, "r", encoding="utf-8-sig", newline="")
    except OSError as e:
        raise CannotRun("cannot read %s: %s" % (path, e))
    with f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            raise CannotRun("%s is empty" % path)
        except csv.Error as e:
            raise CannotRun("%s is not a CSV file: %s" % (path, e))
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise CannotRun("%s is not a complete LotSeal audit-trail export (no column %s); export it again from "
                            "LotSeal 0.2 or later" % (path, ", ".join(missing)))
        ix = {c: header.index(c) for c in header}
        keys = {}
        prev_seq = None
        prev_hash_hex = None
        max_at = None
        entries = checkpoints = redacted = 0
        first_seq = None
        hashes = {}
        pending_cps = []
        want = set(s for s, _ in witnesses)
        line = 1
        try:
            for rec in reader:
                line += 1
                if not rec or rec == [""]:
                    continue
                if len(rec) != len(header):
                    raise CannotRun("%s line %d has %d cells, the header %d" % (path, line, len(rec), len(header)))
                g = lambda c: csv_cell(rec[ix[c]])  # noqa: E731
                try:
                    seq = int(g("seq"))
                    at = int(g("at_ms"))
                except ValueError:
                    raise CannotRun("%s line %d: seq and at_ms must be integers" % (path, line))
                entity, eid = g("entity"), g("record_id")
                reason = None if g("reason_is_null") == "1" else g("reason")
                content = g("content")
                prev_hex = g("prev_hash").lower()
                hash_hex = g("entry_hash").lower()
                if first_seq is None:
                    first_seq = seq
                if prev_seq is not None and seq != prev_seq + 1:
                    if seq > prev_seq + 1:
                        chain_sink.add("sequence_gap", seq, "entries #%d–#%d are missing" % (prev_seq + 1, seq - 1))
                    else:
                        chain_sink.add("sequence_gap", seq, "entry #%s is out of order" % seq)
                elif prev_seq is None and seq != 1:
                    chain_sink.add("sequence_gap", seq, "entries #1–#%d are missing" % (seq - 1))
                if g("content_redacted"):
                    redacted += 1
                else:
                    pre = entry_preimage(at, g("time_zone"), g("user_id"), g("printed_name"), g("workstation"),
                                         g("action"), entity, eid, reason, content, prev_hex, seq)
                    if pre is None or sha256_hex(pre) != hash_hex:
                        chain_sink.add("entry_hash_mismatch", seq, "entry #%s (%s %s) does not match its hash"
                                       % (seq, entity, eid), entity, eid)
                if prev_seq is not None and prev_hex != prev_hash_hex:
                    chain_sink.add("chain_break", seq, "entry #%s does not link to the entry before it" % seq, entity, eid)
                elif prev_seq is None and seq == 1 and prev_hex != GENESIS:
                    chain_sink.add("chain_break", seq, "entry #1 does not start from the genesis value", entity, eid)
                if max_at is not None and at < max_at - skew_ms:
                    chain_sink.add("clock_regression", seq, clock_detail(seq, at, max_at), entity, eid)
                if max_at is None or at > max_at:
                    max_at = at
                if entity == "signing_key" and not g("content_redacted"):
                    try:
                        c = json.loads(content)
                        keys.setdefault(eid, []).append({
                            "id": eid, "public_key": c.get("public_key"), "valid_from": c.get("valid_from", MISSING),
                            "valid_to": seq if c.get("retired") else c.get("valid_to", MISSING), "seq": seq})
                    except (ValueError, AttributeError):
                        pass
                if g("checkpoint_sig"):
                    try:
                        cp_at = int(g("checkpoint_at"))
                    except ValueError:
                        cp_at = g("checkpoint_at")
                    pending_cps.append((seq, bytes.fromhex(hash_hex) if _is_hex(hash_hex) else hash_hex, cp_at,
                                        g("checkpoint_key"), b64decode(g("checkpoint_sig"))))
                if seq in want:
                    hashes[seq] = hash_hex
                prev_seq, prev_hash_hex = seq, hash_hex
                entries += 1
        except csv.Error as e:
            raise CannotRun("%s line %d: %s" % (path, line, e))
    for cp in pending_cps:
        checkpoints += 1
        check_checkpoint(cp, sqlite_hex(cp[1]), keys, chain_sink)
    for f_ in sort_by_seq(chain_sink.items):
        sink.add(f_["kind"], f_["seq"], f_["detail"], f_["entity"], f_["id"])
    if entries and (not pending_cps or pending_cps[-1][0] != prev_seq):
        first = (pending_cps[-1][0] if pending_cps else first_seq - 1) + 1
        sink.add("checkpoint_mismatch", first, "entries #%s–#%s are not covered by any signed checkpoint" % (first, prev_seq))
    for seq, h in witnesses:
        stored = hashes.get(seq)
        if stored is None:
            sink.add("witness_mismatch", seq, "the export has no entry #%s, but a witness holds %s there" % (seq, h))
        elif not stored.startswith(h):
            sink.add("witness_mismatch", seq, "entry #%s has hash %s, but a witness holds %s" % (seq, stored[:len(h)], h))
    return {
        "ok": len(sink.items) == 0,
        "entries": entries,
        "checkpoints": checkpoints,
        "verified_through": prev_seq or 0,
        "elapsed_ms": round((time.monotonic() - t0) * 1000, 1),
        "findings": sink.items,
        "head": {"seq": prev_seq or 0, "hash": prev_hash_hex or GENESIS},
        "csv": {"file": path, "first_seq": first_seq, "redacted_entries": redacted},
    }


def _is_hex(s):
    return len(s) % 2 == 0 and all(ch in "0123456789abcdef" for ch in s)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------

KIND_TEXT = {
    "entry_hash_mismatch": "an audit entry no longer matches its hash",
    "chain_break": "an entry does not link to the entry before it",
    "sequence_gap": "an audit sequence number is missing or repeated",
    "checkpoint_signature_invalid": "a checkpoint's signature does not verify",
    "checkpoint_mismatch": "a checkpoint names an entry or hash the chain does not have, or entries are not covered",
    "unknown_key": "a checkpoint is signed by a key not registered, or not valid at its time",
    "tail_truncated": "entries covered by a checkpoint are missing from the end",
    "row_modified": "a record differs from what the audit trail says it is",
    "row_missing": "the audit trail says a record exists, but it is not in its table",
    "row_unrecorded": "a record exists without any audit entry that created it",
    "clock_regression": "an entry is dated earlier than an earlier entry by more than the allowed skew",
    "anchor_behind": "the database ends before, or differs at, the head recorded outside it",
    "signature_invalid": "an e-signature does not verify with its signer's personal key",
    "signature_missing": "a change that must be signed has no valid e-signature",
    "signer_not_entitled": "a signer did not hold a role allowed to make the decision at that time",
    "key_not_enrolled": "a personal key was registered without an administrator's enrolment",
    "witness_mismatch": "the chain does not hold the head given with --witness",
    "triggers_missing": "the append-only protection of the audit trail was removed",
    "correction_mismatch": "a correction record does not match the audit entries it names",
}


def human(report):
    lines = []
    if report["ok"]:
        lines.append("OK / 通过: %d entries, %d checkpoints verified through #%d" % (
            report["entries"], report["checkpoints"], report["verified_through"]))
    else:
        lines.append("PROBLEMS FOUND / 发现问题 (%d):" % len(report["findings"]))
        for f in report["findings"]:
            where = (" at #%s" % f["seq"]) if f["seq"] is not None else ""
            rec = (" %s %s" % (f["entity"], f["id"])) if f["entity"] else ""
            lines.append("  %s%s%s: %s" % (f["kind"], where, rec, f["detail"]))
    head = report.get("head")
    if head:
        lines.append("Head / 记录链末端: #%s %s" % (head["seq"], head["hash"]))
    if "signatures" in report:
        lines.append("Personal e-signatures checked / 已核验的个人电子签名: %d (before personal keys existed: %d)" % (
            report["signatures"], report.get("legacy_signatures", 0)))
        for u in report.get("upgrade_keys") or []:
            lines.append("  key %s of %s registered at the upgrade (#%s)" % (u["key"], u["user"], u["seq"]))
    keys = report.get("keys")
    if keys:
        lines.append("Host keys on record / 工作站密钥:")
        for k in keys["host"]:
            lines.append("  %s  %s@%s  from %s%s%s" % (
                k.get("fingerprint"), k.get("host_kind"), k.get("host"), k.get("valid_from"),
                "  until %s" % k["valid_to"] if k.get("valid_to") else "",
                "" if k.get("fingerprint") == k.get("fingerprint_of_public_key") else
                "  (RECORDED FINGERPRINT DIFFERS FROM THE PUBLIC KEY'S: %s)" % k.get("fingerprint_of_public_key")))
        if keys["personal"]:
            lines.append("Personal keys on record / 个人签名密钥:")
            for k in keys["personal"]:
                lines.append("  %s  %s (%s)  from %s%s" % (
                    k.get("fingerprint"), k.get("user_id"), k.get("printed_name"), k.get("valid_from"),
                    "  until %s" % k["valid_to"] if k.get("valid_to") else ""))
    a = report.get("anchor")
    if a and report.get("database_id") and a.get("database_id") != report["database_id"]:
        lines.append("NOTE / 注意: the anchor is for database %s, this database is %s" % (a.get("database_id"),
                                                                                      report["database_id"]))
    m = report.get("manifest")
    if m:
        if m["ok"]:
            lines.append("Manifest / 清单: %d files match their SHA-256" % m.get("checked", 0))
        else:
            lines.append("MANIFEST DOES NOT MATCH / 清单不符: %s" % (
                m.get("error") or "changed: %s; missing: %s" % (", ".join(m["mismatched"]) or "-",
                                                               ", ".join(m["missing"]) or "-")))
    c = report.get("csv")
    if c and c.get("redacted_entries"):
        lines.append("%d entries carry redacted secrets: their links and checkpoints were checked, their own hash "
                     "cannot be recomputed from the export (check the database for those)" % c["redacted_entries"])
    lines.append("Elapsed: %s ms" % report["elapsed_ms"])
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="lotseal_verify.py",
        description="Verify a LotSeal database (or an audit-trail CSV export) with Python alone.")
    p.add_argument("db", nargs="?", help="the database file (default: the evidence folder's lotseal.db)")
    p.add_argument("--db", dest="db_opt", help="the database file")
    p.add_argument("--anchor", help="a workstation's anchor file (default: the evidence folder's anchor.json)")
    p.add_argument("--no-anchor", action="store_true", help="do not compare with an anchor")
    p.add_argument("--witness", action="append", default=[], metavar="SEQ:HASH",
                   help="a head printed outside the database (e.g. a certificate's QR code); repeatable")
    p.add_argument("--csv", help="check an audit-trail CSV export instead of a database")
    p.add_argument("--skew-minutes", type=float, default=DEFAULT_SKEW_MINUTES,
                   help="allowed clock skew between entries (default 5)")
    p.add_argument("--manifest", help="the evidence folder's manifest.json (default: next to the database)")
    p.add_argument("--no-manifest", action="store_true", help="do not check the manifest")
    p.add_argument("--json", action="store_true", help="machine-readable report on stdout")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    try:
        witnesses = [parse_witness(w) for w in args.witness]
        skew_ms = args.skew_minutes * 60000
        if args.csv:
            report = verify_csv(args.csv, witnesses, skew_ms)
        else:
            folder = os.path.dirname(HERE)
            db = args.db_opt or args.db
            in_folder = db is None
            if db is None:
                db = os.path.join(folder, "lotseal.db")
                if not os.path.isfile(db):
                    raise CannotRun("no database given, and %s does not exist (use --db FILE)" % db)
            anchor = None
            if args.anchor and not args.no_anchor:
                anchor = read_anchor(args.anchor)
            elif in_folder and not args.no_anchor and os.path.isfile(os.path.join(folder, "anchor.json")):
                anchor = read_anchor(os.path.join(folder, "anchor.json"))
            progress = Progress(sys.stderr.isatty() and not args.json)
            report = verify_database(db, anchor, witnesses, skew_ms, progress)
            manifest = args.manifest or (os.path.join(os.path.dirname(os.path.abspath(db)), "manifest.json"))
            if not args.no_manifest and (args.manifest or os.path.isfile(manifest)):
                report["manifest"] = check_manifest(manifest)
            report["anchor"] = None if anchor is None else {"seq": anchor["seq"], "hash": anchor["hash"],
                                                            "database_id": anchor["database_id"]}
        report["verifier"] = {"name": VERIFIER, "version": VERSION, "python": sys.version.split()[0]}
    except CannotRun as e:
        if args.json:
            sys.stdout.write(json.dumps({"ok": False, "error": "cannot_run", "message": str(e)}) + "\n")
        sys.stderr.write("lotseal_verify.py: %s\n" % e)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(human(report) + "\n")
    manifest_ok = report.get("manifest", {"ok": True})["ok"]
    return 0 if report["ok"] and manifest_ok else 1


if __name__ == "__main__":
    sys.exit(main())
