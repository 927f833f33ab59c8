import type { z } from 'zod';
import type { intakeDetailSchema, lateFailureDetailSchema } from '../../shared/contract/channels/intake';
import type { SignatureView } from '../../shared/contract/common';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type SignatureMeaning } from '../../shared/domain/roles';
import { limitText, type TestItem } from '../../shared/rules';
import { actorOf, userRoles, type IdentityService } from '../identity';
import type { Ledger } from '../ledger/ledger';
import { asLot, L } from '../lots';
import { traceLot } from '../trace';
import { ruleOf } from './built-in-panel';
import { I } from './entities';
import type { IntakeQueries, ItemRules, RuleBasis } from './queries';
import { iso, mustTanker } from './tanker-lot';

type IntakeDetail = z.infer<typeof intakeDetailSchema>;
type LateFailureDetail = z.infer<typeof lateFailureDetailSchema>;

/** Lots that may be put on hold (a hold acts on what is left of them, shipped in part or not). */
const USABLE = new Set(['accepted', 'released']);

/**
 * Late failures (issue 20 §4): a retrospective result (plate count, somatic cells, AFM1 sent
 * out) of an accepted tanker that failed after the acceptance, everything made from the
 * tanker (trace engine), and the one signed hold of the lots chosen.
 */
export class LateFailures {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
    private readonly identity: Pick<IdentityService, 'authenticateSigner' | 'sign'>,
    private readonly signatureViews: (entity: string, id: string) => SignatureView[],
  ) {}

  /** Results of an accepted tanker that failed after the acceptance (retrospective tests), oldest first. */
  failedResults(lotCode?: string): Array<{
    lotCode: string;
    supplierCode: string;
    resultId: string;
    item: TestItem;
    reported: string | null;
    submittedAt: number;
    rule: RuleBasis;
    rules: ItemRules;
  }> {
    return this.q.lateFailedResults(lotCode).map((r) => ({
      lotCode: r.lot_code,
      supplierCode: r.supplier_code,
      resultId: r.result_id,
      item: r.item,
      reported: r.reported,
      submittedAt: r.submitted_at,
      rule: ruleOf(r.item_rules, r.item.code).rule,
      rules: r.item_rules,
    }));
  }

  private lateHolds(lotCode: string) {
    return this.q.lateHolds(lotCode);
  }

  list(f: { status?: 'open' | 'held' | undefined; lotCode?: string | undefined }): IntakeDetail['lateFailures'] {
    const byLot = new Map<string, ReturnType<LateFailures['failedResults']>>();
    for (const r of this.failedResults(f.lotCode)) byLot.set(r.lotCode, [...(byLot.get(r.lotCode) ?? []), r]);
    const out: IntakeDetail['lateFailures'] = [];
    for (const [lot, rs] of byLot) {
      const holds = this.lateHolds(lot);
      const covered = new Set(holds.flatMap((h) => h.result_ids));
      const status = rs.every((r) => covered.has(r.resultId)) ? 'held' : 'open';
      if (f.status && f.status !== status) continue;
      out.push({
        lotCode: lot,
        supplierCode: rs[0]!.supplierCode,
        items: [...new Set(rs.map((r) => r.item.code))],
        basis: rs.some((r) => r.rule === 'national') ? 'national' : 'plant',
        status,
        detectedAt: new Date(rs[0]!.submittedAt).toISOString(),
        heldAt: holds.length ? iso(holds[holds.length - 1]!.held_at) : null,
      });
    }
    return out.sort((a, b) =>
      a.status !== b.status ? (a.status === 'open' ? -1 : 1) : b.detectedAt.localeCompare(a.detectedAt),
    );
  }

  /** A late failure: what failed and everything made from the tanker (trace engine), with the holds made. */
  get(lotCode: string): LateFailureDetail {
    const lot = mustTanker(this.q, lotCode);
    const intake = this.q.intake(lotCode);
    const failed = this.failedResults(lotCode);
    if (!intake || failed.length === 0) fail('not_found', { lot: lotCode }, 'errors.late_failure_not_found');
    const holds = this.lateHolds(lotCode);
    const covered = new Set(holds.flatMap((h) => h.result_ids));
    const t = traceLot(this.ledger.db, lotCode)!;
    const shippedLots = new Set(t.shipments.map((s) => s.lot));
    const customers = new Map(t.customers.map((c) => [c.customer, c]));
    const affected = t.forward.map((f) => {
      const info = this.q.lotBatch(f.lot);
      return {
        lot: f.lot,
        kind: f.kind,
        itemCode: f.item_code,
        itemName: info?.item_name ?? null,
        status: f.status,
        depth: f.depth,
        batchCode: info?.batch_code ?? null,
        line: info?.line ?? null,
        shipped: shippedLots.has(f.lot),
        holdable: USABLE.has(f.status ?? ''),
      };
    });
    return {
      lotCode,
      supplierCode: intake.supplier_code,
      supplierName: this.q.supplierName(intake.supplier_code),
      acceptedAt: iso(intake.decided_at),
      lotStatus: lot.status,
      results: failed.map((r) => ({
        resultId: r.resultId,
        itemCode: r.item.code,
        nameZh: r.item.name_zh,
        nameEn: r.item.name_en,
        reported: r.reported,
        unit: r.item.unit,
        limitText: limitText(r.item),
        rule: r.rule,
        submittedAt: new Date(r.submittedAt).toISOString(),
        held: covered.has(r.resultId),
      })),
      basis: failed.some((r) => r.rule === 'national') ? 'national' : 'plant',
      status: failed.every((r) => covered.has(r.resultId)) ? 'held' : 'open',
      affected,
      shipments: t.shipments.map((s) => ({
        lot: s.lot,
        customer: s.customer,
        customerName: customers.get(s.customer)?.name ?? null,
        quantity: s.quantity,
        unit: s.unit,
        date: s.date,
      })),
      depthLimitReached: t.depth_limit_reached,
      holds: holds.map((h) => ({
        id: h.id,
        heldLots: h.held_lots,
        items: h.items,
        reason: h.reason,
        heldBy: h.held_by,
        heldAt: iso(h.held_at)!,
        signatures: this.signatureViews('tanker_late_failure', h.id),
      })),
      reportRequired: failed.some((r) => r.rule === 'national'),
      reportDocumentId: intake.report_document_id ?? null,
    };
  }

  /**
   * One signed hold (`held`) for a late failure: the chosen lots (the tanker and what was made
   * from it) go on hold, each with its `held` signature, and the late-failure record — the
   * failing results, the lots at risk as traced now, the lots held — is signed too, all in
   * one transaction with one password.
   */
  async hold(
    signerId: string,
    lotCode: string,
    lotCodes: string[],
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<LateFailureDetail> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const d = this.get(lotCode);
    if (d.status !== 'open') fail('conflict', { lot: lotCode }, 'errors.late_failure_held');
    const holdable = new Map<string, boolean>([
      [lotCode, USABLE.has(d.lotStatus)],
      ...d.affected.map((a) => [a.lot, a.holdable] as const),
    ]);
    const chosen = [...new Set(lotCodes)];
    for (const c of chosen) {
      if (!holdable.has(c)) fail('invalid_input', { lot: c, tanker: lotCode }, 'errors.late_failure_lot_not_affected');
      if (!holdable.get(c)) fail('conflict', { lot: c }, 'errors.late_failure_lot_not_holdable');
    }
    const signer = await this.identity.authenticateSigner(signerId, password);
    if (!permissionsOf(userRoles(signer)).has('lots.decide'))
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.hold_needs_qa');
    const open = d.results.filter((r) => !r.held);
    const why = `late failure of tanker ${lotCode} (${open.map((r) => `${r.itemCode} ${r.reported ?? ''}`.trim()).join(', ')}): ${reason}`;
    this.ledger.write(actorOf(signer), (w) => {
      // Evaluated again inside the transaction that acts on it: still open, lots still usable.
      const covered = new Set(this.lateHolds(lotCode).flatMap((h) => h.result_ids));
      if (open.some((r) => covered.has(r.resultId))) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      for (const c of chosen) {
        const id = this.q.lotId(c)!;
        const cur = asLot(w.get(L.lot, id)!);
        if (!USABLE.has(cur.status)) fail('conflict', { lot: c }, 'errors.stale_record');
        w.update(L.lot, id, { status: 'on_hold' }, { reason: why });
        this.identity.sign(w, signer, { def: L.lot, id }, { meaning: 'held', comment: comment ?? why });
      }
      const rec = w.create(
        I.lateFailure,
        {
          lot_code: lotCode,
          result_ids: JSON.stringify(open.map((r) => r.resultId)),
          items: JSON.stringify(open.map((r) => r.itemCode)),
          basis: open.some((r) => r.rule === 'national') ? 'national' : 'plant',
          affected: JSON.stringify(
            d.affected.map((a) => ({ lot: a.lot, kind: a.kind, status: a.status, batch: a.batchCode })),
          ),
          held_lots: JSON.stringify(chosen),
          reason,
          held_by: signer.id,
          held_at: w.at,
        },
        { reason },
      );
      this.identity.sign(
        w,
        signer,
        { def: I.lateFailure, id: rec.id },
        { meaning: 'held', comment: comment ?? reason },
      );
    });
    return this.get(lotCode);
  }
}
