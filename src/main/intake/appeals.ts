import type { z } from 'zod';
import type { appealViewSchema } from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from '../lots';
import { I } from './entities';
import { appealRecord, type AppealRecord, type IntakeQueries } from './queries';

type AppealView = z.infer<typeof appealViewSchema>;

/**
 * Appeals recorded before issue 20 (against the plant's own rejections): listed with their
 * deadlines, carried forward into the spot-check register or retired with a reason, never
 * rewritten.
 */
export class Appeals {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
  ) {}

  private appealView(r: AppealRecord): AppealView {
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    const status = r.status;
    const applyDeadline = r.apply_deadline;
    const reportDeadline = r.report_deadline ?? null;
    let nextDeadline: string | null = null;
    if (status === 'notified') nextDeadline = applyDeadline;
    else if (status === 'retesting' && !r.report_received_on) nextDeadline = reportDeadline;
    return {
      id: r.id,
      rev: r.rev,
      intakeId: r.intake_id,
      lotCode: r.lot_code,
      supplierCode: r.supplier_code,
      itemCodes: String(r.item_codes).split(',').filter(Boolean),
      firstLab: r.first_lab,
      notifiedOn: r.notified_on,
      applyDeadline,
      appliedOn: r.applied_on ?? null,
      retestLab: r.retest_lab ?? null,
      sampleReceivedOn: r.sample_received_on ?? null,
      reportDeadline,
      reportReceivedOn: r.report_received_on ?? null,
      outcome: r.outcome ?? null,
      status,
      note: r.note ?? null,
      overdue: nextDeadline !== null && today > nextDeadline,
      nextDeadline,
    };
  }

  appeals(f: {
    statuses?: string[] | undefined;
    overdueOnly?: boolean | undefined;
    lotCode?: string | undefined;
  }): AppealView[] {
    const rows = this.q.appeals(f).map((r) => this.appealView(r));
    return f.overdueOnly ? rows.filter((r) => r.overdue) : rows;
  }

  /** A legacy appeal still standing (not carried forward or retired). */
  legacyAppeal(id: string): AppealRecord {
    const cur = this.ledger.get(I.appeal, id);
    if (!cur || cur.retired) fail('not_found', { entity: 'intake_appeal', id }, 'errors.appeal_not_found');
    return appealRecord(cur);
  }

  /**
   * Retires a legacy appeal with the reason, never rewriting it: it was recorded against the
   * plant's own rejection, which 第二十七条 does not cover (a supplier contesting the plant's
   * result is a commercial matter), or it has been carried forward into the spot-check register.
   */
  retireAppeal(actor: Actor, id: string, reason: string, w?: LedgerWriter): { ok: true } {
    const act = (wr: LedgerWriter) => {
      const cur = wr.get(I.appeal, id);
      if (!cur || cur.retired) fail('not_found', { entity: 'intake_appeal', id }, 'errors.appeal_not_found');
      wr.retire(I.appeal, id, reason);
      return { ok: true as const };
    };
    return w ? act(w) : this.ledger.write(actor, act);
  }
}
