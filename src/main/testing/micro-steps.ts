import type { ResultView } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { actorOf } from '../identity';
import type { Row } from '../ledger/entities';
import type { Actor } from '../ledger/ledger';
import { arr, EDITABLE, mustBeTestable, resultIn, startTestingIfNeeded, type TestingContext } from './context';
import { T } from './entities';
import { microHoldOf } from './queries';
import type { ResultEntry } from './entry';
import type { MicroHoldView, MicroLotStatus } from './micro';
import { recompute } from './recompute';
import type { ResultViews } from './views';

/**
 * The steps of the micro workflow a person takes (issue 20 §3): incubation started, a
 * presumptive unit confirmed or not, an automatic hold reviewed; the lot's micro status.
 * The rules themselves are in micro.ts.
 */
export class MicroSteps {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
    private readonly entry: ResultEntry,
  ) {}

  /** Incubation of micro tests started (at the time given, not in the future, not before sampling). */
  microStart(actor: Actor, ids: string[], startedAt?: string): { updated: ResultView[] } {
    return this.ctx.ledger.write(actor, (w) => {
      const at = startedAt ? Date.parse(startedAt) : w.at;
      if (at > w.at + 60_000) fail('invalid_input', { field: 'startedAt' }, 'errors.micro_start_in_future');
      const out: Row[] = [];
      for (const id of ids) {
        const r = resultIn(w, id);
        const s = mustBeTestable(this.ctx, r.sample_id);
        if (!EDITABLE.has(r.status))
          fail('conflict', { item: r.item_code, status: r.status }, 'errors.result_transition_not_allowed');
        if (at < s.taken_at)
          fail('invalid_input', { field: 'startedAt', item: r.item_code }, 'errors.micro_start_before_sampling');
        // A start moved after values already typed would make them read before their culture (D-111).
        if (typeof r.entered_at === 'number' && at > r.entered_at)
          fail('invalid_input', { field: 'startedAt', item: r.item_code }, 'errors.micro_start_after_values');
        startTestingIfNeeded(this.ctx, w, r.sample_id);
        out.push(this.ctx.micro.start(w, r, at));
      }
      return { updated: this.views.views(out.map((r) => w.get(T.result, r.id)!)) };
    });
  }

  /**
   * The confirmation of a presumptive unit (1-based): confirmed → `present`, not confirmed →
   * `absent`, with the identification used. The only way a presumptive unit changes.
   */
  microConfirm(
    actor: Actor,
    id: string,
    unit: number,
    outcome: 'confirmed' | 'not_confirmed',
    evidence: string,
  ): { changed: ResultView[] } {
    return this.ctx.ledger.write(actor, (w) => {
      const r = resultIn(w, id);
      mustBeTestable(this.ctx, r.sample_id);
      if (!EDITABLE.has(r.status))
        fail('conflict', { item: r.item_code, status: r.status }, 'errors.result_transition_not_allowed');
      const values = arr(r.unit_values);
      const k = unit - 1;
      if (values[k] !== 'presumptive') fail('conflict', { item: r.item_code, unit }, 'errors.unit_not_presumptive');
      values[k] = outcome === 'confirmed' ? 'present' : 'absent';
      const saved = this.entry.applyEntry(
        w,
        r,
        { unitValues: values },
        `confirmation: unit ${unit} ${outcome === 'confirmed' ? 'confirmed' : 'not confirmed'} (${evidence})`,
        { confirming: k },
      );
      this.ctx.micro.confirmation(w, saved, k, outcome, evidence);
      this.ctx.micro.refresh(w, id);
      const changed = recompute(this.ctx, w, r.sample_id, `${r.item_code} unit ${unit} ${outcome}`, {
        via: 'confirmation',
        reason: evidence,
        edited: new Set([id]),
      });
      const ids = new Set([id, ...changed.map((c) => c.id)]);
      return { changed: this.views.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  microHolds(f: { lotCode?: string | undefined; status?: 'open' | 'reviewed' | undefined }): MicroHoldView[] {
    return this.ctx.micro.holds(f);
  }

  microStatus(lotCode: string): MicroLotStatus {
    return this.ctx.micro.status(lotCode);
  }

  /** A QA manager reviews an automatic micro hold (signed `reviewed`); the lot's decision stays with disposition. */
  async microHoldReview(
    signerId: string,
    holdId: string,
    note: string,
    password: string,
    meaning: SignatureMeaning,
  ): Promise<MicroHoldView> {
    if (meaning !== 'reviewed')
      fail('invalid_input', { field: 'signature.meaning', expected: 'reviewed' }, 'errors.signature_meaning_mismatch');
    const check = (h: Row | undefined): Row => {
      if (!h || h.retired) fail('not_found', { entity: 'micro_hold', id: holdId }, 'errors.micro_hold_not_found');
      const { status } = microHoldOf(h);
      if (status !== 'open') fail('conflict', { id: holdId, status }, 'errors.micro_hold_reviewed');
      return h;
    };
    check(this.ctx.ledger.get(T.microHold, holdId));
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    return this.ctx.ledger.write(actorOf(signer), (w) => {
      check(w.get(T.microHold, holdId));
      const row = w.update(
        T.microHold,
        holdId,
        { status: 'reviewed', reviewed_by: signer.id, reviewed_at: w.at, review_note: note },
        { reason: `reviewed: ${note}` },
      );
      this.ctx.identity.sign(w, signer, { def: T.microHold, id: holdId }, { meaning: 'reviewed', comment: note });
      return this.ctx.micro.holdViewOf(row);
    });
  }
}
