import type { z } from 'zod';
import type { impactViewSchema } from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { parseDecimal } from '../../shared/rules';
import { actorOf, type IdentityService } from '../identity';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { asLot, L, localDate, type LotControls } from '../lots';
import { asResult, T, type TestingService } from '../testing';
import { IN } from './entities';
import {
  asCapture,
  asCheckPlan,
  asEvent,
  type CheckPoint,
  type InstrumentQueries,
  type InstrumentRecord,
} from './queries';
import type { InstrumentRegistry } from './registry';
import { dec, unitsCompatible } from './rules';
import { type CheckPlanView, type EventView, eventView, iso, planView } from './views';

type ImpactView = z.infer<typeof impactViewSchema>;

/** Lot statuses a hold changes (the others are already blocked or final). */
const HOLDABLE = new Set(['released', 'accepted']);

/** What calibration and checks need of other capabilities (their front doors). */
export interface CheckDeps {
  identity: Pick<IdentityService, 'authenticateSigner' | 'sign'>;
  /** Lots by code: the impact's lots and their status. */
  lots: Pick<LotControls, 'lot'>;
  /** Results typed with the instrument's code, to flag after a failed check. */
  testing: Pick<TestingService, 'typedOnInstrument'>;
}

/**
 * Calibration and daily checks (issue 19 §5, D-059): check plans fixed by a QA manager,
 * daily checks against them, calibration and maintenance records; a failed check or
 * calibration flags every result measured on the instrument since the last good one, and its
 * impact (results still standing, their lots) may be held with one signature per lot.
 */
