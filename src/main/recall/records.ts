import type { DrillView } from '../../shared/contract/channels/recall';
import { fail } from '../../shared/contract/errors';
import { printedOffsetTime } from '../../shared/domain/printed-time';
import { QuantityDecimal as QD } from '../../shared/domain/units';
import { LabDecimal } from '../../shared/rules';
import { traceLot, type TraceResult } from '../trace';
import { iso, type Detail, type DrillLot, type Finding, type RecallContext } from './context';
import type { DrillRecord, FindingRecord } from './queries';

/**
 * Reading a drill or recall (issue 12): its record, the trace as the drill sees it (live while
 * open, frozen once completed), the affected lots with their stock, the customers with their
 * shipments, contacts and returns, the records behind each step, and the findings.
 */
export class DrillRecords {
  constructor(private readonly ctx: RecallContext) {}

  row(code: string): DrillRecord {
    const r = this.ctx.q.drillByCode(code);
    if (!r) fail('not_found', { entity: 'recall_drill', id: code }, 'errors.drill_not_found');
    return r;
  }

  /** The drill's record, refused once completed. */
  open(code: string): DrillRecord {
    const r = this.row(code);
    if (r.status !== 'open') fail('conflict', { code }, 'errors.drill_completed');
    return r;
  }

  /** The trace as the drill sees it (live while open, frozen once completed). */
  trace(r: DrillRecord): TraceResult {
    const t = traceLot(this.ctx.ledger.db, r.root_lot, { edges: true });
    if (!t) fail('not_found', { entity: 'lot', id: r.root_lot }, 'errors.lot_not_found');
    const dir = r.direction;
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

  view(r: DrillRecord): DrillView {
    const now = this.ctx.ledger.now();
    const elapsed = r.elapsed_ms ?? now - r.started_at;
    const pct = r.accounted_pct ?? null;
    return {
      id: r.id,
      code: r.code,
      mode: r.mode,
      rootLot: r.root_lot,
      direction: r.direction,
      selection: r.selection,
      selectionCriteria: r.selection_criteria,
      reason: r.reason ?? null,
      startedAt: iso(r.started_at),
      startedBy: r.started_by,
      targetMinutes: r.target_minutes,
      toleranceMin: r.tolerance_min,
      toleranceMax: r.tolerance_max,
      status: r.status,
      completedAt: iso(r.completed_at),
      completedBy: r.completed_by ?? null,
      elapsedMs: elapsed,
      withinTarget: elapsed <= r.target_minutes * 60_000,
      accountedPct: pct,
      withinTolerance:
        pct === null
          ? null
          : !new LabDecimal(pct).lessThan(r.tolerance_min) && !new LabDecimal(pct).greaterThan(r.tolerance_max),
      findings: this.ctx.q.findingCount(r.id),
    };
  }

  lotsOf(t: TraceResult): DrillLot[] {
    const { lots, controls } = this.ctx;
    const shipped = new Set(t.shipments.map((s) => s.lot));
    const one = (lot: string, direction: DrillLot['direction'], depth: number): DrillLot => {
      const r = lots.lotRow(lot);
      return {
        lot,
        direction,
        depth,
        kind: r?.kind ?? null,
        itemCode: r?.item_code ?? null,
        status: r?.status ?? null,
        remaining: r ? lots.remaining(r) : null,
        unit: r?.unit ?? null,
        location: r?.location ?? null,
        shipped: shipped.has(lot),
        held: r ? controls.isHeld(r) : false,
        holdable: !!r && direction !== 'backward' && controls.holdable(r),
      };
    };
    return [
      one(t.root.lot, 'root', 0),
      ...t.backward.map((b) => one(b.lot, 'backward', b.depth)),
      ...t.forward.map((f) => one(f.lot, 'forward', f.depth)),
    ];
  }

  documentsOf(t: TraceResult): Detail['documents'] {
    const { q, lots, samples, ledger } = this.ctx;
    const codes = [t.root.lot, ...t.backward.map((b) => b.lot), ...t.forward.map((f) => f.lot)];
    const out: Detail['documents'] = [];
    for (const code of codes) {
      const l = lots.lotRow(code);
      if (!l) continue;
      if (l.receipt_id) out.push({ kind: 'receipt', ref: code, label: code });
      if (l.batch_id) {
        const b = lots.batchCode(l.batch_id);
        out.push({ kind: 'batch', ref: code, label: `${b ?? l.batch_id} → ${code}` });
      }
      for (const s of samples.primarySampleCodes(code)) out.push({ kind: 'results', ref: s, label: `${s} (${code})` });
      for (const s of q.lotSignatures(l.id)) {
        out.push({
          kind: 'decision',
          ref: code,
          meaning: s.meaning,
          label: `${code} — ${s.printed_name} ${printedOffsetTime(s.signed_at, this.ctx.documentZone?.() ?? ledger.timeZone)}`,
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
    const frozen = r.status === 'completed' && r.result ? r.result : null;
    const t = frozen ? null : this.trace(r);
    const steps = this.ctx.q.steps(r.id).map((s) => ({
      step: s.step,
      doneAt: iso(s.done_at),
      doneBy: s.done_by,
      summary: s.summary,
    }));
    const findings = this.ctx.q.findings(r.id).map((f) => findingView(f));
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
      signatures: this.ctx.signatures('recall_drill', r.id),
    };
  }

  /**
   * Per customer (issue 19 §2): every shipment line with what was shipped, returned in this
   * recall and before, and what is still out; the contacts logged; the returns recorded (records
   * tied to the shipment and customer, never read from a reason text).
   */
  private customersOf(r: DrillRecord, t: TraceResult): Detail['customers'] {
    const { q, lots, controls } = this.ctx;
    const contacts = q.contacts(r.id);
    const returns = lots.recallReturns(r.id);
    return t.customers.map((c) => {
      const mine = contacts.filter((x) => x.customer_code === c.customer);
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
          at: iso(x.at),
          by: x.by_user,
          channel: x.channel,
          outcome: x.outcome,
          note: x.note ?? null,
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
          const row = lots.shipmentRow(s.shipment, s.lot);
          const b = row ? controls.shipmentBalance(row, s.unit) : { shipped: new QD(s.quantity), returned: new QD(0) };
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

  list(f: { mode?: string | undefined; status?: string | undefined; offset: number; limit: number }) {
    const { total, rows } = this.ctx.q.listDrills(f);
    return { total, drills: rows.map((r) => this.view(r)) };
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

function findingView(f: FindingRecord): Finding {
  return {
    id: f.id,
    rev: f.rev,
    kind: f.kind,
    ref: f.ref,
    detail: f.detail,
    explanation: f.explanation ?? null,
  };
}
