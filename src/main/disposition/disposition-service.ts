import type { z } from 'zod';
import type {
  ReadinessKey,
  Readiness,
  auditScopeEntrySchema,
  evidenceSchema,
  forwardSchema,
  readinessLineSchema,
} from '../../shared/contract/channels/disposition';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import { actorOf, type IdentityService } from '../auth/identity';
import type { SettingsService } from '../auth/settings';
import { imfStages } from '../catalog/spec-rules';
import { displayContent } from '../ledger/audit-queries';
import type { Row } from '../ledger/entities';
import type { Ledger } from '../ledger/ledger';
import { L } from '../lots/entities';
import type { ResultsService } from '../results/results-service';
import type { SamplesService } from '../samples/samples-service';
import type { EnvService } from '../environment/env-service';
import { traceLot } from '../trace/trace';
import { labelComparison, retentionState } from '../release-evidence/release-evidence-service';
import { DP } from './entities';

type Line = z.infer<typeof readinessLineSchema>;
type Evidence = z.infer<typeof evidenceSchema>;
type Forward = z.infer<typeof forwardSchema>;
type ScopeEntry = z.infer<typeof auditScopeEntrySchema>;
type Decision = 'release' | 'accept' | 'hold' | 'reject' | 'release_from_hold';

const USABLE = new Set(['accepted', 'released']);
const RECEIVED = new Set(['raw_milk', 'ingredient', 'packaging']);

export interface LedgerHealth {
  /** Null when the ledger's last verification found nothing unreviewed; else why not. */
  problem(): { key: 'never_verified' | 'findings_open' | 'startup_findings'; runId: string | null } | null;
}

/**
 * Lot disposition (issue 11): readiness computed from the records with evidence, the signed
 * decisions (positive release: no release while a line fails, no override for IMF finished
 * lots), hold propagation through the trace engine, the lot's audit-trail review, and the
 * data behind the certificate of analysis and the lot dossier.
 */
