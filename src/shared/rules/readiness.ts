import type { z } from 'zod';
import type {
  ReadinessKey,
  dispositionDecisions,
  evidenceSchema,
  readinessLineSchema,
} from '../contract/channels/disposition';
import type { Completeness } from '../contract/channels/testing';
import type { LabelComparison } from '../contract/channels/release-evidence';
import { QuantityDecimal } from '../domain/units';

/**
 * The lot-readiness checklist (issue 11 §1, issue 21 point 2) as a table of pure checks.
 * Each check reads a typed `LotReadinessFacts` (gathered for a lot by one query function in
 * src/main/disposition/queries) and answers a line with its status, details and evidence.
 * The screen (disposition.readiness), the decision (inside its write transaction, whatever
 * path makes it) and the certificate of analysis evaluate the same table.
 */

export type ReadinessLine = z.infer<typeof readinessLineSchema>;
export type ReadinessEvidence = z.infer<typeof evidenceSchema>;
export type LotDecision = (typeof dispositionDecisions)[number];

/** Which checklist a lot gets: raw milk (its intake), received materials (inspection), produced lots (release). */
export type ReadinessScope = 'raw_milk' | 'received' | 'produced';

export function readinessScopeOf(kind: string): ReadinessScope {
  if (kind === 'raw_milk') return 'raw_milk';
  if (kind === 'ingredient' || kind === 'packaging') return 'received';
  return 'produced';
}

/** Lot statuses that may be used (consumed, shipped). */
export const USABLE_STATUSES: ReadonlySet<string> = new Set(['accepted', 'released']);
/** Lot kinds received from outside (their positive decision is `accepted`). */
export const RECEIVED_KINDS: ReadonlySet<string> = new Set(['raw_milk', 'ingredient', 'packaging']);

export interface ReadinessLotFacts {
  code: string;
  kind: string;
  status: string;
  itemCode: string;
  itemName: string;
  quantity: string;
  unit: string;
  origin: string | null;
}

/** The decision standing behind the lot's status (lots' LotControls.standing). */
export interface StandingFacts {
  standing: 'signed' | 'history' | 'unsigned' | 'broken' | 'pending';
  decision: { meaning: string; printedName: string; signedAt: number } | null;
}

export interface BaseFacts {
  lot: ReadinessLotFacts;
  /** The item's catalogue names (product or material), when it has one. */
  item: { nameZh: string; nameEn: string } | null;
  /** An infant-formula finished lot (GB 10765/10766/10767-2021): no release while a line fails. */
  imf: boolean;
  /** Open recalls covering the lot (its root, or a lot made from it). */
  recalls: string[];
  standing: StandingFacts;
  /** Was the lot ever held by a signed decision (its release from hold keeps that name). */
  everHeld: boolean;
}

/** The lot's results against its specification (testing's completeness) and its blocking OOS. */
export interface ResultsFacts {
  completeness: Pick<Completeness, 'spec' | 'items' | 'externalNotCounted'>;
  blockingOos: string[];
}

export interface MicroFacts {
  pending: Array<{ resultId: string; itemCode: string; sampleCode: string; stage: string }>;
  presumptive: string[];
  openHolds: Array<{ resultId: string; itemCode: string; sampleCode: string }>;
  expectedFinalAt: string | null;
}

export interface ProductionFacts {
  lot: ReadinessLotFacts;
  /** The production batch of the lot (null: none recorded). */
  batch: { code: string; status: string } | null;
}

export interface RetentionFacts {
  /** A retention sample was registered (not cancelled). */
  registered: boolean;
  kept: Array<{ code: string; remaining: string; unit: string; required: string | null; sufficient: boolean | null }>;
}

export interface AuditFacts {
  /** The last signed audit review of the lot (null: never reviewed). */
  reviewedThrough: number | null;
  /** Sequence numbers of the lot's audit scope without its own decisions' entries, oldest first. */
  seqs: number[];
}

export type LedgerProblem = { key: 'never_verified' | 'findings_open' | 'startup_findings'; runId: string | null } | null;

export interface RawMilkFacts extends BaseFacts {
  scope: 'raw_milk';
  intake: { status: string } | null;
}

export interface ReceivedFacts extends BaseFacts, ResultsFacts {
  scope: 'received';
}