export class InstrumentChecks {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: InstrumentQueries,
    private readonly registry: InstrumentRegistry,
    private readonly deps: CheckDeps,
  ) {}

  private event(w: LedgerWriter, id: string): EventView {
    return eventView(asEvent(w.get(IN.event, id)!), this.q.flagCount(id));
  }

  /** The daily-check standards of an instrument, fixed by a QA manager (D-059). */
  saveCheckPlan(actor: Actor, id: string, points: CheckPoint[], note: string | null, reason?: string): CheckPlanView {
    this.registry.row(id);
    for (const p of points) {
      if (dec(p.tolerance).isNegative())
        fail('invalid_input', { field: 'tolerance', value: p.tolerance }, 'errors.check_tolerance_negative');
    }
    const existing = this.q.checkPlan(id);
    if (existing && !reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    return this.ledger.write(actor, (w) => {
      const fields = { instrument_id: id, points: JSON.stringify(points), note };
      const p = existing
        ? w.update(IN.checkPlan, existing.id, fields, { reason: reason! })
        : w.create(IN.checkPlan, fields);
      return planView(asCheckPlan(p));
    });
  }

  /**
   * A daily check against the instrument's plan: one reading per standard, read through the
   * instrument (a `check` capture taken since the last check), or typed for an instrument
   * that only prints. A failed check locks the instrument and flags every result measured on
   * it since the last good check, captured or typed (D-059).
   */
  dailyCheck(
    actor: Actor,
    id: string,
    readings: Array<{ point: number; captureId?: string | undefined; reading?: string | undefined }>,
    note?: string,
  ): EventView {
    const r = this.registry.row(id);
    const planRow = this.q.checkPlan(id);
    if (!planRow) fail('conflict', { instrument: r.code }, 'errors.check_plan_missing');
    const plan = planView(planRow);
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    const seen = new Set<number>();
    const usedCaptures = new Set<string>();
    const lastCheckAt = this.q.lastCheckAt(id);
    const evaluated = readings.map((x) => {
      const p = plan.points[x.point];
      if (!p) fail('invalid_input', { field: 'point', point: x.point }, 'errors.check_point_unknown');
      if (seen.has(x.point)) fail('invalid_input', { field: 'point', point: x.point + 1 }, 'errors.check_point_twice');
      seen.add(x.point);
      if (p.certificateValidUntil && p.certificateValidUntil < today)
        fail(
          'conflict',
          { standard: p.standard, certificate: p.certificateNo, until: p.certificateValidUntil },
          'errors.check_standard_expired',
        );
      let reading: string;
      if (x.captureId) {
        const c = asCapture(this.ledger.get(IN.capture, x.captureId));
        if (!c || c.instrument_id !== id || c.purpose !== 'check' || usedCaptures.has(c.id))
          fail('invalid_input', { field: 'captureId' }, 'errors.check_capture_invalid');
        // Each check reading serves one check, taken since the last one.
        if (this.q.checkUsing(id, c.id) || (lastCheckAt !== null && c.at < lastCheckAt))
          fail('invalid_input', { field: 'captureId' }, 'errors.check_capture_stale');
        // A check capture always has its value and unit (captureRow writes them).
        const unit = c.unit ?? '';
        if (!unitsCompatible(unit, p.unit))
          fail('invalid_input', { field: 'unit', unit: c.unit, expected: p.unit }, 'errors.check_unit_mismatch');
        usedCaptures.add(c.id);
        reading = c.value ?? '';
      } else {
        if (r.driver !== 'print')
          fail('invalid_input', { field: 'reading', instrument: r.code }, 'errors.check_reading_must_be_read');
        if (x.reading === undefined || !parseDecimal(x.reading).ok)
          fail('invalid_input', { field: 'reading' }, 'errors.check_reading_required');
        reading = x.reading;
      }
      const diff = dec(reading).minus(dec(p.nominal)).abs();
      return {
        index: x.point,
        standard: p.standard,
        certificateNo: p.certificateNo,
        typed: !x.captureId,
        nominal: p.nominal,
        tolerance: p.tolerance,
        unit: p.unit,
        reading,
        captureId: x.captureId ?? null,
        passed: !diff.greaterThan(dec(p.tolerance)),
      };
    });
    const missing = plan.points.map((p, k) => (seen.has(k) ? null : p.standard)).filter((x) => x !== null);
    if (missing.length)
      fail('invalid_input', { field: 'readings', missing: missing.join(', ') }, 'errors.check_points_missing');
    const points = evaluated.sort((a, b) => a.index - b.index).map(({ index: _i, ...p }) => p);
    const passed = points.every((p) => p.passed);
    return this.ledger.write(actor, (w) => {
      const cur = w.get(IN.checkPlan, planRow.id)!;
      if (cur.rev !== planRow.rev) fail('conflict', { instrument: r.code }, 'errors.stale_record');
      const e = w.create(IN.event, {
        instrument_id: id,
        kind: 'daily_check',
        performed_at: w.at,
        due_on: null,
        certificate_no: null,
        provider: null,
        passed: passed ? 1 : 0,
        points: JSON.stringify(points),
        by_user: actor.id,
        note: note ?? null,
      });
      if (!passed) this.flagSince(w, r, e.id, this.q.lastGood(r.id, 'daily_check', e.id), 'daily check failed');
      return this.event(w, e.id);
    });
  }

  /**
   * Flags every result measured on the instrument since `since` (D-059): each capture still
   * standing, and each result whose typed value names the instrument, entered since then.
   * One `instrument_flag` per result, with the values it had, so the flag stands until the
   * result is measured again or invalidated.
   */
  private flagSince(w: LedgerWriter, r: InstrumentRecord, eventId: string, since: number, why: string): void {
    const label = `${why} ${new Date(w.at).toISOString()}`;
    const done = new Set<string>();
    for (const c of this.q.usedSince(r.id, since)) {
      // Captures into results still standing (the result is testing's: read through the ledger).
      const t = c.result_id ? asResult(w.get(T.result, c.result_id)) : undefined;
      if (!t || t.retired !== 0 || t.status === 'invalidated') continue;
      if (c.flagged !== 1)
        w.update(
          IN.capture,
          c.id,
          { flagged: 1, flag_reason: label },
          { reason: `${why}: captures since the last passing check need review` },
        );
      if (done.has(t.id)) continue;
      done.add(t.id);
      w.create(IN.flag, {
        instrument_id: r.id,
        event_id: eventId,
        result_id: t.id,
        capture_id: c.id,
        sample_code: t.sample_code,
        lot_code: t.lot_code,
        item_code: t.item_code,
        how: 'captured',
        replicates: t.replicates,
        at: w.at,
      });
    }
    for (const t of this.deps.testing.typedOnInstrument(r.code, since)) {
      if (done.has(t.id)) continue;
      done.add(t.id);
      w.create(IN.flag, {
        instrument_id: r.id,
        event_id: eventId,
        result_id: t.id,
        capture_id: null,
        sample_code: t.sample_code,
        lot_code: t.lot_code ?? null,
        item_code: t.item_code,
        how: 'typed',
        replicates: t.replicates ?? null,
        at: w.at,
      });
    }
  }

  /**
   * A calibration certificate or maintenance record. A failed calibration (found out of
   * tolerance) locks the instrument and flags every result measured on it since the last
   * passing calibration (D-059).
   */
  calibration(
    actor: Actor,
    id: string,
    i: {
      kind: 'calibration' | 'maintenance';
      performedOn: string;
      dueOn?: string | undefined;
      certificateNo?: string | undefined;
      provider?: string | undefined;
      passed: boolean;
      note?: string | undefined;
    },
  ): EventView {
    const r = this.registry.row(id);
    if (i.kind === 'calibration' && !i.dueOn)
      fail('invalid_input', { field: 'dueOn' }, 'errors.calibration_due_required');
    if (i.dueOn && i.dueOn <= i.performedOn) fail('invalid_input', { field: 'dueOn' }, 'errors.calibration_due_order');
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    if (i.performedOn > today) fail('invalid_input', { field: 'performedOn' }, 'errors.date_in_future');
    return this.ledger.write(actor, (w) => {
      const e = w.create(IN.event, {
        instrument_id: id,
        kind: i.kind,
        performed_at: Date.parse(`${i.performedOn}T12:00:00Z`) > w.at ? w.at : Date.parse(`${i.performedOn}T12:00:00Z`),
        due_on: i.dueOn ?? null,
        certificate_no: i.certificateNo ?? null,
        provider: i.provider ?? null,
        passed: i.passed ? 1 : 0,
        points: null,
        by_user: actor.id,
        note: i.note ?? null,
      });
      if (i.kind === 'calibration' && !i.passed)
        this.flagSince(w, r, e.id, this.q.lastGood(r.id, 'calibration', e.id), 'calibration failed');
      return this.event(w, e.id);
    });
  }

  /** Results a failed check or calibration flagged, whether each still stands, and their lots. */
  impact(eventId: string): ImpactView {
    const e = asEvent(this.ledger.get(IN.event, eventId));
    if (!e || e.retired)
      fail('not_found', { entity: 'instrument_event', id: eventId }, 'errors.instrument_event_not_found');
    const r = this.registry.row(e.instrument_id);
    const kind = e.kind;
    const since = kind === 'maintenance' || e.passed === 1 ? 0 : this.q.lastGood(r.id, kind, e.id);
    const results: ImpactView['results'] = [];
    for (const f of this.q.flags(eventId)) {
      // The flagged result as it is now (testing's record, read through the ledger).
      const t = asResult(this.ledger.get(T.result, f.result_id));
      if (!t) continue;
      results.push({
        resultId: f.result_id,
        sampleCode: f.sample_code,
        lotCode: f.lot_code ?? null,
        itemCode: f.item_code,
        how: f.how,
        reported: t.reported,
        status: t.status,
        standing:
          t.retired === 0 &&
          t.status !== 'invalidated' &&
          (t.replicates ?? null) === (f.replicates ?? null) &&
          (f.how !== 'captured' || f.c_status === 'used'),
      });
    }
    const lots = new Map<string, number>();
    for (const x of results) if (x.lotCode) lots.set(x.lotCode, (lots.get(x.lotCode) ?? 0) + 1);
    return {
      eventId: e.id,
      instrumentId: r.id,
      instrumentCode: r.code,
      kind,
      performedAt: iso(e.performed_at),
      since: since > 0 ? iso(since) : null,
      results,
      lots: [...lots].map(([code, n]) => {
        const status = this.deps.lots.lot(code)?.status ?? 'unknown';
        return { code, status, results: n, holdable: HOLDABLE.has(status) };
      }),
    };
  }

  /**
   * One signed hold (`held`) of the lots a failed check or calibration casts doubt on (D-059):
   * each chosen lot must be among the impact's lots and still released or accepted inside the
   * write transaction. Signed per lot with the signer's personal signature.
   */
  async holdImpact(
    signerId: string,
    eventId: string,
    lotCodes: string[],
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<{ held: string[] }> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const impact = this.impact(eventId);
    for (const c of lotCodes) {
      const l = impact.lots.find((x) => x.code === c);
      if (!l) fail('invalid_input', { lot: c, instrument: impact.instrumentCode }, 'errors.impact_lot_not_affected');
      if (!l.holdable) fail('conflict', { lot: c, status: l.status }, 'errors.impact_lot_not_holdable');
    }
    const { identity, lots } = this.deps;
    const signer = await identity.authenticateSigner(signerId, password);
    const why = `${impact.instrumentCode} ${impact.kind === 'calibration' ? 'calibration' : 'daily check'} failed ${impact.performedAt.slice(0, 10)}: ${reason}`;
    return this.ledger.write(actorOf(signer), (w) => {
      for (const c of lotCodes) {
        const lot = lots.lot(c)!;
        const cur = asLot(w.get(L.lot, lot.id)!);
        if (!HOLDABLE.has(cur.status)) fail('conflict', { lot: c }, 'errors.stale_record');
        w.update(L.lot, lot.id, { status: 'on_hold' }, { reason: why });
        identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: 'held', comment: comment ?? why });
      }
      return { held: lotCodes };
    });
  }
}
