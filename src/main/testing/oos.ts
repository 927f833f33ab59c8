import type { z } from 'zod';
import type { OosView, ResultView, checklistSchema } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { limitText } from '../../shared/rules';
import { actorOf } from '../identity';
import type { Value } from '../ledger/entities';
import type { LedgerWriter } from '../ledger/ledger';
import { nextSequencedCode } from '../lots';
import { L } from '../lots';
import { itemOf, type TestingContext } from './context';
import { T } from './entities';
import { contributions } from './independence';
import type { TestPlanner } from './plan';
import { asOos, asResult, asSample, type OosRecord, type ResultRecord } from './queries';
import { recompute } from './recompute';
import type { ResultViews } from './views';

type Checklist = z.infer<typeof checklistSchema>;

/**
 * OOS investigations (issue 8 §5, D-024): opened when a failing result is submitted, holding
 * a released or accepted lot; phase I (signed `authored`), then a conclusion by someone who
 * took no part in the result (signed `oos_concluded`): an assignable cause invalidates the
 * result and orders a retest, none confirms it.
 */
export class OosInvestigations {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
    private readonly planner: TestPlanner,
  ) {}

  /** Opens an OOS record for a failing submitted result and holds the lot (issue 8 §5). */
  openOos(w: LedgerWriter, r: ResultRecord): string {
    const code = nextSequencedCode(w, {
      namespace: 'oos',
      pattern: 'OOS-{yyyy}-{seq4}',
      timeZone: this.ctx.ledger.timeZone,
      seqDigits: 4,
      taken: (c) => this.ctx.q.oos.codeTaken(c),
    });
    const lotCode = r.lot_code ?? null;
    let held = 0;
    if (lotCode) {
      const lot = this.ctx.q.foreign.lot(lotCode);
      if (lot && (lot.status === 'released' || lot.status === 'accepted')) {
        w.update(
          L.lot,
          lot.id,
          { status: 'on_hold' },
          // An automatic hold (a rule of the system, not the submitter's decision): its entry's
          // actor is `system`, which may hold unsigned (docs/ledger.md §3.4, rule lot.hold).
          { reason: `${code}: ${r.item_code} ${r.reported ?? ''} out of specification`, automatic: true },
        );
        held = 1;
      }
    }
    const o = w.create(T.oos, {
      code,
      result_id: r.id,
      sample_code: r.sample_code,
      lot_code: lotCode,
      item_code: r.item_code,
      status: 'open',
      reported: r.reported ?? null,
      limit_text: limitText(itemOf(r)),
      opened_at: w.at,
      opened_by: w.actor.id,
      lot_held: held,
      checklist: null,
      phase1_summary: null,
      phase1_by: null,
      phase1_at: null,
      outcome: null,
      conclusion: null,
      concluded_by: null,
      concluded_at: null,
      retest_result_id: null,
    });
    w.update(T.result, r.id, { oos_id: o.id }, { reason: `OOS ${code} opened` });
    return code;
  }

  oosRow(code: string): OosRecord {
    const r = this.ctx.q.oos.byCode(code);
    if (!r) fail('not_found', { entity: 'oos_investigation', id: code }, 'errors.oos_not_found');
    return r;
  }

  oosList(f: { statuses?: string[] | undefined; lotCode?: string | undefined; offset: number; limit: number }): {
    total: number;
    items: OosView[];
  } {
    const { total, rows } = this.ctx.q.oos.list(f);
    return { total, items: rows.map((r) => this.views.oosView(r)) };
  }

  oosGet(code: string) {
    const o = this.oosRow(code);
    const r = this.views.row(o.result_id);
    const lot = o.lot_code ? this.ctx.q.foreign.lot(o.lot_code) : undefined;
    return {
      oos: this.views.oosView(o),
      result: this.views.view(r),
      signatures: this.ctx.identity.signaturesFor('oos_investigation', o.id),
      lotStatus: lot?.status ?? null,
    };
  }

  /** Open (or confirmed) investigations on a lot: they block its release or acceptance. */
  blockingOos(lotCode: string): string[] {
    return this.ctx.q.oos.blocking(lotCode);
  }

  async phase1(
    signerId: string,
    code: string,
    checklist: Checklist,
    summary: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<OosView> {
    if (meaning !== 'authored')
      fail('invalid_input', { field: 'signature.meaning', expected: 'authored' }, 'errors.signature_meaning_mismatch');
    const o = this.oosRow(code);
    if (o.status !== 'open') fail('conflict', { code, status: o.status }, 'errors.oos_transition_not_allowed');
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    return this.ctx.ledger.write(actorOf(signer), (w) => {
      const cur = asOos(w.get(T.oos, o.id)!);
      if (cur.status !== 'open') fail('conflict', { code }, 'errors.stale_record');
      const row = w.update(
        T.oos,
        o.id,
        {
          checklist: JSON.stringify(checklist),
          phase1_summary: summary,
          phase1_by: signer.id,
          phase1_at: w.at,
          status: 'phase1_done',
        },
        { reason: 'phase I investigation recorded' },
      );
      this.ctx.identity.sign(w, signer, { def: T.oos, id: o.id }, { meaning: 'authored', comment: comment ?? summary });
      return this.views.oosView(row);
    });
  }

  async conclude(
    signerId: string,
    code: string,
    outcome: 'assignable_cause' | 'no_assignable_cause',
    conclusion: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<{ oos: OosView; retest: ResultView | null }> {
    if (meaning !== 'oos_concluded')
      fail(
        'invalid_input',
        { field: 'signature.meaning', expected: 'oos_concluded' },
        'errors.signature_meaning_mismatch',
      );
    const o = this.oosRow(code);
    if (o.status !== 'phase1_done')
      fail(
        'conflict',
        { code, status: o.status },
        o.status === 'open' ? 'errors.oos_phase1_first' : 'errors.oos_transition_not_allowed',
      );
    this.checkConcluderIndependent(signerId, o);
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    return this.ctx.ledger.write(actorOf(signer), (w) => {
      const cur = asOos(w.get(T.oos, o.id)!);
      if (cur.status !== 'phase1_done') fail('conflict', { code }, 'errors.stale_record');
      this.checkConcluderIndependent(signer.id, cur);
      let retest: ResultRecord | null = null;
      const patch: Record<string, Value> = { outcome, conclusion, concluded_by: signer.id, concluded_at: w.at };
      if (outcome === 'assignable_cause') {
        // The result is invalidated (kept on record, signed) and a retest is ordered.
        const r = asResult(w.get(T.result, o.result_id)!);
        w.update(
          T.result,
          r.id,
          { status: 'invalidated', invalidated_reason: conclusion },
          { reason: `invalidated by ${code}: ${conclusion}` },
        );
        this.ctx.identity.sign(
          w,
          signer,
          { def: T.result, id: r.id },
          { meaning: 'invalidated', comment: `${code}: ${conclusion}` },
        );
        const s = asSample(w.get(this.ctx.samples.entity(), r.sample_id)!);
        retest = this.planner.createTest(
          w,
          {
            sample_id: r.sample_id,
            sample_code: r.sample_code,
            lot_code: r.lot_code ?? null,
            product_code: r.product_code ?? null,
            spec_version_id: r.spec_version_id ?? null,
          },
          itemOf(r),
          r.spec_item_id ?? null,
          'retest',
          r.position,
          s.taken_at,
          r.attempt + 1,
          r.id,
        );
        // Calculated items that used the invalidated value wait for the retest.
        recompute(this.ctx, w, r.sample_id, `${r.item_code} invalidated`, {
          via: 'invalidation',
          reason: `${code}: ${conclusion}`,
        });
        patch['status'] = 'invalidated';
        patch['retest_result_id'] = retest.id;
      } else patch['status'] = 'confirmed';
      const row = w.update(T.oos, o.id, patch, { reason: `concluded: ${outcome}` });
      this.ctx.identity.sign(
        w,
        signer,
        { def: T.oos, id: o.id },
        { meaning: 'oos_concluded', comment: `${outcome}: ${conclusion}${comment ? ` — ${comment}` : ''}` },
      );
      return { oos: this.views.oosView(row), retest: retest ? this.views.view(w.get(T.result, retest.id)!) : null };
    });
  }

  /** The person who entered (changed, captured, submitted) the result never concludes its OOS investigation. */
  private checkConcluderIndependent(userId: string, o: OosRecord): void {
    const mine = contributions(this.ctx.q.audit, [o.result_id]).get(o.result_id)?.get(userId);
    if (mine)
      fail(
        'self_review',
        {
          meaning: 'oos_concluded',
          conflictsWith: 'authored',
          code: o.code,
          item: o.item_code,
          how: [...mine].join(', '),
        },
        'errors.oos_conclude_not_independent',
      );
  }
}
