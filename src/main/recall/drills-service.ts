import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import type {
  DrillView,
  drillDetailSchema,
  drillFindingSchema,
  drillLotSchema,
} from '../../shared/contract/channels/recall';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { LabDecimal } from '../../shared/rules';
import { actorOf, type IdentityService } from '../identity';
import { signatureView } from '../identity';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { L, localDate, nextSequencedCode, type LotControls, type LotsService, type OpenRecall } from '../lots';
import { QuantityDecimal as QD, convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import { traceLot, type TraceResult } from '../trace/trace';
import { RC } from './entities';
import { recallQueries, type RecallQueries } from './queries';
import { zonedTime } from '../documents/zoned-time';

type Detail = z.infer<typeof drillDetailSchema>;
type Finding = z.infer<typeof drillFindingSchema>;
type DrillLot = z.infer<typeof drillLotSchema>;
type Step = 'affected_lots' | 'stock' | 'customers' | 'mass_balance' | 'documents';
type Direction = 'backward' | 'forward' | 'both';

function iso(ms: Value | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

/**
 * Recall drills and real recalls (issue 12): from a root lot, the trace engine's lots in the
 * chosen direction(s), their stock, shipments and customers, the mass balance against a
 * tolerance and the records behind each step; findings for whatever the records cannot
 * account for; a signed completion (`drill_completed`) that freezes the result; the yearly
 * programme and KPIs. A recall adds one signed hold of every affected unshipped lot, the
 * customer contact log and the returns.
 */
export class DrillsService {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly lots: LotsService,
    private readonly controls: LotControls,
  ) {
    this.q = recallQueries(ledger.db);
  }

  private readonly q: RecallQueries;

  private get db() {
    return this.ledger.db;
  }

  /** The real recalls still open: the lot controls refuse every use of the lots they cover. */
  openRecalls(): OpenRecall[] {
    return this.q.openRecalls();
  }

  row(code: string): Row {
    const r = this.db.prepare('SELECT * FROM recall_drill WHERE code = ? AND retired = 0').get(code) as Row | undefined;
    if (!r) fail('not_found', { entity: 'recall_drill', id: code }, 'errors.drill_not_found');
    return r;
  }

  /** The trace as the drill sees it (live while open, frozen once completed). */
  private trace(r: Row): TraceResult {
    const t = traceLot(this.db, r['root_lot'] as string, { edges: true });
    if (!t) fail('not_found', { entity: 'lot', id: r['root_lot'] }, 'errors.lot_not_found');
    const dir = r['direction'] as Direction;
    if (dir === 'backward')
      return {
        ...t,
        forward: [],
        shipments: t.shipments.filter((s) => s.lot === t.root.lot),
        customers: t.customers.filter((c) =>
          t.shipments.some((s) => s.lot === t.root.lot && s.customer === c.customer),
        ),
      };
    if (dir === 'forward') return { ...t, backward: [] };
    return t;
  }

  view(r: Row): DrillView {
    const now = this.ledger.now();
    const elapsed = (r['elapsed_ms'] as number | null) ?? now - (r['started_at'] as number);
    const pct = (r['accounted_pct'] as string | null) ?? null;
    const findings = (
      this.db.prepare('SELECT count(*) AS n FROM drill_finding WHERE drill_id = ? AND retired = 0').get(r.id) as {
        n: number;
      }
    ).n;
    return {
      id: r.id,
      code: r['code'] as string,
      mode: r['mode'] as DrillView['mode'],
      rootLot: r['root_lot'] as string,
      direction: r['direction'] as Direction,
      selection: r['selection'] as DrillView['selection'],
      selectionCriteria: r['selection_criteria']
        ? (JSON.parse(r['selection_criteria'] as string) as Record<string, string>)
        : null,
      reason: (r['reason'] as string | null) ?? null,
      startedAt: iso(r['started_at'])!,
      startedBy: r['started_by'] as string,
      targetMinutes: r['target_minutes'] as number,
      toleranceMin: r['tolerance_min'] as string,
      toleranceMax: r['tolerance_max'] as string,
      status: r['status'] as DrillView['status'],
      completedAt: iso(r['completed_at']),
      completedBy: (r['completed_by'] as string | null) ?? null,
      elapsedMs: elapsed,
      withinTarget: elapsed <= (r['target_minutes'] as number) * 60_000,
      accountedPct: pct,
      withinTolerance:
        pct === null
          ? null
          : !new LabDecimal(pct).lessThan(r['tolerance_min'] as string) &&
            !new LabDecimal(pct).greaterThan(r['tolerance_max'] as string),
      findings,
    };
  }

  private lotsOf(t: TraceResult): DrillLot[] {
    const shipped = new Set(t.shipments.map((s) => s.lot));
    const row = (code: string) => this.db.prepare('SELECT * FROM lot WHERE code = ?').get(code) as Row | undefined;
    const one = (lot: string, direction: DrillLot['direction'], depth: number): DrillLot => {
      const r = row(lot);
      return {
        lot,
        direction,
        depth,
        kind: (r?.['kind'] as string | undefined) ?? null,
        itemCode: (r?.['item_code'] as string | undefined) ?? null,
        status: (r?.['status'] as string | undefined) ?? null,
        remaining: r ? this.lots.remaining(r) : null,
        unit: (r?.['unit'] as string | undefined) ?? null,
        location: (r?.['location'] as string | null | undefined) ?? null,
        shipped: shipped.has(lot),
        held: r ? this.controls.isHeld(r) : false,
        holdable: !!r && direction !== 'backward' && this.controls.holdable(r),
      };
    };
    return [
      one(t.root.lot, 'root', 0),
      ...t.backward.map((b) => one(b.lot, 'backward', b.depth)),
      ...t.forward.map((f) => one(f.lot, 'forward', f.depth)),
    ];
  }

  private documentsOf(t: TraceResult): Detail['documents'] {
    const codes = [t.root.lot, ...t.backward.map((b) => b.lot), ...t.forward.map((f) => f.lot)];
    const out: Detail['documents'] = [];
    for (const code of codes) {
      const l = this.db.prepare('SELECT id, receipt_id, batch_id FROM lot WHERE code = ?').get(code) as
        | { id: string; receipt_id: string | null; batch_id: string | null }
        | undefined;
      if (!l) continue;
      if (l.receipt_id) out.push({ kind: 'receipt', ref: code, label: code });
      if (l.batch_id) {
        const b = this.db.prepare('SELECT code FROM batch WHERE id = ?').get(l.batch_id) as
          | { code: string }
          | undefined;
        out.push({ kind: 'batch', ref: code, label: `${b?.code ?? l.batch_id} → ${code}` });
      }
      for (const s of this.db
        .prepare("SELECT code FROM sample WHERE lot_code = ? AND parent_sample_id IS NULL AND kind <> 'retention'")
        .all(code) as Array<{ code: string }>)
        out.push({ kind: 'results', ref: s.code, label: `${s.code} (${code})` });
      for (const s of this.db
        .prepare(
          "SELECT meaning, printed_name, signed_at FROM signature WHERE entity = 'lot' AND entity_id = ? ORDER BY signed_at",
        )
        .all(l.id) as Array<{ meaning: string; printed_name: string; signed_at: number }>) {
        out.push({
          kind: 'decision',
          ref: code,
          meaning: s.meaning,
          label: `${code} — ${s.printed_name} ${zonedTime(new Date(s.signed_at).toISOString(), this.ledger.timeZone)}`,
        });
      }
    }
    for (const s of t.shipments)
      out.push({
        kind: 'shipment',
        ref: s.shipment,
        label: `${s.shipment}: ${s.lot} → ${s.customer} ${s.quantity} ${s.unit}`,
      });
    return out;
  }

  detail(code: string): Detail {
    const r = this.row(code);
    const frozen =
      r['status'] === 'completed' && r['result']
        ? (JSON.parse(r['result'] as string) as {
            lots: DrillLot[];
            customers: Detail['customers'];
            massBalance: Detail['massBalance'];
            documents: Detail['documents'];
          })
        : null;
    const t = frozen ? null : this.trace(r);
    const steps = (
      this.db.prepare('SELECT * FROM drill_step WHERE drill_id = ? ORDER BY done_at, rowid').all(r.id) as Row[]
    ).map((s) => ({
      step: s['step'] as Step,
      doneAt: iso(s['done_at'])!,
      doneBy: s['done_by'] as string,
      summary: JSON.parse(s['summary'] as string) as Record<string, unknown>,
    }));
    const findings = (
      this.db
        .prepare('SELECT * FROM drill_finding WHERE drill_id = ? AND retired = 0 ORDER BY rowid')
        .all(r.id) as Row[]
    ).map((f) => this.findingView(f));
    return {
      drill: this.view(r),
      steps,
      lots: frozen ? frozen.lots : this.lotsOf(t!),
      customers: frozen ? frozen.customers : this.customersOf(r, t!),
      massBalance: frozen
        ? frozen.massBalance
        : (Object.fromEntries(
            Object.entries(t!.mass_balance).map(([k, v]) => [k, v === null ? null : String(v)]),
          ) as Record<string, string | null>),
      documents: frozen ? frozen.documents : this.documentsOf(t!),
      findings,
      signatures: this.identity.signaturesFor('recall_drill', r.id).map(signatureView),
    };
  }

  /** The shipment record of a traced shipment line (shipment code + lot). */
  private shipmentRow(shipment: string, lot: string): Row | undefined {
    return this.db
      .prepare('SELECT * FROM shipment WHERE shipment_code = ? AND lot_code = ? AND retired = 0')
      .get(shipment, lot) as Row | undefined;
  }

  /**
   * Per customer (issue 19 §2): every shipment line with what was shipped, returned in this
   * recall and before, and what is still out; the contacts logged; the returns recorded (records
   * tied to the shipment and customer, never read from a reason text).
   */
  private customersOf(r: Row, t: TraceResult): Detail['customers'] {
    const contacts = this.db.prepare('SELECT * FROM recall_contact WHERE drill_id = ? ORDER BY at').all(r.id) as Row[];
    const returns = this.db
      .prepare(
        "SELECT m.lot_code, m.quantity, m.unit, m.date, m.customer_code, s.shipment_code FROM stock_movement m LEFT JOIN shipment s ON s.id = m.shipment_id WHERE m.movement = 'return' AND m.retired = 0 AND m.drill_id = ? ORDER BY m.date, m.rowid",
      )
      .all(r.id) as Array<{
      lot_code: string;
      quantity: string;
      unit: string;
      date: string;
      customer_code: string | null;
      shipment_code: string | null;
    }>;
    return t.customers.map((c) => {
      const mine = contacts.filter((x) => x['customer_code'] === c.customer);
      const shipments = t.shipments.filter((s) => s.customer === c.customer);
      return {
        code: c.customer,
        name: c.name,
        contact: c.contact,
        phone: c.phone,
        shipments: shipments.map((s) => ({
          shipment: s.shipment,
          lot: s.lot,
          quantity: s.quantity,
          unit: s.unit,
          date: s.date,
        })),
        contacts: mine.map((x) => ({
          at: iso(x['at'])!,
          by: x['by_user'] as string,
          channel: x['channel'] as 'phone',
          outcome: x['outcome'] as 'reached',
          note: (x['note'] as string | null) ?? null,
        })),
        returned: returns
          .filter((x) => x.customer_code === c.customer)
          .map((x) => ({
            lot: x.lot_code,
            quantity: x.quantity,
            unit: x.unit,
            date: x.date,
            ...(x.shipment_code ? { shipment: x.shipment_code } : {}),
          })),
        contacted: mine.length > 0,
        lines: shipments.map((s) => {
          const row = this.shipmentRow(s.shipment, s.lot);
          const b = row
            ? this.controls.shipmentBalance(row, s.unit)
            : { shipped: new QD(s.quantity), returned: new QD(0) };
          const out = b.shipped.minus(b.returned);
          return {
            shipment: s.shipment,
            lot: s.lot,
            unit: s.unit,
            shipped: b.shipped.toString(),
            returned: b.returned.toString(),
            outstanding: (out.isNegative() ? new QD(0) : out).toString(),
          };
        }),
      };
    });
  }

  private findingView(f: Row): Finding {
    return {
      id: f.id,
      rev: f.rev,
      kind: f['kind'] as string,
      ref: f['ref'] as string,
      detail: f['detail'] as string,
      explanation: (f['explanation'] as string | null) ?? null,
    };
  }

  list(f: { mode?: string | undefined; status?: string | undefined; offset: number; limit: number }) {
    const where = ['retired = 0'];
    const params: unknown[] = [];
    if (f.mode) {
      where.push('mode = ?');
      params.push(f.mode);
    }
    if (f.status) {
      where.push('status = ?');
      params.push(f.status);
    }
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM recall_drill WHERE ${where.join(' AND ')}`).get(...params) as {
        n: number;
      }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM recall_drill WHERE ${where.join(' AND ')} ORDER BY started_at DESC LIMIT ? OFFSET ?`)
      .all(...params, f.limit, f.offset) as Row[];
    return { total, drills: rows.map((r) => this.view(r)) };
  }

  /** Lots of a product group (product stage of finished lots, or lot kind) made or received in a period. */
  candidates(group: string, from: string, to: string): string[] {
    const byStage = ['infant', 'older_infant', 'young_children', 'other_dairy'].includes(group);
    const rows = byStage
      ? (this.db
          .prepare(
            "SELECT l.code FROM lot l JOIN product p ON p.code = l.item_code WHERE l.kind = 'finished' AND p.stage = ? AND substr(l.lot_date,1,10) BETWEEN ? AND ? AND l.retired = 0 ORDER BY l.code",
          )
          .all(group, from, to) as Array<{ code: string }>)
      : (this.db
          .prepare(
            'SELECT code FROM lot WHERE kind = ? AND substr(lot_date,1,10) BETWEEN ? AND ? AND retired = 0 ORDER BY code',
          )
          .all(group, from, to) as Array<{ code: string }>);
    return rows.map((r) => r.code);
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
    if (!this.db.prepare('SELECT 1 FROM lot WHERE code = ?').get(root))
      fail('not_found', { entity: 'lot', id: root }, 'errors.lot_not_found');
    const code = this.ledger.write(actor, (w) => {
      const c = nextSequencedCode(w, {
        namespace: i.mode,
        pattern: i.mode === 'drill' ? 'DRL-{yyyy}-{seq4}' : 'RCL-{yyyy}-{seq4}',
        timeZone: this.ledger.timeZone,
        seqDigits: 4,
        taken: (x) => !!this.db.prepare('SELECT 1 FROM recall_drill WHERE code = ?').get(x),
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
    return this.detail(code);
  }

  private open(code: string): Row {
    const r = this.row(code);
    if (r['status'] !== 'open') fail('conflict', { code }, 'errors.drill_completed');
    return r;
  }

  private addFinding(w: LedgerWriter, drillId: string, kind: string, ref: string, detail: string): void {
    const exists = this.db
      .prepare('SELECT 1 FROM drill_finding WHERE drill_id = ? AND kind = ? AND ref = ? AND retired = 0')
      .get(drillId, kind, ref);
    if (!exists) w.create(RC.finding, { drill_id: drillId, kind, ref, detail, explanation: null });
  }

  /** Runs one step from the records, records what it found, and lists the findings it sees. */
  step(actor: Actor, code: string, step: Step): Detail {
    this.open(code);
    this.ledger.write(actor, (w) => {
      // From the records as they are under the write lock (another writer may have completed it).
      const r = this.open(code);
      const t = this.trace(r);
      const lots = this.lotsOf(t);
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
          summary = { ...t.mass_balance, toleranceMin: r['tolerance_min'], toleranceMax: r['tolerance_max'] };
          if (pct === null)
            this.addFinding(w, r.id, 'mass_balance', t.root.lot, 'the root lot has no quantity: no mass balance');
          else if (
            new LabDecimal(pct).lessThan(r['tolerance_min'] as string) ||
            new LabDecimal(pct).greaterThan(r['tolerance_max'] as string)
          ) {
            this.addFinding(
              w,
              r.id,
              'mass_balance',
              t.root.lot,
              `accounted ${pct} % is outside ${r['tolerance_min'] as string}–${r['tolerance_max'] as string} %`,
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
            const row = this.shipmentRow(sh.shipment, sh.lot);
            if (!row) continue;
            const b = this.controls.shipmentBalance(row, sh.unit);
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
            const lr = this.db.prepare('SELECT * FROM lot WHERE code = ?').get(l.lot) as Row | undefined;
            if (!lr) continue;
            const open = this.controls.returnable(lr);
            if (open.isNegative())
              this.addFinding(
                w,
                r.id,
                'over_return',
                l.lot,
                `lot ${l.lot}: ${open.negated().toString()} ${lr['unit'] as string} more returned than shipped`,
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
          const docs = this.documentsOf(t);
          summary = {
            documents: docs.length,
            byKind: Object.fromEntries(
              [...new Set(docs.map((d) => d.kind))].map((k) => [k, docs.filter((d) => d.kind === k).length]),
            ),
          };
          for (const l of lots.filter((x) => x.kind === 'finished' || x.kind === 'intermediate')) {
            // An imported lot's batch record is the ERP's (its genealogy came with the import).
            const origin = (
              this.db.prepare('SELECT origin FROM lot WHERE code = ?').get(l.lot) as
                | { origin: string | null }
                | undefined
            )?.origin;
            if (origin !== 'import' && !docs.some((d) => d.kind === 'batch' && d.ref === l.lot))
              this.addFinding(w, r.id, 'no_batch_record', l.lot, `produced lot ${l.lot} has no batch record`);
          }
          break;
        }
      }
      w.create(RC.step, { drill_id: r.id, step, done_at: w.at, done_by: actor.id, summary: JSON.stringify(summary) });
    });
    return this.detail(code);
  }

  runAll(actor: Actor, code: string): Detail {
    for (const s of ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const)
      this.step(actor, code, s);
    return this.detail(code);
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
    const r = this.open(code);
    this.ledger.write(actor, (w) => {
      if (i.findingId) {
        const f = w.get(RC.finding, i.findingId);
        if (!f || f['drill_id'] !== r.id)
          fail('not_found', { entity: 'drill_finding', id: i.findingId }, 'errors.drill_finding_not_found');
        w.update(RC.finding, i.findingId, { explanation: i.explanation }, { reason: 'explained' });
        // One explanation for every unexplained finding of the same kind, when asked.
        if (i.sameKind) {
          const same = this.db
            .prepare(
              'SELECT id FROM drill_finding WHERE drill_id = ? AND kind = ? AND explanation IS NULL AND retired = 0 AND id <> ?',
            )
            .all(r.id, f['kind'], i.findingId) as Array<{ id: string }>;
          for (const o of same)
            w.update(
              RC.finding,
              o.id,
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
    return this.detail(code);
  }

  /** What completion needs, on the records as they are: the drill open, every step run, every finding explained. */
  private completionCheck(code: string): Row {
    const r = this.open(code);
    const done = new Set(
      (
        this.db.prepare('SELECT DISTINCT step FROM drill_step WHERE drill_id = ?').all(r.id) as Array<{ step: string }>
      ).map((s) => s.step),
    );
    const missing = ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'].filter((s) => !done.has(s));
    if (missing.length) fail('conflict', { code, steps: missing.join(', ') }, 'errors.drill_steps_missing');
    const unexplained = (
      this.db
        .prepare('SELECT count(*) AS n FROM drill_finding WHERE drill_id = ? AND retired = 0 AND explanation IS NULL')
        .get(r.id) as { n: number }
    ).n;
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
    const signer = await this.identity.authenticateSigner(signerId, password);
    this.ledger.write(actorOf(signer), (w) => {
      // Again under the write lock: a step re-run with a new finding, or another completion,
      // during the password check refuses this one; the frozen result is what is true now.
      const r = this.completionCheck(code);
      const live = this.detail(code);
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
          elapsed_ms: w.at - (r['started_at'] as number),
          result: JSON.stringify(result),
        },
        { reason: 'completed' },
      );
      this.identity.sign(w, signer, { def: RC.drill, id: r.id }, { meaning: 'drill_completed', comment });
    });
    return this.detail(code);
  }

  // ------------------------------------------------------------------ real recall

  /** The lots a recall's hold acts on: the root and every forward lot with stock left, shipped before or not, not rejected or held already. */
  private recallTargets(r: Row): DrillLot[] {
    return this.lotsOf(this.trace(r)).filter((l) => l.holdable === true);
  }

  async recallHold(
    signerId: string,
    code: string,
    reason: string,
    password: string,
    meaning: SignatureMeaning,
  ): Promise<{ held: string[]; detail: Detail }> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const r = this.open(code);
    if (r['mode'] !== 'recall') fail('conflict', { code }, 'errors.recall_only');
    const signer = await this.identity.authenticateSigner(signerId, password);
    const held = this.ledger.write(actorOf(signer), (w) => {
      // The lots are found under the write lock: what shipped, was made or was held meanwhile counts.
      const cur = this.open(code);
      const out: string[] = [];
      const why = `${code}: ${reason}`;
      for (const l of this.recallTargets(cur)) {
        const row = this.db.prepare('SELECT id FROM lot WHERE code = ?').get(l.lot) as { id: string };
        const sign = () => this.identity.sign(w, signer, { def: L.lot, id: row.id }, { meaning: 'held', comment: why });
        if (this.controls.holdInside(w, row.id, why, sign)) out.push(l.lot);
      }
      return out;
    });
    return { held, detail: this.detail(code) };
  }

  contact(
    actor: Actor,
    code: string,
    i: { customerCode: string; channel: string; outcome: string; note?: string | undefined },
  ): Detail {
    const r = this.open(code);
    if (r['mode'] !== 'recall') fail('conflict', { code }, 'errors.recall_only');
    const t = this.trace(r);
    if (!t.customers.some((c) => c.customer === i.customerCode))
      fail('invalid_input', { customer: i.customerCode }, 'errors.recall_customer_not_affected');
    this.ledger.write(actor, (w) => {
      w.create(RC.contact, {
        drill_id: r.id,
        customer_code: i.customerCode,
        at: w.at,
        by_user: actor.id,
        channel: i.channel,
        outcome: i.outcome,
        note: i.note ?? null,
      });
    });
    return this.detail(code);
  }

  /**
   * A quantity recovered from a customer in a recall (issue 19 §2): a `return` stock movement
   * of the lot tied to the shipment, the customer and the recall, at most what that shipment
   * delivered less what came back against it already. With several shipments of the lot to the
   * customer, the shipment is named.
   */
  recordReturn(
    actor: Actor,
    code: string,
    i: {
      customerCode: string;
      lotCode: string;
      shipmentCode?: string | undefined;
      quantity: string;
      unit: string;
      date: string;
      note?: string | undefined;
    },
  ): Detail {
    const check = (): { r: Row; shipment: Row } => {
      const r = this.open(code);
      if (r['mode'] !== 'recall') fail('conflict', { code }, 'errors.recall_only');
      const t = this.trace(r);
      const lines = t.shipments.filter(
        (s) =>
          s.customer === i.customerCode &&
          s.lot === i.lotCode &&
          (i.shipmentCode === undefined || s.shipment === i.shipmentCode),
      );
      if (lines.length === 0)
        fail('invalid_input', { customer: i.customerCode, lot: i.lotCode }, 'errors.recall_return_not_shipped');
      if (lines.length > 1)
        fail(
          'invalid_input',
          { customer: i.customerCode, lot: i.lotCode, shipments: lines.map((l) => l.shipment).join(', ') },
          'errors.recall_return_which_shipment',
        );
      const shipment = this.shipmentRow(lines[0]!.shipment, i.lotCode)!;
      const lot = this.db.prepare('SELECT * FROM lot WHERE code = ?').get(i.lotCode) as Row;
      const unit = lot['unit'] as string;
      const inLotUnit =
        isQuantityUnit(i.unit) && isQuantityUnit(unit) ? convertQuantity(i.quantity, i.unit, unit) : null;
      if (inLotUnit === null) fail('invalid_input', { field: 'unit', from: i.unit, to: unit }, 'errors.unit_dimension');
      const q = new QD(inLotUnit);
      if (!q.greaterThan(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
      const b = this.controls.shipmentBalance(shipment, unit);
      const outstanding = b.shipped.minus(b.returned);
      if (q.greaterThan(outstanding))
        fail(
          'invalid_input',
          {
            field: 'quantity',
            shipment: lines[0]!.shipment,
            lot: i.lotCode,
            customer: i.customerCode,
            shipped: b.shipped.toString(),
            returned: b.returned.toString(),
            outstanding: (outstanding.isNegative() ? new QD(0) : outstanding).toString(),
            unit,
          },
          'errors.recall_return_over',
        );
      return { r, shipment };
    };
    check();
    if (i.date > localDate(this.ledger.timeZone, this.ledger.now()))
      fail('invalid_input', { field: 'date' }, 'errors.date_in_future');
    this.ledger.write(actor, (w) => {
      const { r, shipment } = check();
      w.create(L.stockMovement, {
        lot_code: i.lotCode,
        movement: 'return',
        quantity: i.quantity,
        unit: i.unit,
        date: i.date,
        location: null,
        reason: i.note ?? `recovered in recall ${code}`,
        origin: 'app',
        customer_code: i.customerCode,
        shipment_id: shipment.id,
        drill_id: r.id,
      });
    });
    return this.detail(code);
  }

  // ------------------------------------------------------------------ programme and KPIs

  plan(year: number) {
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    const rows = this.db
      .prepare(
        'SELECT p.*, d.code AS drill_code, d.status AS drill_status FROM drill_plan p LEFT JOIN recall_drill d ON d.id = p.drill_id WHERE p.year = ? AND p.retired = 0 ORDER BY p.due_on',
      )
      .all(year) as Array<Row & { drill_code: string | null; drill_status: string | null }>;
    const entries = rows.map((r) => ({
      id: r.id,
      productGroup: r['product_group'] as 'infant',
      direction: r['direction'] as Direction,
      dueOn: r['due_on'] as string,
      drillCode: r.drill_code,
      overdue: r.drill_status !== 'completed' && (r['due_on'] as string) < today,
    }));
    // Which product groups (with lots) × directions have no drill planned or done this year.
    const groups = (
      this.db
        .prepare(
          "SELECT DISTINCT p.stage AS g FROM lot l JOIN product p ON p.code = l.item_code WHERE l.kind = 'finished' UNION SELECT DISTINCT kind FROM lot WHERE kind IN ('raw_milk','ingredient')",
        )
        .all() as Array<{ g: string }>
    ).map((x) => x.g);
    const covered = (g: string, d: 'backward' | 'forward') =>
      entries.some((e) => e.productGroup === g && (e.direction === d || e.direction === 'both'));
    const uncovered: Array<{ productGroup: 'infant'; direction: 'backward' | 'forward' }> = [];
    for (const g of groups)
      for (const d of ['backward', 'forward'] as const)
        if (!covered(g, d)) uncovered.push({ productGroup: g as 'infant', direction: d });
    return { entries, uncovered };
  }

  savePlan(
    actor: Actor,
    i: { year: number; productGroup: string; direction: string; dueOn: string; reason?: string | undefined },
  ): { ok: true } {
    if (!i.dueOn.startsWith(`${i.year}-`)) fail('invalid_input', { field: 'dueOn' }, 'errors.drill_plan_year');
    const cur = this.db
      .prepare('SELECT * FROM drill_plan WHERE year = ? AND product_group = ? AND direction = ? AND retired = 0')
      .get(i.year, i.productGroup, i.direction) as Row | undefined;
    this.ledger.write(actor, (w) => {
      if (cur) w.update(RC.plan, cur.id, { due_on: i.dueOn }, { reason: i.reason ?? 'due date changed' });
      else
        w.create(RC.plan, {
          year: i.year,
          product_group: i.productGroup,
          direction: i.direction,
          due_on: i.dueOn,
          drill_id: null,
        });
    });
    return { ok: true };
  }

  /** Overdue planned drills (for the dashboard). */
  overdue(): number {
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    return (
      this.db
        .prepare(
          "SELECT count(*) AS n FROM drill_plan p LEFT JOIN recall_drill d ON d.id = p.drill_id WHERE p.retired = 0 AND p.due_on < ? AND (d.id IS NULL OR d.status <> 'completed')",
        )
        .get(today) as { n: number }
    ).n;
  }

  kpis(mode: string) {
    const rows = this.db
      .prepare(
        "SELECT * FROM recall_drill WHERE mode = ? AND status = 'completed' AND retired = 0 ORDER BY completed_at",
      )
      .all(mode) as Row[];
    const drills = rows.map((r) => {
      const v = this.view(r);
      return {
        code: v.code,
        completedAt: v.completedAt!,
        minutes: Math.round(v.elapsedMs / 600) / 100,
        accountedPct: v.accountedPct,
        findings: v.findings,
        withinTarget: v.withinTarget,
      };
    });
    const years = new Map<number, typeof drills>();
    for (const d of drills) {
      const y = Number(d.completedAt.slice(0, 4));
      years.set(y, [...(years.get(y) ?? []), d]);
    }
    return {
      drills,
      years: [...years.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([year, ds]) => {
          const m = ds.map((d) => d.minutes).sort((a, b) => a - b);
          const median = m.length
            ? m.length % 2
              ? m[(m.length - 1) / 2]!
              : (m[m.length / 2 - 1]! + m[m.length / 2]!) / 2
            : null;
          return {
            year,
            drills: ds.length,
            medianMinutes: median,
            withinTarget: ds.filter((d) => d.withinTarget).length,
            findings: ds.reduce((s, d) => s + d.findings, 0),
          };
        }),
    };
  }

  /** The evidence as rows: one per affected lot and per shipment (the FDA 204 sortable spreadsheet form). */
  csv(code: string): string {
    const d = this.detail(code);
    const head = [
      'drill',
      'mode',
      'root_lot',
      'record',
      'direction',
      'depth',
      'lot',
      'kind',
      'item_code',
      'status',
      'remaining',
      'unit',
      'location',
      'shipment',
      'customer',
      'customer_name',
      'contact',
      'phone',
      'quantity',
      'date',
    ];
    const cell = (v: unknown) => {
      const s = v === null || v === undefined ? '' : String(v);
      const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const rows: unknown[][] = [];
    for (const l of d.lots)
      rows.push([
        d.drill.code,
        d.drill.mode,
        d.drill.rootLot,
        'lot',
        l.direction,
        l.depth,
        l.lot,
        l.kind,
        l.itemCode,
        l.status,
        l.remaining,
        l.unit,
        l.location,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
    for (const c of d.customers) {
      for (const s of c.shipments)
        rows.push([
          d.drill.code,
          d.drill.mode,
          d.drill.rootLot,
          'shipment',
          'forward',
          '',
          s.lot,
          '',
          '',
          '',
          '',
          s.unit,
          '',
          s.shipment,
          c.code,
          c.name,
          c.contact,
          c.phone,
          s.quantity,
          s.date,
        ]);
    }
    return [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  }
}
