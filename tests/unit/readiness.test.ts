import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readinessKeys } from '../../src/shared/contract/channels/disposition';
import { hasKey, translate } from '../../src/shared/i18n';
import {
  allowedDecisions,
  evaluateReadiness,
  productionLine,
  readinessChecks,
  readinessLines,
  readinessScopeOf,
  type LotReadinessFacts,
  type ProducedFacts,
  type RawMilkFacts,
  type ReceivedFacts,
} from '../../src/shared/rules/readiness';

const lot = (kind: string, status = 'on_hold') => ({
  code: 'L1',
  kind,
  status,
  itemCode: 'P1',
  itemName: 'Product',
  quantity: '100',
  unit: 'kg',
  origin: 'production',
});

const base = {
  item: { nameZh: '产品', nameEn: 'Product' },
  imf: true,
  recalls: [] as string[],
  standing: { standing: 'pending' as const, decision: null },
  everHeld: false,
};

const spec = { versionId: 'v1', code: 'GB-10765', version: 1, effectiveFrom: null };
const item = (code: string, state: 'reviewed' | 'failed' | 'missing' | 'pending', required = true) => ({
  code,
  nameZh: code,
  nameEn: code,
  group: 'nutrients',
  required,
  inHouseOnly: false,
  state,
  resultId: state === 'missing' ? null : `r-${code}`,
  sampleCode: 'S1',
  reported: state === 'missing' ? null : '1.0',
  unit: 'g',
  reportUnit: 'g/100 g',
  reporting: null,
  limitText: '≥ 0.5',
  verdict: state === 'failed' ? ('fail' as const) : state === 'reviewed' ? ('pass' as const) : null,
  externalLab: null,
});

/** A finished IMF lot on hold whose every line is met. */
function readyProduced(): ProducedFacts {
  return {
    ...base,
    scope: 'produced',
    lot: lot('finished'),
    completeness: { spec, items: [item('protein', 'reviewed'), item('fat', 'reviewed')], externalNotCounted: [] },
    blockingOos: [],
    batch: { code: 'B1', status: 'closed' },
    micro: { pending: [], presumptive: [], openHolds: [], expectedFinalAt: null },
    instruments: { flagged: [], used: [{ id: 'i1', code: 'BAL-1' }] },
    inputs: [{ code: 'IN-1', status: 'accepted', kind: 'ingredient' }],
    retention: { registered: true, kept: [{ code: 'RS-1', remaining: '600', unit: 'g', required: '400 g', sufficient: true }] },
    labels: { rows: [], summary: { declared: 0, outside: 0, notCompared: 0, unverified: 0 } },
    envAlerts: [],
    audit: { reviewedThrough: 40, seqs: [3, 10, 40] },
    ledger: null,
  };
}

/** Each way a produced lot's facts can break its lines, with the keys of the lines it breaks. */
const breakers: Array<[string | string[], (f: ProducedFacts) => ProducedFacts]> = [
  // No specification: nothing can be complete against it either.
  [['specification', 'results_complete'], (f) => ({ ...f, completeness: { ...f.completeness, spec: null } })],
  ['results_complete', (f) => ({ ...f, completeness: { ...f.completeness, items: [...f.completeness.items, item('vitA', 'pending')] } })],
  ['within_spec', (f) => ({ ...f, blockingOos: ['OOS-1'] })],
  ['micro', (f) => ({ ...f, micro: { ...f.micro, openHolds: [{ resultId: 'r', itemCode: 'ent', sampleCode: 'S' }] } })],
  ['instruments', (f) => ({ ...f, instruments: { ...f.instruments, flagged: [{ id: 'c', instrument: 'BAL-1', itemCode: 'fat', reason: null }] } })],
  ['production', (f) => ({ ...f, batch: { code: 'B1', status: 'open' } })],
  ['inputs', (f) => ({ ...f, inputs: [] })],
  ['retention', (f) => ({ ...f, retention: { registered: false, kept: [] } })],
  ['environment', (f) => ({ ...f, envAlerts: ['ENV-1'] })],
  ['recall', (f) => ({ ...f, recalls: ['RC-1'] })],
  ['signature', (f) => ({ ...f, standing: { standing: 'broken', decision: { meaning: 'released', printedName: 'Q', signedAt: 0 } } })],
  ['audit_review', (f) => ({ ...f, audit: { reviewedThrough: 10, seqs: [3, 10, 40] } })],
  ['ledger', (f) => ({ ...f, ledger: { key: 'findings_open', runId: 'run-1' } })],
];

