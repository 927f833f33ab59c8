import type { z } from 'zod';
import type { envAlertViewSchema } from '../../shared/contract/channels/environment';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type SignatureMeaning } from '../../shared/domain/roles';
import { actorOf, userRoles, type IdentityService } from '../identity';
import type { SettingsService } from '../identity';
import type { LotControls } from '../lots';
import type { Row } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from '../lots';
import { localDate, nextSequencedCode } from '../lots';
import { asSchedule, S } from '../samples';
import { addDays } from '../samples';
import { EV } from './entities';
import {
  alertRecord,
  environmentQueries,
  type EnvironmentOwners,
  type EnvironmentQueries,
  type AlertRecord,
  type FollowUp,
  type SiteRow,
} from './queries';

type AlertView = z.infer<typeof envAlertViewSchema>;

const HOLDABLE = new Set(['released', 'accepted']);
/** Consecutive negative follow-up swabs a closure needs unless the settings say otherwise (issue 19 §6). */
export const DEFAULT_NEGATIVE_SWABS = 3;

/** A follow-up swab of the alert's site and target, as the closure counts it. */
interface FollowUpSwab {
  code: string;
  takenAt: number;
  result: 'negative' | 'positive' | 'pending';
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * Environmental monitoring (issue 9 §4, issue 19 §6). A positive swab (a failing
 * presence/absence test of a swab sample, submitted) raises an alert on its site. While it is
 * open its lots at risk are computed when asked: every lot made on the site's line since the
 * last negative swab there, up to today — so lots made after the alert are at risk too — with
 * a signed hold for those with stock left. Follow-up swabs are scheduled (a daily re-swab of
 * the site and vector swabs of the other sites in its room, or on its line). A QA manager
 * closes the alert with a signature (`alert_closed`) once the configured number of
 * consecutive follow-up swabs of the site are negative; the lots at risk are then fixed.
 */
export class EnvService {
  private readonly q: EnvironmentQueries;

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly settings: SettingsService,
    private readonly controls: LotControls,
    /** The reads environment asks of the capabilities that own the data (samples, testing, lots). */
    owners: EnvironmentOwners,
  ) {
    this.q = environmentQueries(this.ledger.db, owners);
  }

  /** The last swab of the site before `before` whose results were all negative (submitted or reviewed). */
  lastNegative(siteId: string, before: number): number | null {
    return this.q.lastNegative(siteId, before);
  }

  /** Codes of the lots produced on a line (by their batch) from a date to a date (local dates, inclusive). */
  lotsOnLine(line: string, fromDate: string | null, toDate: string): string[] {
    return this.q.lotsOnLine(line, fromDate, toDate);
  }

  /** Called by testing, inside the submitting transaction, for a positive swab result. */
  raise(
    w: LedgerWriter,
    result: { id: string; item_code: string },
    sample: { code: string; site_id: string | null; taken_at: number },
  ): void {
    const siteId = sample.site_id;
    if (!siteId) return;
    const target = result.item_code;
    // One open alert per site and target: a second positive adds to it.
    if (this.q.openAlertAt(siteId, target)) return;
    const site = this.q.site(siteId);
    const takenAt = sample.taken_at;
    const since = this.lastNegative(siteId, takenAt);
    const tz = this.ledger.timeZone;
    const today = localDate(tz, w.at);
    const line = site.line ?? null;
    const lots = line ? this.lotsOnLine(line, since === null ? null : localDate(tz, since), today) : [];
    const code = nextSequencedCode(w, {
      namespace: 'env',
      pattern: 'ENV-{yyyy}-{seq4}',
      timeZone: tz,
      seqDigits: 4,
      taken: (c) => this.q.alertCodeTaken(c),
    });
    // Follow-up swabs: the site again (daily until closed) and the vector sites around it.
    const followUps: FollowUp[] = [];
    const schedule = (s: SiteRow, kind: FollowUp['kind']) => {
      const row = w.create(
        S.siteSchedule,
        { site_id: s.id, frequency_days: 1, next_due: today, targets: target, active: 1 },
        { reason: `${code}: ${kind === 're_swab' ? 're-swab' : 'vector swab'} after positive ${target}` },
      );
      followUps.push({ scheduleId: row.id, siteId: s.id, siteCode: s.code, kind });
    };
    schedule(site, 're_swab');
    const room = site.room ?? null;
    if (room || line) for (const v of this.q.vectorSites(siteId, room, line)) schedule(v, 'vector');
    w.create(EV.alert, {
      code,
      site_id: siteId,
      sample_code: sample.code,
      result_id: result.id,
      target,
      zone: site.zone ?? null,
      line,
      raised_at: w.at,
      since_negative_at: since,
      affected_lots: JSON.stringify(lots),
      follow_ups: JSON.stringify(followUps),
      status: 'open',
      closed_by: null,
      closed_at: null,
      close_reason: null,
    });
  }

