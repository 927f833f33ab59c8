/**
 * Parity (issue 18 §9): on every case of the tamper matrix (tests/integration/tamper-cases.ts,
 * shared with ledger-tamper.test.ts) the standalone Python verifier
 * (resources/verifier/lotseal_verify.py) reports exactly what `lotseal verify` reports — the
 * same finding kinds at the same loci (kind, seq, entity, id), as many of each — and the same
 * counts of entries, checkpoints and checked signatures. Detail texts may differ in wording.
 * The Python side runs as an inspector would run it: `python3 -I -S`, nothing of ours installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/shared/contract/channels/ledger';
import { openSqlite } from '../../src/main/db/database';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { SKEW_MS } from '../fixtures/ledger-helpers';
import { VERIFIER, python, runPythonAsync, type PyReport } from '../helpers/python';
import { buildFixture, copyFixture, tamperCases, type FixtureCopy, type FixtureKind } from './tamper-cases';

let root: string;
const fixtures = new Map<FixtureKind, FixtureCopy>();
let n = 0;

beforeAll(async () => {
  python(); // fails here, clearly, when there is no python3
  root = mkdtempSync(join(tmpdir(), 'lotseal-parity-'));
  for (const kind of new Set(tamperCases.map((c) => c.fixture)))
    fixtures.set(kind, await buildFixture(kind, join(root, `fixture-${kind}`)));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function loci(findings: Array<{ kind: string } & Pick<Finding, 'seq' | 'entity' | 'id'>>): string[] {
  return findings.map((f) => JSON.stringify([f.kind, f.seq, f.entity, f.id])).sort();
}

async function pythonReport(copy: FixtureCopy, anchor: boolean): Promise<{ status: number | null; report: PyReport }> {
  const args = [
    '-I',
    '-S',
    VERIFIER,
    '--db',
    copy.file,
    '--skew-minutes',
    String(SKEW_MS / 60_000),
    '--no-manifest',
    '--json',
  ];
  args.push(...(anchor ? ['--anchor', copy.anchors().file(copy.dbId)] : ['--no-anchor']));
  const r = await runPythonAsync(args);
  try {
    return { status: r.status, report: JSON.parse(r.stdout) as PyReport };
  } catch {
    throw new Error(`the Python verifier did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

describe('the Python verifier reports what lotseal verify reports, on every tamper case', () => {
  for (const c of tamperCases) {
    it(c.name, async () => {
      const copy = copyFixture(fixtures.get(c.fixture)!, join(root, `case-${++n}`));
      await c.tamper(copy);
      for (const v of c.verify) {
        const anchor = v.anchor ? copy.anchors().read(copy.dbId) : null;
        const db = openSqlite(copy.file, { readonly: true });
        const ts = await verifyDatabase(db, { skewMs: SKEW_MS, anchor });
        db.close();
        const { status, report } = await pythonReport(copy, v.anchor);
        const where = `${c.name} (${v.anchor ? 'with' : 'without'} the anchor)`;
        expect(loci(report.findings), where).toEqual(loci(ts.findings));
        expect(report.ok, where).toBe(ts.ok);
        expect(status, where).toBe(ts.ok ? 0 : 1);
        expect([report.entries, report.checkpoints, report.verified_through], where).toEqual([
          ts.entries,
          ts.checkpoints,
          ts.verified_through,
        ]);
        expect([report['signatures'], report['legacy_signatures']], where).toEqual([
          ts.signatures ?? 0,
          ts.legacy_signatures ?? 0,
        ]);
      }
    });
  }
});
