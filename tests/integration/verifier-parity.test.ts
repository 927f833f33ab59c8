/**
 * Parity (issue 18 §9): on every case of the tamper matrix the standalone Python verifier
 * (resources/verifier/lotseal_verify.py) reports exactly the findings `lotseal verify` reports —
 * the same kinds at the same loci (kind, seq, entity, id), as many of each — and the same
 * counts of entries and checkpoints. Detail texts may differ in wording.
 *
 * A finding kind the TypeScript verifier of this build does not know is left out of the
 * comparison (the Python side may check something first); the list below names them, so the
 * exception is visible and ends when the kind lands.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findingKinds, type Finding } from '../../src/shared/contract/channels/ledger';
import { openSqlite } from '../../src/main/db/database';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { SKEW_MS, type TestEnv } from '../fixtures/ledger-helpers';
import { build, parityCases, type Built } from '../fixtures/verifier-parity-cases';
import { python, runVerifier, type PyReport } from '../helpers/python';

const tsKinds = new Set<string>(findingKinds);
const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

type Locus = [string, number | null, string | null, string | null];

function loci(findings: Array<{ kind: string } & Pick<Finding, 'seq' | 'entity' | 'id'>>): string[] {
  return findings.map((f) => JSON.stringify([f.kind, f.seq, f.entity, f.id] satisfies Locus)).sort();
}

async function both(b: Built, withAnchor: boolean): Promise<{ ts: Finding[]; py: PyReport; status: number | null }> {
  const anchor = withAnchor ? b.env.anchors.read(b.dbId) : null;
  const db = openSqlite(b.env.file, { readonly: true });
  const ts = await verifyDatabase(db, { skewMs: SKEW_MS, anchor });
  db.close();
  const args = ['--db', b.env.file, '--skew-minutes', String(SKEW_MS / 60_000), '--no-manifest'];
  if (withAnchor) args.push('--anchor', b.env.anchors.file(b.dbId));
  else args.push('--no-anchor');
  const { report, status } = await runVerifier(args);
  expect(report.entries, 'entries').toBe(ts.entries);
  expect(report.checkpoints, 'checkpoints').toBe(ts.checkpoints);
  expect(report.verified_through, 'verified_through').toBe(ts.verified_through);
  return { ts: ts.findings, py: report, status };
}

describe('the Python verifier reports what lotseal verify reports, on every tamper case', () => {
  it('python3 is available (the parity tests need it)', () => {
    expect(python()).toBeTruthy();
  });

  for (const c of parityCases) {
    const variants = c.anchor === 'both' ? [false, true] : [c.anchor];
    for (const withAnchor of variants) {
      it(`${c.name}${withAnchor ? ' (with the anchor)' : ''}`, async () => {
        const b = build();
        envs.push(b.env);
        c.apply(b);
        b.ledger.db.close();
        const { ts, py, status } = await both(b, withAnchor);
        const pyKnown = py.findings.filter((f) => tsKinds.has(f.kind));
        expect(loci(pyKnown)).toEqual(loci(ts));
        const okKnown = pyKnown.length === 0;
        expect(okKnown).toBe(ts.length === 0);
        // Exit status: 0 only when nothing at all was found.
        expect(status).toBe(py.findings.length === 0 ? 0 : 1);
      });
    }
  }
});