  view(a: AlertRecord): AlertView {
    const site = this.q.site(a.site_id);
    return {
      id: a.id,
      code: a.code,
      siteId: a.site_id,
      siteCode: site.code,
      siteName: { zh: site.name_zh, en: site.name_en },
      zone: a.zone ?? null,
      line: a.line ?? null,
      room: site.room ?? null,
      sampleCode: a.sample_code,
      resultId: a.result_id,
      target: a.target,
      reported: this.q.reported(a.result_id),
      raisedAt: iso(a.raised_at)!,
      sinceNegativeAt: iso(a.since_negative_at ?? null),
      status: a.status,
      affectedLots: this.lotsAtRisk(a).length,
      closedBy: a.closed_by ?? null,
      closedAt: iso(a.closed_at ?? null),
      closeReason: a.close_reason ?? null,
      negativeSwabs: this.closure(a).negatives.length,
      swabsNeeded: this.swabsNeeded(),
      closureSwabs: a.closure_swabs,
    };
  }

  swabsNeeded(): number {
    return this.settings.get().envAlertNegativeSwabs ?? DEFAULT_NEGATIVE_SWABS;
  }

  /**
   * The alert's lots at risk. Open: computed now — every lot made on the line since the last
   * negative swab (or ever, when there is none), up to today, plus those listed when it was
   * raised. Closed: as fixed at the closure.
   */
  lotsAtRisk(a: AlertRecord): string[] {
    const stored = a.affected_lots;
    if (a.status !== 'open') return stored;
    const line = a.line ?? null;
    if (!line) return stored;
    const since = a.since_negative_at ?? null;
    const tz = this.ledger.timeZone;
    const live = this.lotsOnLine(line, since === null ? null : localDate(tz, since), localDate(tz, this.ledger.now()));
    return [...new Set([...stored, ...live])].sort();
  }

  /**
   * The follow-up swabs of the alert's site and target, newest first, and the run of
   * consecutive negatives the closure rests on (newest first; stops at a positive).
   */
  closure(a: AlertRecord): { swabs: FollowUpSwab[]; negatives: string[]; pendingNewest: boolean } {
    const positiveAt = this.q.sampleTakenAt(a.sample_code);
    const rows = this.q.followUpSwabs(a.target, a.site_id, positiveAt ?? a.raised_at, a.sample_code);
    const decided = (st: string | null) => st === 'submitted' || st === 'reviewed';
    const swabs: FollowUpSwab[] = rows.map((r) => ({
      code: r.code,
      takenAt: r.taken_at,
      result:
        decided(r.status) && r.verdict === 'pass'
          ? 'negative'
          : decided(r.status) && r.verdict === 'fail'
            ? 'positive'
            : 'pending',
    }));
    const negatives: string[] = [];
    for (const x of swabs) {
      if (x.result === 'pending') continue;
      if (x.result === 'positive') break;
      negatives.push(x.code);
    }
    return { swabs, negatives, pendingNewest: swabs[0]?.result === 'pending' };
  }

  private alertRow(code: string): AlertRecord {
    const a = this.q.alert(code);
    if (!a) fail('not_found', { entity: 'env_alert', id: code }, 'errors.env_alert_not_found');
    return a;
  }

