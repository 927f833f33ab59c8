import { randomInt } from 'node:crypto';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { LabDecimal } from '../../shared/rules';
import { actorOf } from '../identity';
import type { Actor, LedgerWriter } from '../ledger/ledger';
import { nextSequencedCode } from '../lots';
import type { Detail, RecallContext } from './context';
import { RC } from './entities';
import { asFinding, type DrillRecord, type Direction, type RecallQueries, type Step } from './queries';
import type { DrillRecords } from './records';

/**
 * Running a drill or recall (issue 12): the root lot chosen (typed, scanned or drawn at
 * random from a product group and period), the five steps run from the records with the
 * findings each sees, the findings explained, and the signed completion (`drill_completed`)
 * that freezes the result.
 */
export class DrillRun {
  private readonly q: RecallQueries;

  constructor(
    private readonly ctx: RecallContext,
    private readonly records: DrillRecords,
  ) {
    this.q = ctx.q;
  }

  /** Lots of a product group (product stage of finished lots, or lot kind) made or received in a period. */
  candidates(group: string, from: string, to: string): string[] {
    const byStage = ['infant', 'older_infant', 'young_children', 'other_dairy'].includes(group);
    return byStage ? this.q.finishedOfStage(group, from, to) : this.ctx.lots.lotCodesDated(group, from, to);
  }

