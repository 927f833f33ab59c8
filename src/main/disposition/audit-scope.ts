import type { z } from 'zod';
import type { auditScopeEntrySchema } from '../../shared/contract/channels/disposition';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { actorOf, type IdentityService } from '../identity';
import { displayContent } from '../ledger/audit-queries';
import type { Row } from '../ledger/entities';
import type { Ledger } from '../ledger/ledger';
import type { LotControls, LotRow } from '../lots';
import { noKeys } from '../../shared/rules/audit-exceptions';
import { correctionReads } from '../ledger/corrections';
import { auditFacts, correctedSeqs, lotAuditSummary, type LotAuditSummary } from './audit-summary';
import { DP } from './entities';
import { accountFactsOf, type AccountFacts, type DispositionQueries, type EntryRow } from './queries/statements';

type ScopeEntry = z.infer<typeof auditScopeEntrySchema>;

/** A record in a lot's audit scope; shared records carry the last entry that counts. */
export interface ScopeRef {
  entity: string;
  id: string;
  /** Entries after this sequence number do not bear on the lot's standing decision. */
  maxSeq?: number;
  /** Only the entries that change an account: creation, roles, status, printed name, a password reset. */
  account?: boolean;
}

/** The entries of user records that change the account (not sign-ins, failed attempts or one's own password). */
function accountChanges(rows: EntryRow[]): EntryRow[] {
  const last = new Map<string, AccountFacts>();
  const out: EntryRow[] = [];
  for (const r of [...rows].sort((a, b) => a.seq - b.seq)) {
    const c = accountFactsOf(r.content);
    const p = last.get(r.entity_id);
    last.set(r.entity_id, c);
    const changed =
      !p ||
      r.action !== 'update' ||
      p.roles !== c.roles ||
      p.status !== c.status ||
      p.printed_name !== c.printed_name ||
      (p.must_change_password !== 1 && c.must_change_password === 1);
    if (changed) out.push(r);
  }
  return out;
}

/**
 * The lot's audit trail and its signed review (issue 11 §3, issue 19 §10): which records bear
 * on the lot, their entries, and the review that covers them.
 */