  list(status?: string): AlertView[] {
    return this.q.alerts(status).map((r) => this.view(r));
  }

  /**
   * Open alerts whose lots at risk include the lot, computed now (issue 19 §6): a lot made on
   * the alert's line after it was raised is at risk too, until the alert is closed.
   */
  openAlertsFor(lotCode: string): string[] {
    const open = this.q.openAlerts();
    if (open.length === 0) return [];
    const lot = this.q.lotLine(lotCode);
    const tz = this.ledger.timeZone;
    return open
      .filter((a) => {
        if (a.affected_lots.includes(lotCode)) return true;
        if (!lot?.line || a.line !== lot.line) return false;
        const since = a.since_negative_at ?? null;
        return since === null || lot.lot_date.slice(0, 10) >= localDate(tz, since);
      })
      .map((a) => a.code);
  }

  /** A lot an alert's hold can reach: accepted or released, stock left (shipped before or not), not held already. */
  private holdable(l: { status: string; record: Row }): boolean {
    return HOLDABLE.has(l.status) && this.controls.holdable(l.record);
  }

  get(code: string) {
    const a = this.alertRow(code);
    const codes = this.lotsAtRisk(a);
    const lots = codes.map((c) => {
      const l = this.q.lot(c)!;
      return {
        code: c,
        itemCode: l.item_code,
        itemName: l.item_name,
        date: l.lot_date.slice(0, 10),
        status: l.status,
        shipped: this.q.shipped(c),
        holdable: this.holdable(l),
        remaining: this.controls.remaining(l.record),
        unit: l.unit,
      };
    });
    const c = this.closure(a);
    const swabs = c.swabs.map((x) => ({ code: x.code, takenAt: new Date(x.takenAt).toISOString(), result: x.result }));
    const followUps = a.follow_ups.map((f) => {
      const found = this.ledger.get(S.siteSchedule, f.scheduleId);
      const s = found && asSchedule(found);
      return {
        scheduleId: f.scheduleId,
        siteCode: f.siteCode,
        kind: f.kind,
        nextDue: s?.next_due ?? '',
        active: s?.active === 1,
      };
    });
    return { alert: this.view(a), lots, followUps, swabs };
  }

