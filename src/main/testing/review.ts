import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { actorOf } from '../identity';
import type { Row } from '../ledger/entities';
import type { LedgerWriter } from '../ledger/ledger';
import { checkRev, mustBeTestable, type TestingContext } from './context';
import { T } from './entities';
import { contributions } from './independence';
import type { OosInvestigations } from './oos';
import { asResult, asSample, type ResultRecord } from './queries';
import type { ResultViews } from './views';

/**
 * Submission (`authored`) and second-person review (`reviewed`) of results (issue 8 §4,
 * issue 19 §3 and §7): everything that decides is evaluated again inside the signing write.
 * A failing result submitted opens its OOS investigation (or the intake decision / the
 * environmental alert settles it).
 */
export class ResultReview {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
    private readonly oos: OosInvestigations,
  ) {}

  async submit(
    signerId: string,
    sampleCode: string,
    ids: string[] | undefined,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
    expectedRevs?: Record<string, number>,
  ): Promise<{ submitted: number; oos: string[] }> {
    if (meaning !== 'authored')
      fail('invalid_input', { field: 'signature.meaning', expected: 'authored' }, 'errors.signature_meaning_mismatch');
    const s = asSample(this.ctx.samples.mustSample(sampleCode));
    mustBeTestable(this.ctx, s.id);
    // What was there when the analyst asked to sign: anything changed by the time the write
    // runs (another person's entry while the password was checked) is not signed.
    const seen = new Map(this.views.sampleRows(s.id).map((r) => [r.id, r.rev]));
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    return this.ctx.ledger.write(actorOf(signer), (w) => {
      // Evaluated again inside the write: the sample may have been cancelled, a value changed
      // while the password was checked (the analyst signs what the screen showed).
      mustBeTestable(this.ctx, s.id);
      const rows = this.views.sampleRows(s.id).map((r) => asResult(w.get(T.result, r.id)!));
      const chosen = rows.filter(
        (r) => (ids ? ids.includes(r.id) : true) && (r.status === 'entered' || r.status === 'returned'),
      );
      if (ids) {
        for (const id of ids)
          if (!rows.some((r) => r.id === id))
            fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
      }
      for (const r of chosen) {
        checkRev(this.ctx.ledger, r, expectedRevs);
        checkRev(this.ctx.ledger, r, { [r.id]: seen.get(r.id) ?? -1 });
      }
      if (chosen.length === 0) fail('conflict', { code: sampleCode }, 'errors.nothing_to_submit');
      // A micro result whose culture was not on record when its value was typed is not a
      // result yet (D-111): it is not signed as one.
      const unread = chosen.filter((r) => this.ctx.micro.cultureProblem(r) !== null);
      if (unread.length)
        fail(
          'conflict',
          { items: unread.map((r) => r.item_code).join(', '), sample: sampleCode },
          'errors.micro_culture_not_read',
        );
      const notReady = chosen.filter((r) => r.verdict === null || r.verdict === 'invalid');
      if (notReady.length)
        fail('conflict', { items: notReady.map((r) => r.item_code).join(', ') }, 'errors.result_not_computable');
      const oos: string[] = [];
      for (const r of chosen) {
        w.update(
          T.result,
          r.id,
          { status: 'submitted', submitted_by: signer.id, submitted_at: w.at, return_reason: null },
          { reason: 'submitted' },
        );
        this.ctx.identity.sign(w, signer, { def: T.result, id: r.id }, { meaning: 'authored', comment });
        if (r.verdict === 'fail' && !r.oos_id) {
          const kind = s.kind;
          // A tanker's failing check is settled by the intake decision, a positive swab by
          // its environmental alert; product and ingredient results by an OOS investigation.
          if (kind === 'environmental_swab' || kind === 'water')
            this.ctx.hooks.swabPositive?.(w, asResult(w.get(T.result, r.id)!), s);
          else if (kind !== 'raw_milk_tanker') {
            oos.push(this.oos.openOos(w, asResult(w.get(T.result, r.id)!)));
            const supplier =
              kind === 'incoming_inspection' && r.lot_code
                ? (this.ctx.q.foreign.lot(r.lot_code)?.supplier_code ?? null)
                : null;
            if (supplier)
              this.ctx.hooks.inspectionFailed?.(
                w,
                supplier,
                `incoming inspection ${sampleCode}: ${r.item_code} ${r.reported ?? ''}`,
              );
          }
        }
      }
      return { submitted: chosen.length, oos };
    });
  }

  /**
   * Independent review (issue 19 §3): whoever entered, changed, captured or submitted any
   * value of a result — any revision, any replicate — neither approves nor returns it.
   * Read from the audit trail inside the caller's transaction (independence.ts).
   */
  private checkIndependent(userId: string, rows: readonly ResultRecord[], decision: 'approve' | 'return'): void {
    const who = contributions(
      this.ctx.q.audit,
      rows.map((r) => r.id),
    );
    for (const r of rows) {
      const mine = who.get(r.id)?.get(userId);
      if (mine)
        fail(
          'self_review',
          {
            meaning: 'reviewed',
            conflictsWith: 'authored',
            decision,
            item: r.item_code,
            sample: r.sample_code,
            how: [...mine].join(', '),
          },
          'errors.review_not_independent',
        );
    }
  }

  /** Everything that decides whether these results may be reviewed or returned by this person now. */
  private checkReviewable(
    userId: string,
    ids: readonly string[],
    get: (id: string) => Row | undefined,
    decision: 'approve' | 'return',
    expectedRevs: Record<string, number> | undefined,
  ): ResultRecord[] {
    const rows = ids.map((id) => {
      const r = asResult(get(id));
      if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
      return r;
    });
    for (const r of rows) {
      if (r.status !== 'submitted')
        fail('conflict', { item: r.item_code, status: r.status }, 'errors.result_transition_not_allowed');
      checkRev(this.ctx.ledger, r, expectedRevs);
      const sample = asSample(this.ctx.ledger.get(this.ctx.samples.entity(), r.sample_id));
      if (sample?.status === 'cancelled')
        fail('conflict', { code: sample.code, status: 'cancelled' }, 'errors.sample_closed');
      if (decision === 'return' && r.oos_id) fail('conflict', { item: r.item_code }, 'errors.result_under_oos');
    }
    this.checkIndependent(userId, rows, decision);
    return rows;
  }

  async review(
    signerId: string,
    ids: string[],
    decision: 'approve' | 'return',
    reason: string | undefined,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
    expectedRevs?: Record<string, number>,
  ): Promise<{ reviewed: number; returned: number }> {
    if (decision === 'return' && !reason) fail('invalid_input', { field: 'reason' }, 'errors.return_reason_required');
    if (decision === 'approve' && meaning !== 'reviewed')
      fail('invalid_input', { field: 'signature.meaning', expected: 'reviewed' }, 'errors.signature_meaning_mismatch');
    // Refused at once, before the password, when it already cannot succeed…
    const before = this.checkReviewable(
      signerId,
      ids,
      (id) => this.ctx.ledger.get(T.result, id),
      decision,
      expectedRevs,
    );
    const seen: Record<string, number> = Object.fromEntries(before.map((r) => [r.id, r.rev]));
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    return this.ctx.ledger.write(actorOf(signer), (w) => {
      // …and decided again inside the write, on the records as they are now (issue 19 §7):
      // a result changed while the password was checked is not the one the reviewer saw.
      const rows = this.checkReviewable(signer.id, ids, (id) => w.get(T.result, id), decision, expectedRevs);
      for (const r of rows) checkRev(this.ctx.ledger, r, seen);
      const samples = new Set<string>();
      for (const r of rows) {
        const id = r.id;
        samples.add(r.sample_id);
        if (decision === 'approve') {
          w.update(
            T.result,
            id,
            { status: 'reviewed', reviewed_by: signer.id, reviewed_at: w.at },
            { reason: 'reviewed' },
          );
          this.ctx.identity.sign(
            w,
            signer,
            { def: T.result, id },
            { meaning: 'reviewed', comment: comment ?? reason, distinctFrom: ['authored'] },
          );
        } else {
          w.update(
            T.result,
            id,
            { status: 'returned', return_reason: reason!, submitted_by: null, submitted_at: null },
            { reason: `returned: ${reason}` },
          );
        }
      }
      for (const s of samples) this.completeIfDone(w, s);
      return { reviewed: decision === 'approve' ? ids.length : 0, returned: decision === 'return' ? ids.length : 0 };
    });
  }

  /** A sample is complete when all its current tests are reviewed (domain model). */
  private completeIfDone(w: LedgerWriter, sampleId: string): void {
    const s = asSample(w.get(this.ctx.samples.entity(), sampleId)!);
    if (s.status !== 'in_testing') return;
    const rows = this.views.sampleRows(sampleId).map((r) => asResult(w.get(T.result, r.id)!));
    const current = rows.filter((r) => r.status !== 'invalidated');
    if (current.length > 0 && current.every((r) => r.status === 'reviewed')) this.ctx.samples.complete(w, s.code);
  }

  reviewQueue(userId: string, offset: number, limit: number) {
    const q = this.ctx.q.results;
    const total = q.submittedSampleCount();
    const rows = q.reviewQueue(userId, limit, offset);
    // "Yours": the caller took part in a value of one of the submitted results (independence.ts).
    const submittedIds = q.submittedOfSamples(rows.map((r) => r.sample_code));
    const who = contributions(
      this.ctx.q.audit,
      submittedIds.map((x) => x.id),
    );
    const mineSamples = new Set(submittedIds.filter((x) => who.get(x.id)?.has(userId)).map((x) => x.sample_code));
    return {
      total,
      samples: rows.map((r) => ({
        sampleCode: r.sample_code,
        kind: r.kind,
        lotCode: r.lot_code,
        itemName: this.views.subjectName(r.product_code),
        submitted: r.submitted,
        failed: r.failed ?? 0,
        analysts: (r.analysts ?? '').split(',').filter(Boolean),
        submittedAt: new Date(r.at).toISOString(),
        mine: r.mine === 1 || mineSamples.has(r.sample_code),
      })),
    };
  }
}