export class DispositionService {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly settings: SettingsService,
    private readonly samples: SamplesService,
    private readonly results: ResultsService,
    private readonly env: EnvService,
    private readonly health: LedgerHealth,
  ) {}

  private get db() {
    return this.ledger.db;
  }

  lot(code: string): Row {
    const r = this.db.prepare('SELECT * FROM lot WHERE code = ? AND retired = 0').get(code) as Row | undefined;
    if (!r) fail('not_found', { entity: 'lot', id: code }, 'errors.lot_not_found');
    return r;
  }

  isImf(lot: Row): boolean {
    if (lot['kind'] !== 'finished') return false;
    const p = this.db.prepare('SELECT stage FROM product WHERE code = ?').get(lot['item_code']) as
      | { stage: string }
      | undefined;
    return !!p && imfStages.has(p.stage);
  }

  // ------------------------------------------------------------------ the lot's audit scope

  /** Every record that belongs to a lot's story: the lot, its samples and results, investigations, captures, batch, shipments. */
  scope(lot: Row): Array<{ entity: string; id: string }> {
    const code = lot['code'] as string;
    const out: Array<{ entity: string; id: string }> = [{ entity: 'lot', id: lot.id }];
    const add = (entity: string, sql: string, ...params: unknown[]) => {
      for (const r of this.db.prepare(sql).all(...params) as Array<{ id: string }>) out.push({ entity, id: r.id });
    };
    add('sample', 'SELECT id FROM sample WHERE lot_code = ?', code);
    add(
      'sample_event',
      'SELECT e.id FROM sample_event e JOIN sample s ON s.id = e.sample_id WHERE s.lot_code = ?',
      code,
    );
    add('test_result', 'SELECT id FROM test_result WHERE lot_code = ?', code);
    add(
      'result_attachment',
      'SELECT a.id FROM result_attachment a JOIN test_result r ON r.id = a.result_id WHERE r.lot_code = ?',
      code,
    );
    add(
      'instrument_capture',
      'SELECT c.id FROM instrument_capture c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?',
      code,
    );
    add('oos_investigation', 'SELECT id FROM oos_investigation WHERE lot_code = ?', code);
    add('consumption', 'SELECT id FROM consumption WHERE output_lot = ? OR input_lot = ?', code, code);
    add('shipment', 'SELECT id FROM shipment WHERE lot_code = ?', code);
    add('stock_movement', 'SELECT id FROM stock_movement WHERE lot_code = ?', code);
    if (lot['batch_id']) out.push({ entity: 'batch', id: lot['batch_id'] as string });
    if (lot['receipt_id']) out.push({ entity: 'receipt', id: lot['receipt_id'] as string });
    add('raw_milk_intake', 'SELECT id FROM raw_milk_intake WHERE lot_code = ?', code);
    // Signatures on any of these records are part of the story too (by entity: the index is (entity, entity_id)).
    const byEntity = new Map<string, string[]>();
    for (const o of out) byEntity.set(o.entity, [...(byEntity.get(o.entity) ?? []), o.id]);
    for (const [entity, ids] of byEntity) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        add('signature', `SELECT id FROM signature WHERE entity = ? AND entity_id IN (${chunk.map(() => '?').join(',')})`, entity, ...chunk);
      }
    }
    return out;
  }

  /** Audit entries of the lot's records, oldest first. */
  scopeEntries(
    lot: Row,
  ): Array<{
    seq: number;
    at: number;
    actor: string;
    actor_name: string;
    action: string;
    entity: string;
    entity_id: string;
    reason: string | null;
    content: string;
  }> {
    const scope = this.scope(lot);
    const rows: Array<{
      seq: number;
      at: number;
      actor: string;
      actor_name: string;
      action: string;
      entity: string;
      entity_id: string;
      reason: string | null;
      content: string;
    }> = [];
    const byEntity = new Map<string, string[]>();
    for (const s of scope) byEntity.set(s.entity, [...(byEntity.get(s.entity) ?? []), s.id]);
    for (const [entity, ids] of byEntity) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        rows.push(
          ...(this.db
            .prepare(
              `SELECT seq, at, actor, actor_name, action, entity, entity_id, reason, content FROM audit_entry WHERE entity = ? AND entity_id IN (${chunk.map(() => '?').join(',')})`,
            )
            .all(entity, ...chunk) as typeof rows),
        );
      }
    }
    return rows.sort((a, b) => a.seq - b.seq);
  }

  lastAuditReview(lotCode: string): Row | undefined {
    return this.db
      .prepare('SELECT * FROM lot_audit_review WHERE lot_code = ? AND retired = 0 ORDER BY through_seq DESC LIMIT 1')
      .get(lotCode) as Row | undefined;
  }

  auditEntries(lotCode: string, onlyUnreviewed: boolean) {
    const lot = this.lot(lotCode);
    const review = this.lastAuditReview(lotCode);
    const through = (review?.['through_seq'] as number | undefined) ?? 0;
    const rows = this.scopeEntries(lot);
    const prev = new Map<string, Record<string, unknown>>();
    const entries: ScopeEntry[] = [];
    const text = (v: unknown): string | null =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    for (const r of rows) {
      const key = `${r.entity}|${r.entity_id}`;
      const cur = displayContent(r.entity, JSON.parse(r.content) as Record<string, unknown>);
      const before = prev.get(key) ?? null;
      const changes: ScopeEntry['changes'] = [];
      for (const k of Object.keys(cur)) {
        if (k === 'rev' || k === 'id') continue;
        const a = text(before?.[k]);
        const b = text(cur[k]);
        if (a !== b && !(before === null && b === null)) changes.push({ field: k, from: a, to: b });
      }
      prev.set(key, cur);
      const unreviewed = r.seq > through;
      if (onlyUnreviewed && !unreviewed) continue;
      entries.push({
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        actorId: r.actor,
        actorName: r.actor_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        reason: r.reason,
        changes,
        unreviewed,
      });
    }
    return {
      entries,
      lastReview: review
        ? {
            throughSeq: review['through_seq'] as number,
            reviewedBy: review['reviewed_by'] as string,
            reviewedAt: new Date(review['reviewed_at'] as number).toISOString(),
            comment: review['comment'] as string,
          }
        : null,
      headSeq: this.ledger.head().seq,
    };
  }

  async auditReview(
    signerId: string,
    lotCode: string,
    throughSeq: number,
    comment: string,
    password: string,
    meaning: SignatureMeaning,
  ): Promise<{ ok: true }> {
    if (meaning !== 'audit_reviewed')
      fail(
        'invalid_input',
        { field: 'signature.meaning', expected: 'audit_reviewed' },
        'errors.signature_meaning_mismatch',
      );
    const lot = this.lot(lotCode);
    const entries = this.scopeEntries(lot);
    const last = entries.length ? entries[entries.length - 1]!.seq : 0;
    // The reviewer signs for what was on the screen: entries added since are not covered.
    if (throughSeq < last) fail('conflict', { lot: lotCode, throughSeq, last }, 'errors.audit_review_stale');
    if (throughSeq > this.ledger.head().seq) fail('invalid_input', { field: 'throughSeq' }, 'errors.seq_beyond_head');
    const signer = await this.identity.authenticateSigner(signerId, password);
    this.ledger.write(actorOf(signer), (w) => {
      const r = w.create(DP.auditReview, {
        lot_code: lotCode,
        through_seq: throughSeq,
        entries: entries.length,
        comment,
        reviewed_by: signer.id,
        reviewed_at: w.at,
      });
      this.identity.sign(w, signer, { def: DP.auditReview, id: r.id }, { meaning: 'audit_reviewed', comment });
    });
    return { ok: true };
  }

  // ------------------------------------------------------------------ readiness

  private line(key: ReadinessKey, ok: boolean, details: Record<string, string> = {}, evidence: Evidence[] = []): Line {
    return { key, ok, details, evidence };
  }

  readiness(lotCode: string): Readiness {
    const lot = this.lot(lotCode);
    const kind = lot['kind'] as string;
    const lines: Line[] = [];
    const item = this.db
      .prepare(
        'SELECT name_zh, name_en FROM product WHERE code = ? UNION ALL SELECT name_zh, name_en FROM material WHERE code = ? LIMIT 1',
      )
      .get(lot['item_code'], lot['item_code']) as { name_zh: string; name_en: string } | undefined;
    if (kind === 'raw_milk') {
      const intake = this.db.prepare('SELECT * FROM raw_milk_intake WHERE lot_code = ?').get(lotCode) as
        | Row
        | undefined;
      lines.push(
        this.line(
          'intake',
          intake?.['status'] === 'accepted',
          { status: (intake?.['status'] as string | undefined) ?? 'none' },
          [
            {
              kind: 'intake',
              ref: lotCode,
              label: lotCode,
              note: (intake?.['status'] as string | undefined) ?? 'not started',
            },
          ],
        ),
      );
    } else if (kind === 'ingredient' || kind === 'packaging') {
      const c = this.results.completeness(lotCode);
      lines.push(
        this.line('specification', c.spec !== null, c.spec ? { spec: `${c.spec.code} v${c.spec.version}` } : {}),
      );
      const missing = c.items.filter((i) => i.required && i.state !== 'reviewed' && i.state !== 'failed');
      lines.push(
        this.line(
          'inspection',
          c.spec !== null && missing.length === 0,
          { missing: String(missing.length) },
          missing.map((i) => ({ kind: 'result', ref: i.resultId ?? lotCode, label: i.code, note: i.state })),
        ),
      );
      lines.push(this.withinSpec(lotCode, c));
    } else {
      const c = this.results.completeness(lotCode);
      lines.push(
        this.line(
          'specification',
          c.spec !== null,
          c.spec ? { spec: `${c.spec.code} v${c.spec.version}` } : {},
          c.spec
            ? [{ kind: 'spec', ref: c.spec.versionId, label: `${c.spec.code} v${c.spec.version}`, note: null }]
            : [],
        ),
      );
      const notDone = c.items.filter((i) => i.required && i.state !== 'reviewed' && i.state !== 'failed');
      lines.push(
        this.line(
          'results_complete',
          c.spec !== null && notDone.length === 0,
          { missing: String(notDone.length), external: c.externalNotCounted.join(', ') },
          notDone.map((i) => ({
            kind: i.resultId ? ('result' as const) : ('lot' as const),
            ref: i.resultId ?? lotCode,
            label: i.code,
            note: i.state,
          })),
        ),
      );
      lines.push(this.withinSpec(lotCode, c));
      lines.push(this.instrumentsLine(lotCode));
      lines.push(this.inputsLine(lotCode));
      lines.push(this.retentionLine(lotCode));
      lines.push(this.labelValuesLine(lotCode));
      const alerts = this.env.openAlertsFor(lotCode);
      lines.push(
        this.line(
          'environment',
          alerts.length === 0,
          { alerts: alerts.join(', ') },
          alerts.map((a) => ({ kind: 'env_alert', ref: a, label: a, note: 'open' })),
        ),
      );
      lines.push(this.auditLine(lot));
      const h = this.health.problem();
      lines.push(
        this.line(
          'ledger',
          h === null,
          h ? { problem: h.key } : {},
          h ? [{ kind: 'verification', ref: h.runId ?? '', label: h.key, note: null }] : [],
        ),
      );
    }
    const ready = lines.every((l) => l.ok);
    return {
      lotCode,
      lotKind: kind,
      lotStatus: lot['status'] as string,
      itemCode: lot['item_code'] as string,
      itemName: item ? `${item.name_zh} / ${item.name_en}` : (lot['item_name'] as string),
      imf: this.isImf(lot),
      lines,
      ready,
      allowedDecisions: this.allowed(lot, ready),
    };
  }

  private withinSpec(lotCode: string, c: ReturnType<ResultsService['completeness']>): Line {
    const failed = c.items.filter((i) => i.state === 'failed');
    const oos = this.results.blockingOos(lotCode);
    return this.line(
      'within_spec',
      failed.length === 0 && oos.length === 0,
      { failed: failed.map((f) => f.code).join(', '), oos: oos.join(', ') },
      [
        ...failed.map((f) => ({
          kind: 'result' as const,
          ref: f.resultId ?? '',
          label: `${f.code} ${f.reported ?? ''}`,
          note: f.limitText,
        })),
        ...oos.map((o) => ({ kind: 'oos' as const, ref: o, label: o, note: null })),
      ],
    );
  }

  /**
   * A retention sample that still holds the quantity the product's retention profile requires
   * (issue 20 §5: enough for the re-tests the plan requires), after its withdrawals.
   */
  private retentionLine(lotCode: string): Line {
    const retention = this.samples.hasRetention(lotCode);
    const kept = retentionState(this.db, lotCode);
    const short = kept.filter((k) => k.sufficient === false);
    const ok = retention && (kept.length === 0 || short.length < kept.length);
    return this.line(
      'retention',
      ok,
      {
        required: kept[0]?.required ?? '',
        remaining: kept.map((k) => `${k.remaining} ${k.unit}`).join(', '),
        short: short.map((k) => k.code).join(', '),
      },
      retention
        ? kept.map((k) => ({
            kind: 'sample' as const,
            ref: k.code,
            label: k.code,
            note: `${k.remaining} ${k.unit}${k.required ? ` / ${k.required}` : ''}`,
          }))
        : [{ kind: 'lot', ref: lotCode, label: lotCode, note: 'no retention sample' }],
    );
  }

  /**
   * The lot's results against the product's declared label values (标示值) by the rule the
   * plant applies (issue 20 §5); the margins to the GB limits and the label values are in
   * labels.compare. Fails when a declared item is outside its rule or has no reviewed result.
   */
  private labelValuesLine(lotCode: string): Line {
    const c = labelComparison(this.db, lotCode);
    const declared = c.rows.filter((r) => r.label);
    const bad = declared.filter((r) => !r.label!.ok);
    return this.line(
      'label_values',
      bad.length === 0,
      {
        declared: String(c.summary.declared),
        outside: String(c.summary.outside),
        notCompared: String(c.summary.notCompared),
        unverified: String(c.summary.unverified),
      },
      bad.map((r) => ({
        kind: r.resultId ? ('result' as const) : ('lot' as const),
        ref: r.resultId ?? lotCode,
        label: `${r.itemCode} ${r.label!.compared ?? r.reported ?? ''}`.trim(),
        note:
          r.label!.comparable === 'ok'
            ? `${r.label!.nearest?.side === 'max' ? '>' : '<'} ${r.label!.nearest?.bound ?? ''}`
            : r.label!.comparable,
      })),
    );
  }

  /** Every capture behind the lot's current results was made unlocked and has not been flagged by a failed check since. */
  private instrumentsLine(lotCode: string): Line {
    const flagged = this.db
      .prepare(
        `SELECT c.id, c.flag_reason, i.code AS instrument, r.item_code FROM instrument_capture c JOIN test_result r ON r.id = c.result_id JOIN instrument i ON i.id = c.instrument_id
         WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND c.status = 'used' AND c.flagged = 1`,
      )
      .all(lotCode) as Array<{ id: string; flag_reason: string | null; instrument: string; item_code: string }>;
    const used = this.db
      .prepare(
        `SELECT DISTINCT i.id, i.code FROM instrument_capture c JOIN test_result r ON r.id = c.result_id JOIN instrument i ON i.id = c.instrument_id
         WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND c.status = 'used'`,
      )
      .all(lotCode) as Array<{ id: string; code: string }>;
    return this.line(
      'instruments',
      flagged.length === 0,
      { instruments: used.map((u) => u.code).join(', '), flagged: String(flagged.length) },
      [
        ...flagged.map((f) => ({
          kind: 'capture' as const,
          ref: f.id,
          label: `${f.instrument} → ${f.item_code}`,
          note: f.flag_reason,
        })),
        ...used.map((u) => ({ kind: 'instrument' as const, ref: u.id, label: u.code, note: null })),
      ],
    );
  }

  private inputsLine(lotCode: string): Line {
    const inputs = this.db
      .prepare(
        'SELECT DISTINCT c.input_lot AS code, l.status, l.kind FROM consumption c LEFT JOIN lot l ON l.code = c.input_lot WHERE c.output_lot = ? AND c.retired = 0 ORDER BY c.input_lot',
      )
      .all(lotCode) as Array<{ code: string; status: string | null; kind: string | null }>;
    const bad = inputs.filter((i) => !USABLE.has(i.status ?? ''));
    return this.line(
      'inputs',
      bad.length === 0,
      { inputs: String(inputs.length), notReleased: bad.map((b) => b.code).join(', ') },
      inputs.map((i) => ({ kind: 'lot' as const, ref: i.code, label: `${i.code} (${i.kind ?? '?'})`, note: i.status })),
    );
  }

  /** Only the sequence numbers of the lot's audit entries (served from the entity index). */
  private scopeSeqs(lot: Row): number[] {
    const byEntity = new Map<string, string[]>();
    for (const s of this.scope(lot)) byEntity.set(s.entity, [...(byEntity.get(s.entity) ?? []), s.id]);
    const seqs: number[] = [];
    for (const [entity, ids] of byEntity) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        for (const r of this.db.prepare(`SELECT seq FROM audit_entry WHERE entity = ? AND entity_id IN (${chunk.map(() => '?').join(',')})`).all(entity, ...chunk) as Array<{ seq: number }>) seqs.push(r.seq);
      }
    }
    return seqs.sort((a, b) => a - b);
  }

  private auditLine(lot: Row): Line {
    const entries = this.scopeSeqs(lot).map((seq) => ({ seq }));
    const last = entries.length ? entries[entries.length - 1]!.seq : 0;
    const review = this.lastAuditReview(lot['code'] as string);
    const through = (review?.['through_seq'] as number | undefined) ?? -1;
    const unreviewed = entries.filter((e) => e.seq > through).length;
    return this.line(
      'audit_review',
      !!review && through >= last,
      { unreviewed: String(unreviewed), throughSeq: String(Math.max(through, 0)), last: String(last) },
      [
        {
          kind: 'audit',
          ref: lot['code'] as string,
          label: `${unreviewed}`,
          note: review ? `reviewed through #${through}` : 'never reviewed',
        },
      ],
    );
  }

  private allowed(lot: Row, ready: boolean): Array<Decision> {
    const status = lot['status'] as string;
    const kind = lot['kind'] as string;
    const out: Decision[] = [];
    if (kind === 'raw_milk') {
      if (USABLE.has(status)) out.push('hold');
      if (status === 'on_hold') out.push('release_from_hold', 'reject');
      return out;
    }
    const received = RECEIVED.has(kind);
    if (status === 'quarantine') {
      if (ready) out.push('accept');
      out.push('reject');
    }
    if (USABLE.has(status)) out.push('hold', 'reject');
    if (status === 'on_hold') {
      const wasHeld = !!this.db
        .prepare("SELECT 1 FROM signature WHERE entity = 'lot' AND entity_id = ? AND meaning = 'held' LIMIT 1")
        .get(lot.id);
      if (ready) out.push(wasHeld || received ? 'release_from_hold' : 'release');
      out.push('reject');
    }
    return out;
  }

  // ------------------------------------------------------------------ decisions

  forward(lotCode: string): Forward {
    this.lot(lotCode);
    const t = traceLot(this.db, lotCode)!;
    const shippedLots = new Set(t.shipments.map((s) => s.lot));
    const customers = new Map(t.customers.map((c) => [c.customer, c]));
    const unshipped = t.forward
      .filter((f) => !shippedLots.has(f.lot))
      .map((f) => ({
        lot: f.lot,
        itemCode: f.item_code,
        status: f.status,
        depth: f.depth,
        holdable: USABLE.has(f.status ?? ''),
      }));
    const shipped = [...shippedLots].map((lot) => ({
      lot,
      customers: t.shipments
        .filter((s) => s.lot === lot)
        .map((s) => {
          const c = customers.get(s.customer);
          return {
            code: s.customer,
            name: c?.name ?? null,
            contact: c?.contact ?? null,
            phone: c?.phone ?? null,
            quantity: s.quantity,
            unit: s.unit,
          };
        }),
    }));
    return { unshipped, shipped };
  }

  /** The signed decision; for `hold` with `propagate`, every unshipped forward lot that can be held is held in the same action. */
  async decide(
    signerId: string,
    lotCode: string,
    decision: Decision,
    reason: string,
    propagate: boolean,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ) {
    const lot = this.lot(lotCode);
    const r = this.readiness(lotCode);
    if (!r.allowedDecisions.includes(decision)) {
      if ((decision === 'release' || decision === 'release_from_hold' || decision === 'accept') && !r.ready) {
        fail(
          'conflict',
          {
            lot: lotCode,
            failing: r.lines
              .filter((l) => !l.ok)
              .map((l) => l.key)
              .join(', '),
          },
          'errors.lot_not_ready',
        );
      }
      fail('conflict', { lot: lotCode, status: lot['status'], decision }, 'errors.lot_decision_not_allowed');
    }
    const received = RECEIVED.has(lot['kind'] as string);
    const expected: SignatureMeaning =
      decision === 'hold'
        ? 'held'
        : decision === 'reject'
          ? 'rejected'
          : decision === 'accept' || (decision === 'release_from_hold' && received)
            ? 'accepted'
            : 'released';
    if (meaning !== expected)
      fail('invalid_input', { field: 'signature.meaning', expected }, 'errors.signature_meaning_mismatch');
    const signer = await this.identity.authenticateSigner(signerId, password);
    const perms = permissionsOf(JSON.parse(signer.roles) as Role[]);
    if (decision !== 'hold' && !perms.has('lots.decide'))
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.decision_needs_qa');
    if (decision === 'hold' && !perms.has('lots.decide') && !this.settings.get().reviewersMayHold)
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.hold_needs_qa');
    const to = {
      release: 'released',
      accept: 'accepted',
      hold: 'on_hold',
      reject: 'rejected',
      release_from_hold: received ? 'accepted' : 'released',
    }[decision];
    const forward = decision === 'hold' ? this.forward(lotCode) : null;
    const held: string[] = [];
    this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(L.lot, lot.id)!;
      if (cur['status'] !== lot['status']) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      w.update(L.lot, lot.id, { status: to }, { reason });
      this.identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: expected, comment: comment ?? reason });
      if (decision === 'hold') held.push(lotCode);
      if (decision === 'hold' && propagate && forward) {
        for (const f of forward.unshipped.filter((x) => x.holdable)) {
          const fl = this.db.prepare('SELECT * FROM lot WHERE code = ?').get(f.lot) as Row;
          const fr = w.get(L.lot, fl.id)!;
          if (!USABLE.has(fr['status'] as string)) continue;
          w.update(L.lot, fl.id, { status: 'on_hold' }, { reason: `hold propagated from ${lotCode}: ${reason}` });
          this.identity.sign(
            w,
            signer,
            { def: L.lot, id: fl.id },
            { meaning: 'held', comment: `hold propagated from ${lotCode}: ${reason}` },
          );
          held.push(f.lot);
        }
      }
    });
    return {
      readiness: this.readiness(lotCode),
      held,
      forward,
      signatures: this.identity.signaturesFor('lot', lot.id),
    };
  }

  /** The guard lots.decide uses: an IMF finished lot is released only through a complete readiness. */
  releaseBlock(lotCode: string): string[] | null {
    const lot = this.db.prepare('SELECT * FROM lot WHERE code = ?').get(lotCode) as Row | undefined;
    if (!lot || !this.isImf(lot)) return null;
    const r = this.readiness(lotCode);
    return r.ready ? null : r.lines.filter((l) => !l.ok).map((l) => l.key);
  }
}