export interface ProducedFacts extends BaseFacts, ResultsFacts, ProductionFacts {
  scope: 'produced';
  micro: MicroFacts;
  instruments: {
    flagged: Array<{ id: string; instrument: string; itemCode: string; reason: string | null }>;
    used: Array<{ id: string; code: string }>;
  };
  inputs: Array<{ code: string; status: string | null; kind: string | null }>;
  retention: RetentionFacts;
  labels: Pick<LabelComparison, 'rows' | 'summary'>;
  envAlerts: string[];
  audit: AuditFacts;
  ledger: LedgerProblem;
}

/** Everything the checklist of one lot reads, gathered once per lot. */
export type LotReadinessFacts = RawMilkFacts | ReceivedFacts | ProducedFacts;
type FactsOf<S extends ReadinessScope> = Extract<LotReadinessFacts, { scope: S }>;

export interface ReadinessCheck {
  key: ReadinessKey;
  appliesTo: readonly ReadinessScope[];
  line(f: LotReadinessFacts): ReadinessLine;
}

/** A text for the reader: a catalogue key and its parameters, translated where it is shown (D-089). */
function words(key: string, params: Record<string, string> = {}): { key: string; params: Record<string, string> } {
  return { key, params };
}

function line(
  key: ReadinessKey,
  ok: boolean,
  details: Record<string, string> = {},
  evidence: ReadinessEvidence[] = [],
): ReadinessLine {
  return { key, ok, details, evidence };
}

function check<S extends ReadinessScope>(
  key: ReadinessKey,
  appliesTo: readonly S[],
  fn: (f: FactsOf<S>) => ReadinessLine,
): ReadinessCheck {
  return {
    key,
    appliesTo,
    line: (f) => {
      if (!(appliesTo as readonly ReadinessScope[]).includes(f.scope))
        throw new Error(`readiness check ${key} does not apply to ${f.scope} lots`);
      return fn(f as FactsOf<S>);
    },
  };
}

// ------------------------------------------------------------------ the checks

/** Raw milk: its tanker intake accepted. */
export function intakeLine(f: RawMilkFacts): ReadinessLine {
  const status = f.intake?.status;
  return line('intake', status === 'accepted', { status: status ?? 'none' }, [
    { kind: 'intake', ref: f.lot.code, label: f.lot.code, note: status ?? 'not started' },
  ]);
}

/** The lot has a specification to be judged by (a produced lot's line links to it). */
export function specificationLine(f: ReceivedFacts | ProducedFacts): ReadinessLine {
  const spec = f.completeness.spec;
  if (f.scope === 'received') return line('specification', spec !== null, spec ? { spec: `${spec.code} v${spec.version}` } : {});
  return line(
    'specification',
    spec !== null,
    spec ? { spec: `${spec.code} v${spec.version}` } : {},
    spec
      ? [
          {
            kind: 'spec',
            ref: spec.versionId,
            label: `${spec.code} v${spec.version}`,
            note: null,
            labelText: words('disposition.evidenceText.specVersion', { code: spec.code, version: String(spec.version) }),
          },
        ]
      : [],
  );
}

function notDone(f: ResultsFacts) {
  return f.completeness.items.filter((i) => i.required && i.state !== 'reviewed' && i.state !== 'failed');
}

/** A received material: every required item of its inspection done and reviewed (or failed). */
export function inspectionLine(f: ReceivedFacts): ReadinessLine {
  const missing = notDone(f);
  return line(
    'inspection',
    f.completeness.spec !== null && missing.length === 0,
    { missing: String(missing.length) },
    missing.map((i) => ({ kind: 'result', ref: i.resultId ?? f.lot.code, label: i.code, note: i.state })),
  );
}

/** A produced lot: every required item of its specification reviewed (or failed). */
export function resultsCompleteLine(f: ProducedFacts): ReadinessLine {
  const missing = notDone(f);
  return line(
    'results_complete',
    f.completeness.spec !== null && missing.length === 0,
    { missing: String(missing.length), external: f.completeness.externalNotCounted.join(', ') },
    missing.map((i) => ({
      kind: i.resultId ? ('result' as const) : ('lot' as const),
      ref: i.resultId ?? f.lot.code,
      label: i.code,
      note: i.state,
    })),
  );
}