  start(
    actor: Actor,
    i: {
      mode: 'drill' | 'recall';
      lotCode?: string | undefined;
      scanned: boolean;
      random?: { productGroup: string; from: string; to: string } | undefined;
      direction: Direction;
      targetMinutes: number;
      toleranceMin: string;
      toleranceMax: string;
      reason?: string | undefined;
      planId?: string | undefined;
    },
    pick: (n: number) => number = (n) => randomInt(n),
  ): Detail {
    if (!i.lotCode && !i.random) fail('invalid_input', { field: 'lotCode' }, 'errors.drill_root_required');
    if (i.lotCode && i.random) fail('invalid_input', { field: 'random' }, 'errors.drill_root_twice');
    if (new LabDecimal(i.toleranceMin).greaterThan(i.toleranceMax))
      fail('invalid_input', { field: 'toleranceMin' }, 'errors.drill_tolerance_order');
    if (i.mode === 'recall' && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.recall_reason_required');
    let root = i.lotCode ?? null;
    if (i.random) {
      const c = this.candidates(i.random.productGroup, i.random.from, i.random.to);
      if (c.length === 0) fail('conflict', { ...i.random }, 'errors.drill_no_candidates');
      root = c[pick(c.length)]!;
    }
    if (!this.ctx.lots.lotRow(root!))
      fail('not_found', { entity: 'lot', id: root }, 'errors.lot_not_found');
    const code = this.ctx.ledger.write(actor, (w) => {
      const c = nextSequencedCode(w, {
        namespace: i.mode,
        pattern: i.mode === 'drill' ? 'DRL-{yyyy}-{seq4}' : 'RCL-{yyyy}-{seq4}',
        timeZone: this.ctx.ledger.timeZone,
        seqDigits: 4,
        taken: (x) => this.q.codeTaken(x),
      });
      const d = w.create(RC.drill, {
        code: c,
        mode: i.mode,
        root_lot: root!,
        direction: i.direction,
        selection: i.random ? 'random' : i.scanned ? 'scanned' : 'typed',
        selection_criteria: i.random ? JSON.stringify(i.random) : null,
        reason: i.reason ?? null,
        started_at: w.at,
        started_by: actor.id,
        target_minutes: i.targetMinutes,
        tolerance_min: i.toleranceMin,
        tolerance_max: i.toleranceMax,
        status: 'open',
        completed_at: null,
        completed_by: null,
        elapsed_ms: null,
        accounted_pct: null,
        result: null,
        plan_id: i.planId ?? null,
      });
      if (i.planId) {
        const p = w.get(RC.plan, i.planId);
        if (!p || p.retired) fail('not_found', { entity: 'drill_plan', id: i.planId }, 'errors.drill_plan_not_found');
        w.update(RC.plan, i.planId, { drill_id: d.id }, { reason: `drill ${c}` });
      }
      return c;
    });
    return this.records.detail(code);
  }

  private addFinding(w: LedgerWriter, drillId: string, kind: string, ref: string, detail: string): void {
    if (!this.q.findingExists(drillId, kind, ref)) w.create(RC.finding, { drill_id: drillId, kind, ref, detail, explanation: null });
  }

  /** Runs one step from the records, records what it found, and lists the findings it sees. */
  step(actor: Actor, code: string, step: Step): Detail {
    this.records.open(code);
    this.ctx.ledger.write(actor, (w) => {
      // From the records as they are under the write lock (another writer may have completed it).
      const r = this.records.open(code);
      const t = this.records.trace(r);
      const lots = this.records.lotsOf(t);
      let summary: Record<string, unknown> = {};
      switch (step) {
        case 'affected_lots': {
          summary = {
            root: t.root.lot,
            backward: t.backward.length,
            forward: t.forward.length,
            depthLimitReached: t.depth_limit_reached,
          };
          for (const l of lots.filter((x) => x.kind === null))
            this.addFinding(
              w,
              r.id,
              'lot_without_record',
              l.lot,
              `lot ${l.lot} is named by a consumption record but has no lot record`,
            );
          if (t.depth_limit_reached)
            this.addFinding(
              w,
              r.id,
              'depth_limit',
              t.root.lot,
              'the genealogy reaches the depth limit: deeper lots may exist',
            );
          break;
        }
        case 'stock': {
          summary = {
            lots: lots.length,
            withStock: lots.filter((l) => l.remaining !== null && new LabDecimal(l.remaining).greaterThan(0)).length,
          };
          for (const l of lots)
            if (l.remaining !== null && new LabDecimal(l.remaining).lessThan(0))
              this.addFinding(
                w,
                r.id,
                'negative_stock',
                l.lot,
                `lot ${l.lot} shows ${l.remaining} ${l.unit ?? ''} remaining`,
              );
          break;
        }
        case 'customers': {
          summary = { customers: t.customers.length, shipments: t.shipments.length };
          for (const c of t.customers) {
            if (c.name === null)
              this.addFinding(
                w,
                r.id,
                'customer_unknown',
                c.customer,
                `customer ${c.customer} is not in the catalogue`,
              );
            else if (!c.phone && !c.contact)
              this.addFinding(
                w,
                r.id,
                'customer_no_contact',
                c.customer,
                `customer ${c.customer} has no contact person or phone`,
              );
          }
          break;
        }
        case 'mass_balance': {
          const pct = t.mass_balance.accounted_pct;
          summary = { ...t.mass_balance, toleranceMin: r.tolerance_min, toleranceMax: r.tolerance_max };
          if (pct === null)
            this.addFinding(w, r.id, 'mass_balance', t.root.lot, 'the root lot has no quantity: no mass balance');
          else if (
            new LabDecimal(pct).lessThan(r.tolerance_min) ||
            new LabDecimal(pct).greaterThan(r.tolerance_max)
          ) {
            this.addFinding(
              w,
              r.id,
              'mass_balance',
              t.root.lot,
              `accounted ${pct} % is outside ${r.tolerance_min}–${r.tolerance_max} %`,
            );
          }
          // Accounted above 100 %: more is recorded than was received or made (issue 19 §2).
          if (pct !== null && new LabDecimal(pct).greaterThan(100))
            this.addFinding(
              w,
              r.id,
              'over_accounted',
              t.root.lot,
              `accounted ${pct} % is above 100 %: more is recorded than the lot's ${t.mass_balance.received_or_produced} ${t.mass_balance.unit}`,
            );
          // Returns above what was shipped: per shipment line, and per lot (returns not tied to a shipment).
          for (const sh of t.shipments) {
            const row = this.ctx.lots.shipmentRow(sh.shipment, sh.lot);
            if (!row) continue;
            const b = this.ctx.controls.shipmentBalance(row, sh.unit);
            if (b.returned.greaterThan(b.shipped))
              this.addFinding(
                w,
                r.id,
                'over_return',
                `${sh.shipment}:${sh.lot}`,
                `${b.returned.toString()} ${sh.unit} returned against shipment ${sh.shipment} of lot ${sh.lot} to ${sh.customer}, which shipped ${b.shipped.toString()} ${sh.unit}`,
              );
          }
          for (const l of lots) {
            const lr = this.ctx.lots.lotRow(l.lot);
            if (!lr) continue;
            const open = this.ctx.controls.returnable(lr);
            if (open.isNegative())
              this.addFinding(
                w,
                r.id,
                'over_return',
                l.lot,
                `lot ${l.lot}: ${open.negated().toString()} ${lr.unit} more returned than shipped`,
              );
          }
          for (const u of t.unconverted)
            this.addFinding(
              w,
              r.id,
              'unconverted',
              `${u.source}:${u.ref}`,
              `${u.source} ${u.ref}: ${u.quantity} ${u.unit} (${u.reason}) not in the balance`,
            );
          w.update(RC.drill, r.id, { accounted_pct: pct }, { reason: 'mass balance' });
          break;
        }
        case 'documents': {
          const docs = this.records.documentsOf(t);
          summary = {
            documents: docs.length,
            byKind: Object.fromEntries(
              [...new Set(docs.map((d) => d.kind))].map((k) => [k, docs.filter((d) => d.kind === k).length]),
            ),
          };
          for (const l of lots.filter((x) => x.kind === 'finished' || x.kind === 'intermediate')) {
            // An imported lot's batch record is the ERP's (its genealogy came with the import).
            const origin = this.ctx.lots.lotRow(l.lot)?.origin;
            if (origin !== 'import' && !docs.some((d) => d.kind === 'batch' && d.ref === l.lot))
              this.addFinding(w, r.id, 'no_batch_record', l.lot, `produced lot ${l.lot} has no batch record`);
          }
          break;
        }
      }
      w.create(RC.step, { drill_id: r.id, step, done_at: w.at, done_by: actor.id, summary: JSON.stringify(summary) });
    });
    return this.records.detail(code);
  }

  runAll(actor: Actor, code: string): Detail {
    for (const s of ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const)
      this.step(actor, code, s);
    return this.records.detail(code);
  }

  finding(
    actor: Actor,
    code: string,
    i: {
      findingId?: string | undefined;
      sameKind?: boolean | undefined;
      kind: string;
      ref: string;
      detail: string;
      explanation: string;
    },
  ): Detail {
    const r = this.records.open(code);
    this.ctx.ledger.write(actor, (w) => {
      if (i.findingId) {
        const f = asFinding(w.get(RC.finding, i.findingId));
        if (!f || f.drill_id !== r.id)
          fail('not_found', { entity: 'drill_finding', id: i.findingId }, 'errors.drill_finding_not_found');
        w.update(RC.finding, i.findingId, { explanation: i.explanation }, { reason: 'explained' });
        // One explanation for every unexplained finding of the same kind, when asked.
        if (i.sameKind) {
          const same = this.q.sameKindUnexplained(r.id, String(f.kind), i.findingId);
          for (const id of same)
            w.update(
              RC.finding,
              id,
              { explanation: i.explanation },
              { reason: 'explained with the other findings of its kind' },
            );
        }
      } else
        w.create(RC.finding, {
          drill_id: r.id,
          kind: i.kind,
          ref: i.ref,
          detail: i.detail || i.explanation,
          explanation: i.explanation,
        });
    });
    return this.records.detail(code);
  }

  /** What completion needs, on the records as they are: the drill open, every step run, every finding explained. */
  private completionCheck(code: string): DrillRecord {
    const r = this.records.open(code);
    const done = this.q.stepsDone(r.id);
    const missing = ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'].filter((s) => !done.has(s));
    if (missing.length) fail('conflict', { code, steps: missing.join(', ') }, 'errors.drill_steps_missing');
    const unexplained = this.q.unexplainedCount(r.id);
    if (unexplained) fail('conflict', { code, findings: unexplained }, 'errors.drill_findings_unexplained');
    return r;
  }

  async complete(
    signerId: string,
    code: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<Detail> {
    if (meaning !== 'drill_completed')
      fail(
        'invalid_input',
        { field: 'signature.meaning', expected: 'drill_completed' },
        'errors.signature_meaning_mismatch',
      );
    this.completionCheck(code);
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    this.ctx.ledger.write(actorOf(signer), (w) => {
      // Again under the write lock: a step re-run with a new finding, or another completion,
      // during the password check refuses this one; the frozen result is what is true now.
      const r = this.completionCheck(code);
      const live = this.records.detail(code);
      const result = {
        lots: live.lots,
        customers: live.customers,
        massBalance: live.massBalance,
        documents: live.documents,
      };
      w.update(
        RC.drill,
        r.id,
        {
          status: 'completed',
          completed_at: w.at,
          completed_by: signer.id,
          elapsed_ms: w.at - r.started_at,
          result: JSON.stringify(result),
        },
        { reason: 'completed' },
      );
      this.ctx.identity.sign(w, signer, { def: RC.drill, id: r.id }, { meaning: 'drill_completed', comment });
    });
    return this.records.detail(code);
  }
}