  async hold(
    signerId: string,
    code: string,
    lotCodes: string[],
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<{ held: string[] }> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const check = (): void => {
      const a = this.alertRow(code);
      if (a.status !== 'open') fail('conflict', { code }, 'errors.env_alert_closed');
      const atRisk = new Set(this.lotsAtRisk(a));
      for (const c of lotCodes) {
        if (!atRisk.has(c)) fail('invalid_input', { lot: c, alert: code }, 'errors.env_lot_not_affected');
        const l = this.q.lot(c)!;
        if (!this.holdable(l))
          fail(
            'conflict',
            { lot: c, status: l.status, remaining: this.controls.remaining(l.record) },
            'errors.env_lot_not_holdable',
          );
      }
    };
    check();
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      // Again under the write lock: the alert closed, or a lot held, shipped out or rejected meanwhile.
      check();
      for (const c of lotCodes) {
        const lot = this.q.lot(c)!;
        w.update(L.lot, lot.id, { status: 'on_hold' }, { reason: `${code}: ${reason}` });
        this.identity.sign(
          w,
          signer,
          { def: L.lot, id: lot.id },
          { meaning: 'held', comment: comment ?? `${code}: ${reason}` },
        );
      }
      return { held: lotCodes };
    });
  }

  /**
   * Closes an alert (issue 19 §6): a QA manager's signature (`alert_closed`), only when the
   * newest follow-up swabs of the site for the alert's target are negative, as many in a row
   * as the settings ask (default 3), and none is still waiting for its result. The lots at
   * risk are fixed as they are at the closure; the follow-up schedules stop.
   */
  async close(
    signerId: string,
    code: string,
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<AlertView> {
    if (meaning !== 'alert_closed')
      fail(
        'invalid_input',
        { field: 'signature.meaning', expected: 'alert_closed' },
        'errors.signature_meaning_mismatch',
      );
    const check = (): { a: AlertRecord; negatives: string[] } => {
      const a = this.alertRow(code);
      if (a.status !== 'open') fail('conflict', { code }, 'errors.env_alert_closed');
      const c = this.closure(a);
      const needed = this.swabsNeeded();
      if (c.pendingNewest) fail('conflict', { code, swab: c.swabs[0]!.code }, 'errors.env_close_pending');
      if (c.negatives.length < needed)
        fail('conflict', { code, negatives: c.negatives.length, needed }, 'errors.env_close_swabs');
      return { a, negatives: c.negatives.slice(0, needed) };
    };
    check();
    const signer = await this.identity.authenticateSigner(signerId, password);
    if (!permissionsOf(userRoles(signer)).has('lots.decide'))
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.env_close_needs_qa');
    return this.ledger.write(actorOf(signer), (w) => {
      // Again under the write lock: a positive follow-up swab submitted meanwhile keeps it open.
      const { a, negatives } = check();
      const lots = this.lotsAtRisk(a);
      for (const f of a.follow_ups) {
        const s = w.get(S.siteSchedule, f.scheduleId);
        if (s && asSchedule(s).active === 1)
          w.update(S.siteSchedule, f.scheduleId, { active: 0 }, { reason: `${code} closed: ${reason}` });
      }
      const row = w.update(
        EV.alert,
        a.id,
        {
          status: 'closed',
          closed_by: signer.id,
          closed_at: w.at,
          close_reason: reason,
          affected_lots: JSON.stringify(lots),
          closure_swabs: JSON.stringify(negatives),
        },
        { reason },
      );
      this.identity.sign(
        w,
        signer,
        { def: EV.alert, id: a.id },
        { meaning: 'alert_closed', comment: comment ?? reason },
      );
      return this.view(alertRecord(row));
    });
  }

  /** Sites × ISO weeks (Monday dates): the worst result of the week's swabs. */
  heatmap(from: string, to: string, zone?: number) {
    const sites = this.q.environmentSites(zone);
    const tz = this.ledger.timeZone;
    const fromMs = Date.parse(`${from}T00:00:00Z`) - 86_400_000;
    const toMs = Date.parse(`${to}T00:00:00Z`) + 2 * 86_400_000;
    const rows = this.q.swabResults(fromMs, toMs);
    const monday = (date: string) => {
      const d = new Date(`${date}T00:00:00Z`);
      const dow = (d.getUTCDay() + 6) % 7;
      return addDays(date, -dow);
    };
    const weeks: string[] = [];
    for (let w = monday(from); w <= to; w = addDays(w, 7)) weeks.push(w);
    const cells = new Map<
      string,
      { siteId: string; week: string; result: 'positive' | 'negative' | 'pending'; swabs: number }
    >();
    const rank = { negative: 0, pending: 1, positive: 2 } as const;
    for (const r of rows) {
      const date = localDate(tz, r.taken_at);
      if (date < from || date > to) continue;
      const week = monday(date);
      const result: 'positive' | 'negative' | 'pending' =
        r.verdict === 'fail' && r.status !== 'entered'
          ? 'positive'
          : r.verdict === 'pass' && (r.status === 'submitted' || r.status === 'reviewed')
            ? 'negative'
            : 'pending';
      const key = `${r.site_id}|${week}`;
      const cur = cells.get(key);
      if (!cur) cells.set(key, { siteId: r.site_id, week, result, swabs: 1 });
      else {
        cur.swabs++;
        if (rank[result] > rank[cur.result]) cur.result = result;
      }
    }
    return {
      sites: sites.map((s) => ({
        id: s.id,
        code: s.code,
        nameZh: s.name_zh,
        nameEn: s.name_en,
        zone: s.zone ?? null,
        line: s.line ?? null,
      })),
      weeks,
      cells: [...cells.values()],
    };
  }
}
