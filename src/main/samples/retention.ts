import type { SampleView } from '../../shared/contract/channels/samples';
import { fail } from '../../shared/contract/errors';
import { actorOf } from '../identity';
import { addDays, type SampleBook } from './book';
import { S } from './entities';
import type { SampleRow } from './queries';

/**
 * Retention samples (留样, GB 23790-2010 §10.3 / 婴幼儿配方乳粉生产许可审查细则: every finished lot
 * is retained beyond its shelf life): which are due for disposal, their signed disposal,
 * and the finished lots that lack one.
 */
export class Retention {
  constructor(private readonly book: SampleBook) {}

  /** Retention samples to dispose of soon: keep-until within `withinDays` (or passed), not disposed or cancelled. */
  retentionDue(withinDays: number, offset: number, limit: number): { total: number; samples: SampleView[] } {
    const b = this.book;
    const until = addDays(b.localDate(b.ledger.now()), withinDays);
    const { total, rows } = b.q.retentionDue(until, offset, limit);
    return { total, samples: rows.map((r) => b.toView(r)) };
  }

  /** Why a retention sample cannot be disposed of today, or null when it can. */
  canDispose(r: SampleRow, today: string): string | null {
    if (r.kind !== 'retention') return 'errors.sample_not_retention';
    if (r.disposed_at !== null || !['received', 'complete'].includes(r.status)) return 'errors.sample_transition_not_allowed';
    if ((r.keep_until ?? '') > today) return 'errors.retention_not_due';
    return null;
  }

  /** Disposal of a retention sample: a QA manager's signature `disposed` (password re-entered), with the reason. */
  async dispose(signerId: string, code: string, reason: string, signature: { password: string; meaning: string }): Promise<SampleView> {
    const b = this.book;
    const r = b.mustSample(code);
    const why = this.canDispose(r, b.localDate(b.ledger.now()));
    if (why === 'errors.sample_not_retention') fail('invalid_input', { code }, why);
    if (why === 'errors.retention_not_due') fail('conflict', { code, keepUntil: r.keep_until }, why);
    if (why) b.transitionRefused(r, 'dispose');
    if (signature.meaning !== 'disposed') fail('invalid_input', { field: 'signature.meaning', expected: 'disposed' }, 'errors.signature_meaning_mismatch');
    const signer = await b.identity.authenticateSigner(signerId, signature.password);
    return b.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(S.sample, r.id)!;
      if (cur.rev !== r.rev) fail('conflict', { code }, 'errors.stale_record');
      w.update(S.sample, r.id, { disposed_at: w.at }, { reason });
      b.event(w, r.id, 'disposed', null, reason);
      b.identity.sign(w, signer, { def: S.sample, id: r.id }, { meaning: 'disposed', comment: reason });
      return b.view(w.get(S.sample, r.id)!);
    });
  }

  /**
   * Finished lots without a retention sample. Rejected lots are left out (never sold), and
   * so are lots whose retention period is over (expiry + margin before today: ERP history).
   */
  retentionMissingList(f: { lotCode?: string | undefined; offset: number; limit: number }) {
    const b = this.book;
    const cutoff = addDays(b.localDate(b.ledger.now()), -b.retentionMarginDays);
    const { total, rows } = b.q.lotsWithoutRetention({ cutoff, lotCode: f.lotCode, offset: f.offset, limit: f.limit });
    return {
      total,
      lots: rows.map((l) => ({
        code: l.code,
        itemCode: l.item_code,
        itemName: l.item_name,
        date: l.lot_date,
        status: l.status,
        expiryDate: l.expiry_date ?? null,
      })),
    };
  }

  /** Is this finished lot missing its retention sample (the flag on its page)? */
  retentionMissing(lotCode: string): boolean {
    return this.retentionMissingList({ lotCode, offset: 0, limit: 1 }).total > 0;
  }
}