describe('the readiness checklist (a table of pure checks)', () => {
  it('names every readiness key once, in the contract’s key set', () => {
    const keys = readinessChecks.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...readinessKeys].sort());
  });

  it('gives each lot the lines of its scope, in the screen’s order', () => {
    const raw: RawMilkFacts = { ...base, imf: false, scope: 'raw_milk', lot: lot('raw_milk'), intake: { status: 'accepted' } };
    expect(readinessLines(raw).map((l) => l.key)).toEqual(['intake', 'recall', 'signature']);
    const received: ReceivedFacts = {
      ...base,
      imf: false,
      scope: 'received',
      lot: lot('ingredient', 'quarantine'),
      completeness: { spec, items: [item('moisture', 'reviewed')], externalNotCounted: [] },
      blockingOos: [],
    };
    expect(readinessLines(received).map((l) => l.key)).toEqual(['specification', 'inspection', 'within_spec', 'recall', 'signature']);
    expect(readinessLines(readyProduced()).map((l) => l.key)).toEqual([
      'specification', 'results_complete', 'within_spec', 'micro', 'instruments', 'production', 'inputs',
      'retention', 'label_values', 'environment', 'recall', 'signature', 'audit_review', 'ledger',
    ]);
  });

  it('maps lot kinds to scopes', () => {
    expect(readinessScopeOf('raw_milk')).toBe('raw_milk');
    expect(readinessScopeOf('ingredient')).toBe('received');
    expect(readinessScopeOf('packaging')).toBe('received');
    expect(readinessScopeOf('finished')).toBe('produced');
    expect(readinessScopeOf('intermediate')).toBe('produced');
  });

  it('a lot whose every line is met is ready and may be released', () => {
    const r = evaluateReadiness(readyProduced());
    expect(r.lines.filter((l) => !l.ok)).toEqual([]);
    expect(r.ready).toBe(true);
    expect(r.allowedDecisions).toEqual(['release', 'reject']);
    expect(r.itemName).toBe('产品 / Product');
  });

  it('any set of broken facts fails exactly those lines; release is then not allowed (positive release)', () => {
    fc.assert(
      fc.property(fc.subarray(breakers, { minLength: 0 }), (chosen) => {
        const f = chosen.reduce((acc, [, brk]) => brk(acc), readyProduced());
        const r = evaluateReadiness(f);
        const failing = r.lines.filter((l) => !l.ok).map((l) => l.key).sort();
        expect(failing).toEqual([...new Set(chosen.flatMap(([k]) => k))].sort());
        expect(r.ready).toBe(chosen.length === 0);
        expect(r.allowedDecisions.includes('release')).toBe(chosen.length === 0);
        // Reject stays possible whatever fails.
        expect(r.allowedDecisions).toContain('reject');
      }),
    );
  });

  it('is pure: the same facts give the same checklist, and the facts are not changed', () => {
    fc.assert(
      fc.property(fc.subarray(breakers), (chosen) => {
        const f = chosen.reduce((acc, [, brk]) => brk(acc), readyProduced());
        const copy = structuredClone(f);
        expect(evaluateReadiness(f)).toEqual(evaluateReadiness(copy));
        expect(f).toEqual(copy);
      }),
    );
  });

  it('production: a closed batch (or an ERP lot) and a quantity above zero', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('closed', 'open', 'planned'),
        fc.option(fc.constantFrom('import', 'production'), { nil: null }),
        fc.boolean(),
        fc.integer({ min: -5, max: 5 }),
        (status, origin, hasBatch, qty) => {
          const l = productionLine({
            lot: { ...lot('finished'), origin, quantity: String(qty) },
            batch: hasBatch ? { code: 'B', status } : null,
          });
          const made = hasBatch ? status === 'closed' : origin === 'import';
          expect(l.ok).toBe(made && qty > 0);
        },
      ),
    );
  });

  it('audit review: met only when a review covers the last entry of the scope', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 20 }).map((a) => a.sort((x, y) => x - y)),
        fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
        (seqs, through) => {
          const f = { ...readyProduced(), audit: { reviewedThrough: through, seqs } };
          const l = readinessLines(f).find((x) => x.key === 'audit_review')!;
          const last = seqs.length ? seqs[seqs.length - 1]! : 0;
          expect(l.ok).toBe(through !== null && through >= last);
          expect(l.details['unreviewed']).toBe(String(seqs.filter((q) => q > (through ?? -1)).length));
        },
      ),
    );
  });

  it('allowed decisions follow the status, the kind and readiness', () => {
    const produced = (status: string, ready: boolean, everHeld = false): LotReadinessFacts => ({
      ...readyProduced(),
      lot: lot('finished', status),
      everHeld,
    });
    expect(allowedDecisions(produced('on_hold', false), false)).toEqual(['reject']);
    expect(allowedDecisions(produced('on_hold', true, true), true)).toEqual(['release_from_hold', 'reject']);
    expect(allowedDecisions(produced('released', true), true)).toEqual(['hold', 'reject']);
    expect(allowedDecisions(produced('quarantine', true), true)).toEqual(['accept', 'reject']);
    const raw = (status: string): LotReadinessFacts => ({ ...base, scope: 'raw_milk', lot: lot('raw_milk', status), intake: null });
    expect(allowedDecisions(raw('accepted'), false)).toEqual(['hold']);
    expect(allowedDecisions(raw('on_hold'), false)).toEqual(['release_from_hold', 'reject']);
    const received = (status: string): LotReadinessFacts => ({
      ...base,
      scope: 'received',
      lot: lot('ingredient', status),
      completeness: { spec, items: [], externalNotCounted: [] },
      blockingOos: [],
    });
    expect(allowedDecisions(received('on_hold'), true)).toEqual(['release_from_hold', 'reject']);
  });

  it('evidence built from values comes as a key and its parameters, in both catalogues, with no English in Chinese (D-089)', () => {
    const facts = [readyProduced(), ...breakers.map(([, br]) => br(readyProduced()))];
    const texts = facts.flatMap((f) =>
      readinessLines(f).flatMap((l) => l.evidence.flatMap((e) => [e.labelText, e.noteText].filter((x) => x !== undefined))),
    );
    const keys = new Set(texts.map((x) => x!.key));
    // Specification version, inputs of a kind, retention left, the audit review's reach and more.
    for (const k of [
      'disposition.evidenceText.specVersion',
      'disposition.evidenceText.lotOfKind',
      'disposition.evidenceText.retentionLeftOf',
      'disposition.notes.reviewedThrough',
    ])
      expect(keys).toContain(k);
    for (const x of texts) {
      expect(hasKey('zh-CN', x!.key), x!.key).toBe(true);
      expect(hasKey('en', x!.key), x!.key).toBe(true);
      expect(translate('zh-CN', x!.key, x!.params)).not.toMatch(/\{\{|\bversion\b|\bleft\b|reviewed through/);
    }
    expect(translate('zh-CN', 'disposition.evidenceText.specVersion', { code: 'GB-10765', version: '1' })).toBe('GB-10765 第 1 版');
  });

  it('a check refuses facts of a scope it does not apply to', () => {
    const intake = readinessChecks.find((c) => c.key === 'intake')!;
    expect(() => intake.line(readyProduced())).toThrow();
  });
});