/** No failed item and no open or confirmed OOS. */
export function withinSpecLine(f: ReceivedFacts | ProducedFacts): ReadinessLine {
  const failed = f.completeness.items.filter((i) => i.state === 'failed');
  return line(
    'within_spec',
    failed.length === 0 && f.blockingOos.length === 0,
    { failed: failed.map((x) => x.code).join(', '), oos: f.blockingOos.join(', ') },
    [
      ...failed.map((x) => ({
        kind: 'result' as const,
        ref: x.resultId ?? '',
        label: `${x.code} ${x.reported ?? ''}`,
        note: x.limitText,
        labelText: words('disposition.evidenceText.itemReported', { item: x.code, reported: x.reported ?? '' }),
      })),
      ...f.blockingOos.map((o) => ({ kind: 'oos' as const, ref: o, label: o, note: null })),
    ],
  );
}

/**
 * Micro results final (testing, issue 20 §3): no presumptive positive waiting for its
 * confirmation, every automatic hold reviewed by QA, and — while results are pending — the
 * time they are expected to be final.
 */
export function microLine(f: ProducedFacts): ReadinessLine {
  const m = f.micro;
  return line(
    'micro',
    m.pending.length === 0 && m.openHolds.length === 0,
    {
      pending: String(m.pending.length),
      presumptive: m.presumptive.join(', '),
      holds: String(m.openHolds.length),
      expected: m.expectedFinalAt ?? '',
    },
    [
      ...m.pending.map((p) => ({
        kind: 'result' as const,
        ref: p.resultId,
        label: `${p.itemCode} (${p.sampleCode})`,
        note: p.stage,
        labelText: words('disposition.evidenceText.itemOfSample', { item: p.itemCode, sample: p.sampleCode }),
      })),
      // The note names the automatic hold in the reader's language; the rule's key is not for people.
      ...m.openHolds.map((h) => ({
        kind: 'result' as const,
        ref: h.resultId,
        label: `${h.itemCode} (${h.sampleCode})`,
        note: 'micro_hold',
        labelText: words('disposition.evidenceText.itemOfSample', { item: h.itemCode, sample: h.sampleCode }),
      })),
    ],
  );
}

/** Every capture behind the lot's current results was made unlocked and has not been flagged by a failed check since. */
export function instrumentsLine(f: ProducedFacts): ReadinessLine {
  const { flagged, used } = f.instruments;
  return line(
    'instruments',
    flagged.length === 0,
    { instruments: used.map((u) => u.code).join(', '), flagged: String(flagged.length) },
    [
      ...flagged.map((x) => ({
        kind: 'capture' as const,
        ref: x.id,
        label: `${x.instrument} → ${x.itemCode}`,
        note: x.reason,
        labelText: words('disposition.evidenceText.captureFor', { instrument: x.instrument, item: x.itemCode }),
      })),
      ...used.map((u) => ({ kind: 'instrument' as const, ref: u.id, label: u.code, note: null })),
    ],
  );
}

/** A produced lot: its production batch completed and a quantity above zero (issue 19 §4). */
export function productionLine(f: ProductionFacts): ReadinessLine {
  const { lot, batch } = f;
  const positive = new QuantityDecimal(lot.quantity).greaterThan(0);
  // An imported lot's production record is the ERP's: its quantity says it was made.
  const batchDone = batch ? batch.status === 'closed' : lot.origin === 'import';
  return line(
    'production',
    batchDone && positive,
    {
      batch: batch?.code ?? '',
      batchStatus: batch ? batch.status : lot.origin === 'import' ? 'erp' : 'none',
      quantity: lot.quantity,
      unit: lot.unit,
    },
    batch ? [{ kind: 'lot', ref: lot.code, label: batch.code, note: batch.status }] : [],
  );
}

/** Every input lot usable; no recorded input is no genealogy: the line fails (issue 19 §4). */
export function inputsLine(f: ProducedFacts): ReadinessLine {
  const bad = f.inputs.filter((i) => !USABLE_STATUSES.has(i.status ?? ''));
  return line(
    'inputs',
    f.inputs.length > 0 && bad.length === 0,
    { inputs: String(f.inputs.length), notReleased: bad.map((b) => b.code).join(', ') },
    f.inputs.map((i) => ({
      kind: 'lot' as const,
      ref: i.code,
      label: `${i.code} (${i.kind ?? '?'})`,
      note: i.status,
      ...(i.kind ? { labelText: words('disposition.evidenceText.lotOfKind', { code: i.code, kind: i.kind }) } : {}),
    })),
  );
}

