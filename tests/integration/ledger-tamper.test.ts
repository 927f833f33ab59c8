/**
 * The tamper matrix (issue 3 and issue 18, "Tests"): every case of tests/integration/tamper-cases.ts
 * tampers a copy of its fixture database as an attacker would (a raw SQLite connection after
 * dropping the append-only triggers, or this host's own key), and verification must report
 * exactly the case's findings: kind, sequence and, where the case gives them, entity and id.
 * Every case runs through the worker path (verifyFile, small ranges so the chain is split)
 * and the single-threaded verifier, which must agree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/shared/contract/channels/ledger';
import { openSqlite } from '../../src/main/db/database';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { lastFallbackReason, verifyFile } from '../../src/main/ledger/verify-runner';
import { SKEW_MS } from '../fixtures/ledger-helpers';
import {
  buildFixture,
  copyFixture,
  tamperCases,
  type Expected,
  type FixtureCopy,
  type FixtureKind,
} from './tamper-cases';

let root: string;
const fixtures = new Map<FixtureKind, FixtureCopy>();
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lotseal-tamper-'));
  for (const kind of new Set(tamperCases.map((c) => c.fixture)))
    fixtures.set(kind, await buildFixture(kind, join(root, `fixture-${kind}`)));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Verifies on both paths, checks they agree, and returns the findings. */
async function verifyBoth(copy: FixtureCopy, anchor: boolean, rangeSize: number): Promise<Finding[]> {
  const a = anchor ? copy.anchors().read(copy.dbId) : null;
  if (anchor) expect(a).not.toBeNull();
  const viaWorkers = await verifyFile(copy.file, { skewMs: SKEW_MS, anchor: a, rangeSize });
  expect(lastFallbackReason).toBeNull();
  const db = openSqlite(copy.file, { readonly: true });
  const inProcess = await verifyDatabase(db, { skewMs: SKEW_MS, anchor: a });
  db.close();
  expect(viaWorkers.findings).toEqual(inProcess.findings);
  expect(viaWorkers.ok).toBe(viaWorkers.findings.length === 0);
  expect({ ...viaWorkers, elapsed_ms: 0 }).toEqual({ ...inProcess, elapsed_ms: 0 });
  return viaWorkers.findings;
}

function expectFindings(findings: Finding[], expected: Expected[]): void {
  const key = (f: Expected): string => JSON.stringify([f.kind, f.seq, f.entity ?? null, f.id ?? null]);
  const withLocus = (kind: string): boolean => expected.some((e) => e.kind === kind && e.entity !== undefined);
  const got = [
    ...new Set(
      findings.map((f) =>
        key({ kind: f.kind, seq: f.seq, ...(withLocus(f.kind) ? { entity: f.entity, id: f.id } : {}) }),
      ),
    ),
  ].sort();
  expect(got, JSON.stringify(findings, null, 1)).toEqual([...new Set(expected.map(key))].sort());
}

describe('tamper matrix: verify names each change', () => {
  for (const c of tamperCases) {
    it(c.name, async () => {
      const copy = copyFixture(fixtures.get(c.fixture)!, join(root, `case-${++n}`));
      await c.tamper(copy);
      for (const v of c.verify) {
        expectFindings(await verifyBoth(copy, v.anchor, c.rangeSize?.(copy) ?? 4), v.expected(copy));
      }
    });
  }
});
