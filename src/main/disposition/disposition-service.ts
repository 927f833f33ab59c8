import type { z } from 'zod';
import type {
  ReadinessKey,
  Readiness,
  auditScopeEntrySchema,
  evidenceSchema,
  forwardSchema,
  readinessLineSchema,
} from '../../shared/contract/channels/disposition';
import { AppErrorException, appError, fail, type AppError } from '../../shared/contract/errors';
import { QuantityDecimal } from '../../shared/domain/units';
import { permissionsOf, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import { actorOf, type IdentityService } from '../identity/identity';
import type { SettingsService } from '../identity/settings';
import { imfStages } from '../catalog/spec-rules';
import { displayContent } from '../ledger/audit-queries';
import type { Row } from '../ledger/entities';
import type { Ledger } from '../ledger/ledger';
import { L } from '../lots/entities';
import type { ResultsService } from '../testing/results-service';
import type { SamplesService } from '../samples/samples-service';
import type { EnvService } from '../environment';
import type { LotControls } from '../lots/lot-controls';
import { traceLot } from '../trace/trace';
import { labelComparison, retentionState } from '../release-evidence/release-evidence-service';
import { DP } from './entities';

type Line = z.infer<typeof readinessLineSchema>;
type Evidence = z.infer<typeof evidenceSchema>;
type Forward = z.infer<typeof forwardSchema>;
type ScopeEntry = z.infer<typeof auditScopeEntrySchema>;
type Decision = 'release' | 'accept' | 'hold' | 'reject' | 'release_from_hold';

/** A record in a lot's audit scope; shared records carry the last entry that counts. */
export interface ScopeRef {
  entity: string;
  id: string;
  /** Entries after this sequence number do not bear on the lot's standing decision. */
  maxSeq?: number;
  /** Only the entries that change an account: creation, roles, status, printed name, a password reset. */
  account?: boolean;
}

interface EntryRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
}