export class LotAuditScope {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: DispositionQueries,
    private readonly identity: IdentityService,
    private readonly controls: LotControls,
    private readonly lot: (code: string) => LotRow,
  ) {
    this.corrections = correctionReads(ledger.db);
  }

  private readonly corrections: ReturnType<typeof correctionReads>;

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
  scope(lot: LotRow): ScopeRef[] {
    const code = lot.code;
    const out: ScopeRef[] = [{ entity: 'lot', id: lot.id }];
    for (const { entity, ids } of this.q.scopeRecords(code)) for (const id of ids) out.push({ entity, id });
    if (lot.batch_id) out.push({ entity: 'batch', id: lot.batch_id });
    if (lot.receipt_id) out.push({ entity: 'receipt', id: lot.receipt_id });
    for (const id of this.q.intakeIds(code)) out.push({ entity: 'raw_milk_intake', id });

    // Shared records that bear on the lot, up to the decision standing behind its status.
    const horizon = this.decisionHorizon(lot);
    const bound = horizon !== null ? { maxSeq: horizon } : {};
    for (const { entity, ids } of this.q.sharedRecords(code)) for (const id of ids) out.push({ entity, id, ...bound });
    // Instruments used (captures and typed values naming one), their calibrations and checks
    // from the last of each kind before the first use to the first after the last use.
    for (const u of this.q.instrumentUses(code)) {
      out.push({ entity: 'instrument', id: u.id, ...bound });
      for (const id of this.q.instrumentEventsAround(u.id, u.first, u.last))
        out.push({ entity: 'instrument_event', id, ...bound });
    }
    // Signatures on any of these records are part of the story too (by entity: the index is (entity, entity_id)).
    const byEntity = new Map<string, string[]>();
    for (const o of out) byEntity.set(o.entity, [...(byEntity.get(o.entity) ?? []), o.id]);
    const signers = new Map<string, number>();
    for (const [entity, ids] of byEntity) {
      for (let i = 0; i < ids.length; i += 500) {
        for (const r of this.q.signaturesOn(entity, ids.slice(i, i + 500))) {
          out.push({ entity: 'signature', id: r.id });
          if (r.seq !== null) signers.set(r.user_id, Math.max(signers.get(r.user_id) ?? 0, r.seq));
        }
      }
    }
    // Account and role changes of everyone who signed, up to their last signature here.
    for (const [user, lastSig] of signers) {
      const upTo = horizon !== null ? Math.min(horizon, lastSig) : lastSig;
      out.push({ entity: 'user', id: user, maxSeq: upTo, account: true });
    }
    return out;
  }

  /** The sequence number of the signed decision standing behind a positive status (null: no bound). */
  private decisionHorizon(lot: Row): number | null {
    const st = this.controls.standing(lot);
    if (st.standing !== 'signed' || !st.decision) return null;
    return this.q.lastSignatureSeq(st.decision.id);
  }

  /**
   * The audit entries of the lot's own status decisions (the lot's status change and its
   * signature): a decision never re-opens the readiness of the lot it decided (issue 19 §4).
   */
  private decisionSeqs(lot: Row): Set<number> {
    const out = new Set<number>();
    for (const seq of this.q.decisionSignatureSeqs(lot.id)) {
      out.add(seq);
      const prev = this.q.entryAt(seq - 1);
      if (prev && prev.entity === 'lot' && prev.entity_id === lot.id) out.add(seq - 1);
    }
    return out;
  }

  /** Audit entries of the lot's records, oldest first (shared records bounded, account entries filtered). */
  scopeEntries(lot: LotRow): EntryRow[] {
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
        const found = this.q.entriesOf(g.entity, ids.slice(i, i + 500), g.maxSeq);
        rows.push(...(g.account ? accountChanges(found) : found));
      }
    }
    const seen = new Set<number>();
    return rows.filter((r) => (seen.has(r.seq) ? false : (seen.add(r.seq), true))).sort((a, b) => a.seq - b.seq);
  }

  /** The sequence numbers a review must cover: the lot's scope without its own decisions' entries, oldest first. */
  toReview(lot: LotRow): number[] {
    const decisions = this.decisionSeqs(lot);
    return this.scopeEntries(lot)
      .map((e) => e.seq)
      .filter((q) => !decisions.has(q));
  }

  auditEntries(lotCode: string, onlyUnreviewed: boolean) {
    const lot = this.lot(lotCode);
    const review = this.q.lastAuditReview(lotCode);
    const through = review?.through_seq ?? 0;
    const rows = this.scopeEntries(lot);
    const decisions = this.decisionSeqs(lot);
    // Business keys (lot, sample, item) instead of record ids, for the reviewer (issue 22 §5).
    const keys = new Map(auditFacts(rows, correctedSeqs(rows, this.corrections)).map((f) => [f.seq, f.keys]));
    const prev = new Map<string, Record<string, unknown>>();
    const entries: ScopeEntry[] = [];
    const text = (v: unknown): string | null =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    for (const r of rows) {
      const key = `${r.entity}|${r.entity_id}`;
      const cur = displayContent(r.entity, JSON.parse(r.content) as Record<string, unknown>);
      // Account entries are a filtered selection: compare with the record's entry just before.
      let before = prev.get(key) ?? null;
      if (r.entity === 'user') {
        const p = this.q.previousContent(r.entity, r.entity_id, r.seq);
        before = p !== null ? displayContent(r.entity, JSON.parse(p) as Record<string, unknown>) : null;
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
        keys: keys.get(r.seq) ?? noKeys,
      });
    }
    return {
      entries,
      lastReview: review
        ? {
            throughSeq: review.through_seq,
            reviewedBy: review.reviewed_by,
            reviewedAt: new Date(review.reviewed_at).toISOString(),
            comment: review.comment,
            summaryHash: review.summary_hash ?? null,
          }
        : null,
      headSeq: this.ledger.head().seq,
    };
  }

  /** The summary of exceptions among the entries not yet reviewed (audit-summary.ts, issue 22 §5). */
  summary(lotCode: string): LotAuditSummary {
    const lot = this.lot(lotCode);
    const through = this.q.lastAuditReview(lotCode)?.through_seq ?? 0;
    const open = new Set(this.toReview(lot).filter((s) => s > through));
    const rows = this.scopeEntries(lot);
    return lotAuditSummary(lotCode, rows, open, correctedSeqs(rows, this.corrections));
  }

  async auditReview(
    signerId: string,
    lotCode: string,
    throughSeq: number,
    comment: string,
    password: string,
    meaning: SignatureMeaning,
    summaryHash?: string,
  ): Promise<{ ok: true }> {
    if (meaning !== 'audit_reviewed')
      fail(
        'invalid_input',
        { field: 'signature.meaning', expected: 'audit_reviewed' },
        'errors.signature_meaning_mismatch',
      );
    const check = (lot: LotRow): number => {
      const seqs = this.toReview(lot);
      const last = seqs.length ? seqs[seqs.length - 1]! : 0;
      // The reviewer signs for what was on the screen: entries added since are not covered.
      if (throughSeq < last) fail('conflict', { lot: lotCode, throughSeq, last }, 'errors.audit_review_stale');
      if (throughSeq > this.ledger.head().seq) fail('invalid_input', { field: 'throughSeq' }, 'errors.seq_beyond_head');
      return seqs.length;
    };
    // The reviewer signs for the summary on the screen: a changed summary is refused.
    const summaryRead = (): LotAuditSummary => {
      const s = this.summary(lotCode);
      if (summaryHash !== undefined && s.hash !== summaryHash)
        fail('conflict', { lot: lotCode }, 'errors.audit_summary_stale');
      return s;
    };
    check(this.lot(lotCode));
    summaryRead();
    const signer = await this.identity.authenticateSigner(signerId, password);
    this.ledger.write(actorOf(signer), (w) => {
      // Again under the write lock: an entry committed during the password check is not covered.
      const entries = check(this.lot(lotCode));
      const summary = summaryRead();
      const r = w.create(DP.auditReview, {
        lot_code: lotCode,
        through_seq: throughSeq,
        entries,
        comment,
        reviewed_by: signer.id,
        reviewed_at: w.at,
        // What the signature attests: the summary read, by its hash and counts (migration 0018).
        summary_hash: summary.hash,
        summary_counts: JSON.stringify({ entries: summary.entries, ...summary.counts }),
      });
      this.identity.sign(w, signer, { def: DP.auditReview, id: r.id }, { meaning: 'audit_reviewed', comment });
    });
    return { ok: true };
  }
}