/**
 * A retention sample that still holds the quantity the product's retention profile requires
 * (issue 20 §5: enough for the re-tests the plan requires), after its withdrawals.
 */
export function retentionLine(f: ProducedFacts): ReadinessLine {
  const { registered, kept } = f.retention;
  const short = kept.filter((k) => k.sufficient === false);
  const ok = registered && (kept.length === 0 || short.length < kept.length);
  return line(
    'retention',
    ok,
    {
      required: kept[0]?.required ?? '',
      remaining: kept.map((k) => `${k.remaining} ${k.unit}`).join(', '),
      short: short.map((k) => k.code).join(', '),
    },
    registered
      ? kept.map((k) => ({
          kind: 'sample' as const,
          ref: k.code,
          label: k.code,
          note: `${k.remaining} ${k.unit}${k.required ? ` / ${k.required}` : ''}`,
          noteText: k.required
            ? words('disposition.evidenceText.retentionLeftOf', { remaining: k.remaining, unit: k.unit, required: k.required })
            : words('disposition.evidenceText.retentionLeft', { remaining: k.remaining, unit: k.unit }),
        }))
      : [
          {
            kind: 'lot',
            ref: f.lot.code,
            label: f.lot.code,
            note: 'no retention sample',
            noteText: words('disposition.notes.no_retention_sample'),
          },
        ],
  );
}

/**
 * The lot's results against the product's declared label values (标示值) by the rule the
 * plant applies (issue 20 §5). Fails when a declared item is outside its rule or has no
 * reviewed result.
 */
export function labelValuesLine(f: ProducedFacts): ReadinessLine {
  const c = f.labels;
  const bad = c.rows.flatMap((r) => (r.label && !r.label.ok ? [{ r, label: r.label }] : []));
  return line(
    'label_values',
    bad.length === 0,
    {
      declared: String(c.summary.declared),
      outside: String(c.summary.outside),
      notCompared: String(c.summary.notCompared),
      unverified: String(c.summary.unverified),
    },
    bad.map(({ r, label }) => ({
      kind: r.resultId ? ('result' as const) : ('lot' as const),
      ref: r.resultId ?? f.lot.code,
      label: `${r.itemCode} ${label.compared ?? r.reported ?? ''}`.trim(),
      note:
        label.comparable === 'ok'
          ? `${label.nearest?.side === 'max' ? '>' : '<'} ${label.nearest?.bound ?? ''}`
          : label.comparable,
    })),
  );
}

/** No open environmental alert names the lot. */
export function environmentLine(f: ProducedFacts): ReadinessLine {
  return line(
    'environment',
    f.envAlerts.length === 0,
    { alerts: f.envAlerts.join(', ') },
    f.envAlerts.map((a) => ({ kind: 'env_alert', ref: a, label: a, note: 'open' })),
  );
}

/** No open recall covers the lot (its root, or a lot made from it). */
export function recallLine(f: LotReadinessFacts): ReadinessLine {
  return line(
    'recall',
    f.recalls.length === 0,
    { recalls: f.recalls.join(', ') },
    f.recalls.map((r) => ({ kind: 'recall' as const, ref: r, label: r, note: 'open' })),
  );
}

/** The decision standing behind the lot's status still matches the lot (issue 19 §9). */
export function signatureLine(f: LotReadinessFacts): ReadinessLine {
  const st = f.standing;
  return line(
    'signature',
    st.standing !== 'broken' && st.standing !== 'unsigned',
    {
      standing: st.standing,
      meaning: st.decision?.meaning ?? '',
      by: st.decision?.printedName ?? '',
      at: st.decision ? new Date(st.decision.signedAt).toISOString() : '',
    },
    st.decision ? [{ kind: 'lot', ref: f.lot.code, label: f.lot.code, note: st.standing }] : [],
  );
}

