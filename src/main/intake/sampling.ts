import type { z } from 'zod';
import type { samplingStateSchema } from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { I } from './entities';
import { samplingRecord, type IntakeQueries } from './queries';

type SamplingState = z.infer<typeof samplingStateSchema>;

/** Consecutive passing deliveries that restore normal sampling, unless configured per supplier. */
export const DEFAULT_PASSES_REQUIRED = 5;

function iso(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

/**
 * A supplier's sampling level (issue 9 §5): tightened after a failed delivery (a rejected
 * tanker, a failed ingredient inspection) until N consecutive passes restore normal sampling.
 */
export class SamplingLevels {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
  ) {}

  private samplingRow(supplierCode: string) {
    return this.q.sampling(supplierCode);
  }

  sampling(supplierCode: string): SamplingState {
    const r = this.samplingRow(supplierCode);
    return {
      supplierCode,
      level: r?.level ?? 'normal',
      consecutivePasses: r?.consecutive_passes ?? 0,
      passesRequired: r?.passes_required ?? DEFAULT_PASSES_REQUIRED,
      changedAt: iso(r?.changed_at),
      reason: r?.reason ?? null,
    };
  }

  samplingHistory(supplierCode: string) {
    const r = this.samplingRow(supplierCode);
    const state = this.sampling(supplierCode);
    if (!r) return { ...state, history: [] };
    const entries = this.q.samplingHistory(r.id);
    return {
      ...state,
      history: entries.map((e) => ({
        at: new Date(e.at).toISOString(),
        by: e.actor,
        level: e.level,
        consecutivePasses: e.consecutive_passes,
        reason: e.reason ?? e.record_reason,
      })),
    };
  }

  configureSampling(actor: Actor, supplierCode: string, passesRequired: number, reason: string): SamplingState {
    if (!this.q.supplierExists(supplierCode))
      fail('not_found', { entity: 'supplier', id: supplierCode }, 'errors.supplier_unknown');
    return this.ledger.write(actor, (w) => {
      const r = this.samplingRow(supplierCode);
      if (r) w.update(I.supplierSampling, r.id, { passes_required: passesRequired }, { reason });
      else
        w.create(
          I.supplierSampling,
          {
            supplier_code: supplierCode,
            level: 'normal',
            consecutive_passes: 0,
            passes_required: passesRequired,
            changed_at: w.at,
            reason,
          },
          { reason },
        );
      return this.sampling(supplierCode);
    });
  }

  /** A failed delivery (rejected tanker, failed ingredient inspection): the supplier's next deliveries are tightened. */
  recordFailure(w: LedgerWriter, supplierCode: string, why: string): void {
    const r = this.samplingRow(supplierCode);
    const reason = `tightened: ${why}`;
    if (!r) {
      w.create(
        I.supplierSampling,
        {
          supplier_code: supplierCode,
          level: 'tightened',
          consecutive_passes: 0,
          passes_required: DEFAULT_PASSES_REQUIRED,
          changed_at: w.at,
          reason,
        },
        { reason },
      );
      return;
    }
    const cur = samplingRecord(w.get(I.supplierSampling, r.id)!);
    const patch: Record<string, string | number> = { level: 'tightened', consecutive_passes: 0 };
    if (cur.level !== 'tightened') {
      patch['changed_at'] = w.at;
      patch['reason'] = reason;
    }
    w.update(I.supplierSampling, r.id, patch, { reason });
  }

  /** A passing delivery: counts toward restoring normal sampling. */
  recordPass(w: LedgerWriter, supplierCode: string, why: string): void {
    const r = this.samplingRow(supplierCode);
    if (!r) return;
    const cur = samplingRecord(w.get(I.supplierSampling, r.id)!);
    if (cur.level !== 'tightened') return;
    const passes = cur.consecutive_passes + 1;
    if (passes >= cur.passes_required) {
      const reason = `normal: ${passes} consecutive passes (last: ${why})`;
      w.update(
        I.supplierSampling,
        r.id,
        { level: 'normal', consecutive_passes: 0, changed_at: w.at, reason },
        { reason },
      );
    } else
      w.update(
        I.supplierSampling,
        r.id,
        { consecutive_passes: passes },
        { reason: `pass ${passes} of ${cur.passes_required}: ${why}` },
      );
  }
}