/** The entries of user records that change the account (not sign-ins, failed attempts or one's own password). */
function accountChanges(rows: EntryRow[]): EntryRow[] {
  const last = new Map<string, Record<string, unknown>>();
  const out: EntryRow[] = [];
  for (const r of [...rows].sort((a, b) => a.seq - b.seq)) {
    const c = JSON.parse(r.content) as Record<string, unknown>;
    const p = last.get(r.entity_id);
    last.set(r.entity_id, c);
    const changed =
      !p ||
      r.action !== 'update' ||
      JSON.stringify(p['roles']) !== JSON.stringify(c['roles']) ||
      p['status'] !== c['status'] ||
      p['printed_name'] !== c['printed_name'] ||
      (p['must_change_password'] !== 1 && c['must_change_password'] === 1);
    if (changed) out.push(r);
  }
  return out;
}

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
    private readonly controls: LotControls,
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

  /**
   * Every record that bears on a lot's story (issue 11 §3, issue 19 §10): the lot, its samples
   * and results, investigations, captures, batch, consumption, shipments, stock, receipt,
   * intake — and the shared records behind them: the specification version its results were
   * judged by (and its items), the method rules of its methods, the instruments used with
   * their calibrations and checks around the time of use, and the account and role changes of
   * everyone who signed. Shared records count up to the decision that stands behind the lot's
   * status (what came later did not bear on that decision); account changes of a signer up to
   * their last signature on the lot's records.
   */
  scope(lot: Row): ScopeRef[] {
    const code = lot['code'] as string;
    const out: ScopeRef[] = [{ entity: 'lot', id: lot.id }];
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
    add('instrument_flag', 'SELECT id FROM instrument_flag WHERE lot_code = ?', code);
    add('oos_investigation', 'SELECT id FROM oos_investigation WHERE lot_code = ?', code);
    // Failing verdicts changed before submission, micro presumptives and automatic holds (testing, issues 19 §4, 20 §3).
    add('verdict_change', 'SELECT id FROM verdict_change WHERE lot_code = ?', code);
    add('micro_hold', 'SELECT id FROM micro_hold WHERE lot_code = ?', code);
    add('micro_confirmation', 'SELECT c.id FROM micro_confirmation c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?', code);
    add('consumption', 'SELECT id FROM consumption WHERE output_lot = ? OR input_lot = ?', code, code);
    add('shipment', 'SELECT id FROM shipment WHERE lot_code = ?', code);
    add('stock_movement', 'SELECT id FROM stock_movement WHERE lot_code = ?', code);
    if (lot['batch_id']) out.push({ entity: 'batch', id: lot['batch_id'] as string });
    if (lot['receipt_id']) out.push({ entity: 'receipt', id: lot['receipt_id'] as string });
    add('raw_milk_intake', 'SELECT id FROM raw_milk_intake WHERE lot_code = ?', code);

    // Shared records that bear on the lot, up to the decision standing behind its status.
    const horizon = this.decisionHorizon(lot);
    const shared = (entity: string, sql: string, ...params: unknown[]) => {
      for (const r of this.db.prepare(sql).all(...params) as Array<{ id: string }>)
        out.push({ entity, id: r.id, ...(horizon !== null ? { maxSeq: horizon } : {}) });
    };
    const versions = `SELECT spec_version_id FROM sample WHERE lot_code = ? AND spec_version_id IS NOT NULL
                      UNION SELECT spec_version_id FROM test_result WHERE lot_code = ? AND spec_version_id IS NOT NULL`;
    shared('spec_version', `SELECT id FROM spec_version WHERE id IN (${versions})`, code, code);
    shared('spec_item', `SELECT id FROM spec_item WHERE version_id IN (${versions})`, code, code);
    shared(
      'method_rule',
      "SELECT id FROM method_rule WHERE method_code IN (SELECT method_code FROM test_result WHERE lot_code = ? AND method_code IS NOT NULL AND method_code <> '')",
      code,
    );
    // Instruments used (captures and typed values naming one), their calibrations and checks
    // from the last of each kind before the first use to the first after the last use.
    const uses = this.db
      .prepare(
        `SELECT instrument_id AS id, min(at) AS first, max(at) AS last FROM (
           SELECT c.instrument_id, c.at FROM instrument_capture c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?
           UNION ALL SELECT r.instrument_id, r.entered_at FROM test_result r WHERE r.lot_code = ? AND r.instrument_id IS NOT NULL AND r.entered_at IS NOT NULL
         ) GROUP BY instrument_id`,
      )
      .all(code, code) as Array<{ id: string; first: number; last: number }>;
    for (const u of uses) {
      out.push({ entity: 'instrument', id: u.id, ...(horizon !== null ? { maxSeq: horizon } : {}) });
      shared(
        'instrument_event',
        `SELECT e.id FROM instrument_event e WHERE e.instrument_id = ? AND e.retired = 0
           AND e.performed_at >= coalesce((SELECT max(x.performed_at) FROM instrument_event x WHERE x.instrument_id = e.instrument_id AND x.kind = e.kind AND x.performed_at <= ?), ?)
           AND e.performed_at <= coalesce((SELECT min(x.performed_at) FROM instrument_event x WHERE x.instrument_id = e.instrument_id AND x.kind = e.kind AND x.performed_at >= ?), ?)`,
        u.id,
        u.first,
        u.first,
        u.last,
        u.last,
      );
    }
    // Signatures on any of these records are part of the story too (by entity: the index is (entity, entity_id)).
    const byEntity = new Map<string, string[]>();
    for (const o of out) byEntity.set(o.entity, [...(byEntity.get(o.entity) ?? []), o.id]);
    const signers = new Map<string, number>();
    for (const [entity, ids] of byEntity) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        for (const r of this.db
          .prepare(
            `SELECT s.id, s.user_id, (SELECT max(a.seq) FROM audit_entry a WHERE a.entity = 'signature' AND a.entity_id = s.id) AS seq
             FROM signature s WHERE s.entity = ? AND s.entity_id IN (${chunk.map(() => '?').join(',')})`,
          )
          .all(entity, ...chunk) as Array<{ id: string; user_id: string; seq: number | null }>) {
          out.push({ entity: 'signature', id: r.id });
          if (r.seq !== null) signers.set(r.user_id, Math.max(signers.get(r.user_id) ?? 0, r.seq));
        }
      }
    }
    // Account and role changes of everyone who signed, up to their last signature here.
    for (const [user, lastSig] of signers) {
      const bound = horizon !== null ? Math.min(horizon, lastSig) : lastSig;
      out.push({ entity: 'user', id: user, maxSeq: bound, account: true });
    }
    return out;
  }

  /** The sequence number of the signed decision standing behind a positive status (null: no bound). */
  private decisionHorizon(lot: Row): number | null {
    const st = this.controls.standing(lot);
    if (st.standing !== 'signed' || !st.decision) return null;
    const r = this.db
      .prepare("SELECT max(seq) AS seq FROM audit_entry WHERE entity = 'signature' AND entity_id = ?")
      .get(st.decision.id) as { seq: number | null };
    return r.seq;
  }

  /**
   * The audit entries of the lot's own status decisions (the lot's status change and its
   * signature): a decision never re-opens the readiness of the lot it decided (issue 19 §4).
   */
  private decisionSeqs(lot: Row): Set<number> {
    const out = new Set<number>();
    const sigs = this.db
      .prepare(
        `SELECT a.seq FROM audit_entry a JOIN signature s ON s.id = a.entity_id
         WHERE a.entity = 'signature' AND s.entity = 'lot' AND s.entity_id = ? AND s.meaning IN ('accepted', 'released', 'held', 'rejected')`,
      )
      .all(lot.id) as Array<{ seq: number }>;
    const before = this.db.prepare('SELECT entity, entity_id FROM audit_entry WHERE seq = ?');
    for (const { seq } of sigs) {
      out.add(seq);
      const prev = before.get(seq - 1) as { entity: string; entity_id: string } | undefined;
      if (prev && prev.entity === 'lot' && prev.entity_id === lot.id) out.add(seq - 1);
    }
    return out;
  }

  /** Audit entries of the lot's records, oldest first (shared records bounded, account entries filtered). */
  scopeEntries(lot: Row): EntryRow[] {
    const scope = this.scope(lot);
    const rows: EntryRow[] = [];
    const groups = new Map<string, { entity: string; maxSeq: number | null; account: boolean; ids: string[] }>();
    for (const s of scope) {
      const k = `${s.entity}|${s.maxSeq ?? ''}|${s.account ? 1 : 0}`;
      const g = groups.get(k) ?? { entity: s.entity, maxSeq: s.maxSeq ?? null, account: !!s.account, ids: [] };
      g.ids.push(s.id);
      groups.set(k, g);
    }
    for (const g of groups.values()) {
      const ids = [...new Set(g.ids)];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const found = this.db
          .prepare(
            `SELECT seq, at, actor, actor_name, action, entity, entity_id, reason, content FROM audit_entry WHERE entity = ? AND entity_id IN (${chunk.map(() => '?').join(',')})${g.maxSeq !== null ? ' AND seq <= ?' : ''} ORDER BY seq`,
          )
          .all(g.entity, ...chunk, ...(g.maxSeq !== null ? [g.maxSeq] : [])) as EntryRow[];
        rows.push(...(g.account ? accountChanges(found) : found));
      }
    }
    const seen = new Set<number>();
    return rows.filter((r) => (seen.has(r.seq) ? false : (seen.add(r.seq), true))).sort((a, b) => a.seq - b.seq);
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
    const decisions = this.decisionSeqs(lot);
    const prev = new Map<string, Record<string, unknown>>();
    const entries: ScopeEntry[] = [];
    const text = (v: unknown): string | null =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    const previous = this.db.prepare(
      'SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1',
    );
    for (const r of rows) {
      const key = `${r.entity}|${r.entity_id}`;
      const cur = displayContent(r.entity, JSON.parse(r.content) as Record<string, unknown>);
      // Account entries are a filtered selection: compare with the record's entry just before.
      let before = prev.get(key) ?? null;
      if (r.entity === 'user') {
        const p = previous.get(r.entity, r.entity_id, r.seq) as { content: string } | undefined;
        before = p ? displayContent(r.entity, JSON.parse(p.content) as Record<string, unknown>) : null;
      }
      const changes: ScopeEntry['changes'] = [];
      for (const k of Object.keys(cur)) {
        if (k === 'rev' || k === 'id') continue;
        const a = text(before?.[k]);
        const b = text(cur[k]);
        if (a !== b && !(before === null && b === null)) changes.push({ field: k, from: a, to: b });
      }
      prev.set(key, cur);
      const unreviewed = r.seq > through && !decisions.has(r.seq);
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

  /** The last entry a review must cover: the lot's scope without its own decisions' entries. */
  private lastToReview(lot: Row): { last: number; count: number; seqs: number[] } {
    const decisions = this.decisionSeqs(lot);
    const seqs = this.scopeEntries(lot)
      .map((e) => e.seq)
      .filter((q) => !decisions.has(q));
    return { last: seqs.length ? seqs[seqs.length - 1]! : 0, count: seqs.length, seqs };
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
    const check = (lot: Row): number => {
      const { last, count } = this.lastToReview(lot);
      // The reviewer signs for what was on the screen: entries added since are not covered.
      if (throughSeq < last) fail('conflict', { lot: lotCode, throughSeq, last }, 'errors.audit_review_stale');
      if (throughSeq > this.ledger.head().seq) fail('invalid_input', { field: 'throughSeq' }, 'errors.seq_beyond_head');
      return count;
    };
    check(this.lot(lotCode));
    const signer = await this.identity.authenticateSigner(signerId, password);
    this.ledger.write(actorOf(signer), (w) => {
      // Again under the write lock: an entry committed during the password check is not covered.
      const entries = check(this.lot(lotCode));
      const r = w.create(DP.auditReview, {
        lot_code: lotCode,
        through_seq: throughSeq,
        entries,
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
      lines.push(this.recallLine(lotCode), this.signatureLine(lot));
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
      lines.push(this.recallLine(lotCode), this.signatureLine(lot));
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
      lines.push(this.microLine(lotCode));
      lines.push(this.instrumentsLine(lotCode));
      lines.push(this.productionLine(lot));
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
      lines.push(this.recallLine(lotCode));
      lines.push(this.signatureLine(lot));
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

  /** No open recall covers the lot (its root, or a lot made from it). */
  private recallLine(lotCode: string): Line {
    const recalls = this.controls.openRecallsFor(lotCode);
    return this.line(
      'recall',
      recalls.length === 0,
      { recalls: recalls.join(', ') },
      recalls.map((r) => ({ kind: 'recall' as const, ref: r, label: r, note: 'open' })),
    );
  }

  /** The decision standing behind the lot's status still matches the lot (issue 19 §9). */
  private signatureLine(lot: Row): Line {
    const st = this.controls.standing(lot);
    const ok = st.standing !== 'broken' && st.standing !== 'unsigned';
    return this.line(
      'signature',
      ok,
      {
        standing: st.standing,
        meaning: st.decision?.meaning ?? '',
        by: st.decision?.printedName ?? '',
        at: st.decision ? new Date(st.decision.signedAt).toISOString() : '',
      },
      st.decision ? [{ kind: 'lot', ref: lot['code'] as string, label: lot['code'] as string, note: st.standing }] : [],
    );
  }

  /** A produced lot: its production batch completed and a quantity above zero (issue 19 §4). */
  private productionLine(lot: Row): Line {
    const batch = lot['batch_id']
      ? (this.db.prepare('SELECT code, status FROM batch WHERE id = ?').get(lot['batch_id']) as
          | { code: string; status: string }
          | undefined)
      : undefined;
    const qty = lot['quantity'] as string;
    const positive = new QuantityDecimal(qty).greaterThan(0);
    // An imported lot's production record is the ERP's: its quantity says it was made.
    const batchDone = batch ? batch.status === 'closed' : lot['origin'] === 'import';
    return this.line(
      'production',
      batchDone && positive,
      {
        batch: batch?.code ?? '',
        batchStatus: batch ? batch.status : lot['origin'] === 'import' ? 'erp' : 'none',
        quantity: qty,
        unit: lot['unit'] as string,
      },
      batch ? [{ kind: 'lot', ref: lot['code'] as string, label: batch.code, note: batch.status }] : [],
    );
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
   * Micro results final (testing, issue 20 §3): no presumptive positive waiting for its
   * confirmation, every automatic hold reviewed by QA, and — while results are pending — the
   * time they are expected to be final.
   */
  private microLine(lotCode: string): Line {
    const m = this.results.microStatus(lotCode);
    return this.line(
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
        })),
        // The note names the automatic hold in the reader's language; the rule's key is not for people.
        ...m.openHolds.map((h) => ({ kind: 'result' as const, ref: h.resultId, label: `${h.itemCode} (${h.sampleCode})`, note: 'micro_hold' })),
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
    // Typed values on an instrument flagged by a failed check or calibration (issue 19 §5),
    // standing while the result keeps the values it had when flagged.
    for (const f of this.db
      .prepare(
        `SELECT f.id, i.code AS instrument, f.item_code FROM instrument_flag f JOIN test_result r ON r.id = f.result_id JOIN instrument i ON i.id = f.instrument_id
         WHERE f.lot_code = ? AND f.how = 'typed' AND r.retired = 0 AND r.status <> 'invalidated' AND r.replicates IS f.replicates`,
      )
      .all(lotCode) as Array<{ id: string; instrument: string; item_code: string }>)
      flagged.push({ ...f, flag_reason: 'typed value measured since the last good check' });
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
    // No recorded input is no genealogy: the line fails (issue 19 §4), its text says so.
    return this.line(
      'inputs',
      inputs.length > 0 && bad.length === 0,
      { inputs: String(inputs.length), notReleased: bad.map((b) => b.code).join(', ') },
      inputs.map((i) => ({ kind: 'lot' as const, ref: i.code, label: `${i.code} (${i.kind ?? '?'})`, note: i.status })),
    );
  }

  private auditLine(lot: Row): Line {
    const { last, seqs } = this.lastToReview(lot);
    const review = this.lastAuditReview(lot['code'] as string);
    const through = (review?.['through_seq'] as number | undefined) ?? -1;
    const unreviewed = seqs.filter((q) => q > through).length;
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

  /**
   * What a hold of the lot reaches (issue 19 §2): every forward lot (made from it, at any
   * depth) with stock left, shipped before or not — `holdable` unless rejected or held
   * already — and the lots (the lot itself included) already at customers, with the
   * quantities per customer.
   */
  forward(lotCode: string): Forward {
    this.lot(lotCode);
    const t = traceLot(this.db, lotCode)!;
    const customers = new Map(t.customers.map((c) => [c.customer, c]));
    const withStock = t.forward
      .map((f) => ({ f, row: this.db.prepare('SELECT * FROM lot WHERE code = ?').get(f.lot) as Row | undefined }))
      .filter((x) => x.row && new QuantityDecimal(this.controls.remaining(x.row)).greaterThan(0))
      .map(({ f, row }) => ({
        lot: f.lot,
        itemCode: f.item_code,
        status: f.status,
        depth: f.depth,
        holdable: this.controls.holdable(row!),
        remaining: this.controls.remaining(row!),
        unit: row!['unit'] as string,
      }));
    const shippedLots = [...new Set(t.shipments.map((s) => s.lot))];
    const shipped = shippedLots.map((lot) => ({
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
    return { unshipped: withStock, shipped };
  }

  /**
   * The guard of every positive lot decision (accept, release, release from hold), whatever
   * path makes it (lots.decide, the disposition screen): no open or confirmed OOS, no open
   * environmental alert naming the lot, no open recall covering it, and for an IMF finished
   * lot (release) a complete readiness. Called inside the decision's write transaction.
   */
  decisionBlock(lotCode: string, decision: Decision): AppError | null {
    if (decision !== 'accept' && decision !== 'release' && decision !== 'release_from_hold') return null;
    const oos = this.results.blockingOos(lotCode);
    if (oos.length) return appError('conflict', { lot: lotCode, oos: oos.join(', ') }, 'errors.lot_open_oos');
    const alerts = this.env.openAlertsFor(lotCode);
    if (alerts.length) return appError('conflict', { lot: lotCode, alerts: alerts.join(', ') }, 'errors.lot_env_alert');
    const recalls = this.controls.openRecallsFor(lotCode);
    if (recalls.length)
      return appError('conflict', { lot: lotCode, recalls: recalls.join(', ') }, 'errors.lot_under_recall');
    const lot = this.db.prepare('SELECT * FROM lot WHERE code = ?').get(lotCode) as Row | undefined;
    // A produced lot is released only once made: its batch completed and a quantity above zero (issue 19 §4).
    if (lot && decision !== 'accept' && (lot['kind'] === 'finished' || lot['kind'] === 'intermediate')) {
      const p = this.productionLine(lot);
      if (!p.ok) return appError('conflict', { lot: lotCode, ...p.details }, 'errors.lot_not_produced');
    }
    if (lot && decision !== 'accept' && this.isImf(lot)) {
      const r = this.readiness(lotCode);
      if (!r.ready) {
        const failing = r.lines.filter((l) => !l.ok).map((l) => l.key);
        return appError('conflict', { lot: lotCode, failing: failing.join(', ') }, 'errors.lot_not_ready');
      }
    }
    return null;
  }

  /** Why this decision may not be made now (null: it may), from the readiness computed on the records as they are. */
  private decisionProblem(lotCode: string, decision: Decision): AppError | null {
    const lot = this.lot(lotCode);
    const r = this.readiness(lotCode);
    if (r.allowedDecisions.includes(decision)) return null;
    if ((decision === 'release' || decision === 'release_from_hold' || decision === 'accept') && !r.ready) {
      return appError(
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
    return appError('conflict', { lot: lotCode, status: lot['status'], decision }, 'errors.lot_decision_not_allowed');
  }

  /**
   * The signed decision. A hold with `propagate` also holds, in the same signed action, every
   * forward lot with stock left (shipped before or not) that is not rejected or held already.
   * Every guard is evaluated before the password check and again inside the write (§7).
   */
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
    const early = this.decisionProblem(lotCode, decision);
    if (early) throw new AppErrorException(early);
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
    const held: string[] = [];
    let forward: Forward | null = null;
    this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(L.lot, lot.id)!;
      if (cur['status'] !== lot['status']) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      // Again under the write lock: a result submitted, an alert raised or a recall opened
      // during the password check refuses the decision.
      const now = this.decisionProblem(lotCode, decision);
      if (now) throw new AppErrorException(now);
      if (decision === 'hold') forward = this.forward(lotCode);
      w.update(L.lot, lot.id, { status: to }, { reason });
      this.identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: expected, comment: comment ?? reason });
      if (decision === 'hold') held.push(lotCode);
      if (decision === 'hold' && propagate && forward) {
        const why = `hold propagated from ${lotCode}: ${reason}`;
        for (const f of forward.unshipped.filter((x) => x.holdable)) {
          const fl = this.db.prepare('SELECT id FROM lot WHERE code = ?').get(f.lot) as { id: string };
          const sign = () =>
            this.identity.sign(w, signer, { def: L.lot, id: fl.id }, { meaning: 'held', comment: why });
          if (this.controls.holdInside(w, fl.id, why, sign)) held.push(f.lot);
        }
      }
    });
    return {
      readiness: this.readiness(lotCode),
      held,
      forward: forward as Forward | null,
      signatures: this.identity.signaturesFor('lot', lot.id),
    };
  }
}