/** Every entry of the lot's audit scope (its own decisions aside) covered by a signed review. */
export function auditReviewLine(f: ProducedFacts): ReadinessLine {
  const { reviewedThrough, seqs } = f.audit;
  const last = seqs.length ? seqs[seqs.length - 1]! : 0;
  const through = reviewedThrough ?? -1;
  const unreviewed = seqs.filter((q) => q > through).length;
  return line(
    'audit_review',
    reviewedThrough !== null && through >= last,
    { unreviewed: String(unreviewed), throughSeq: String(Math.max(through, 0)), last: String(last) },
    [
      {
        kind: 'audit',
        ref: f.lot.code,
        label: `${unreviewed}`,
        note: reviewedThrough !== null ? `reviewed through #${through}` : 'never reviewed',
        noteText:
          reviewedThrough !== null
            ? words('disposition.notes.reviewedThrough', { seq: String(through) })
            : words('disposition.notes.never_reviewed'),
      },
    ],
  );
}

/** The ledger's last verification left nothing unreviewed. */
export function ledgerLine(f: ProducedFacts): ReadinessLine {
  const h = f.ledger;
  return line(
    'ledger',
    h === null,
    h ? { problem: h.key } : {},
    h ? [{ kind: 'verification', ref: h.runId ?? '', label: h.key, note: null }] : [],
  );
}

/** The checklist, in the order the screen shows it; each lot gets the checks of its scope. */
export const readinessChecks: readonly ReadinessCheck[] = [
  check('intake', ['raw_milk'], intakeLine),
  check('specification', ['received', 'produced'], specificationLine),
  check('inspection', ['received'], inspectionLine),
  check('results_complete', ['produced'], resultsCompleteLine),
  check('within_spec', ['received', 'produced'], withinSpecLine),
  check('micro', ['produced'], microLine),
  check('instruments', ['produced'], instrumentsLine),
  check('production', ['produced'], productionLine),
  check('inputs', ['produced'], inputsLine),
  check('retention', ['produced'], retentionLine),
  check('label_values', ['produced'], labelValuesLine),
  check('environment', ['produced'], environmentLine),
  check('recall', ['raw_milk', 'received', 'produced'], recallLine),
  check('signature', ['raw_milk', 'received', 'produced'], signatureLine),
  check('audit_review', ['produced'], auditReviewLine),
  check('ledger', ['produced'], ledgerLine),
];

/** The lines of a lot's checklist. */
export function readinessLines(f: LotReadinessFacts): ReadinessLine[] {
  return readinessChecks.filter((c) => c.appliesTo.includes(f.scope)).map((c) => c.line(f));
}

/** The decisions the lot's status and readiness allow. */
export function allowedDecisions(f: LotReadinessFacts, ready: boolean): LotDecision[] {
  const { status, kind } = f.lot;
  const out: LotDecision[] = [];
  if (kind === 'raw_milk') {
    if (USABLE_STATUSES.has(status)) out.push('hold');
    if (status === 'on_hold') out.push('release_from_hold', 'reject');
    return out;
  }
  if (status === 'quarantine') {
    if (ready) out.push('accept');
    out.push('reject');
  }
  if (USABLE_STATUSES.has(status)) out.push('hold', 'reject');
  if (status === 'on_hold') {
    if (ready) out.push(f.everHeld || RECEIVED_KINDS.has(kind) ? 'release_from_hold' : 'release');
    out.push('reject');
  }
  return out;
}

export interface ReadinessEvaluation {
  lotCode: string;
  lotKind: string;
  lotStatus: string;
  itemCode: string;
  itemName: string;
  imf: boolean;
  lines: ReadinessLine[];
  ready: boolean;
  allowedDecisions: LotDecision[];
}

/** The checklist of a lot: its lines, whether all are met, and the decisions that allows. */
export function evaluateReadiness(f: LotReadinessFacts): ReadinessEvaluation {
  const lines = readinessLines(f);
  const ready = lines.every((l) => l.ok);
  return {
    lotCode: f.lot.code,
    lotKind: f.lot.kind,
    lotStatus: f.lot.status,
    itemCode: f.lot.itemCode,
    itemName: f.item ? `${f.item.nameZh} / ${f.item.nameEn}` : f.lot.itemName,
    imf: f.imf,
    lines,
    ready,
    allowedDecisions: allowedDecisions(f, ready),
  };
}
