import type { SiteView } from '../../shared/contract/channels/samples';
import { fail } from '../../shared/contract/errors';
import type { Row } from '../ledger/entities';
import type { Actor } from '../ledger/ledger';
import { DAY_MS, splitTargets, type SampleBook } from './book';
import { S } from './entities';
import { asSchedule, asSite } from './queries';

export interface SiteInput {
  id?: string | undefined;
  fields: { code: string; nameZh: string; nameEn: string; kind: 'environment' | 'water'; zone: number | null; line: string | null; room: string | null; active: boolean };
  reason?: string | undefined;
}

export interface ScheduleInput {
  id?: string | undefined;
  siteId: string;
  frequencyDays: number;
  nextDue: string;
  targets: string[];
  active: boolean;
  reason?: string | undefined;
}

/** Environmental and water sampling sites (hygiene zones 1–4) and their swab schedules. */
export class Sites {
  constructor(private readonly book: SampleBook) {}

  siteView(row: Row): SiteView {
    const site = asSite(row);
    const schedules = this.book.q.schedulesOfSite(site.id);
    return {
      id: site.id,
      rev: site.rev,
      code: site.code,
      nameZh: site.name_zh,
      nameEn: site.name_en,
      kind: site.kind,
      zone: site.zone ?? null,
      line: site.line ?? null,
      room: site.room ?? null,
      active: site.active === 1,
      schedules: schedules.map((s) => ({
        id: s.id,
        siteId: s.site_id,
        frequencyDays: s.frequency_days,
        nextDue: s.next_due,
        targets: splitTargets(s.targets),
        active: s.active === 1,
      })),
    };
  }

  sites(f: { kind?: string | undefined; includeInactive?: boolean | undefined; search?: string | undefined }): SiteView[] {
    return this.book.q.listSites(f).map((r) => this.siteView(r));
  }

  /** Create (no id) or update (with a reason). Codes and kinds never change; sites are deactivated, not deleted. */
  saveSite(actor: Actor, i: SiteInput): SiteView {
    const f = i.fields;
    // Hygiene zones (1 product contact … 4 outside) classify environmental sites only.
    if (f.kind === 'environment' && f.zone === null) fail('invalid_input', { field: 'zone' }, 'errors.site_zone_required');
    if (f.kind === 'water' && f.zone !== null) fail('invalid_input', { field: 'zone' }, 'errors.site_zone_not_allowed');
    const row = { code: f.code, name_zh: f.nameZh, name_en: f.nameEn, kind: f.kind, zone: f.zone, line: f.line, room: f.room, active: f.active ? 1 : 0 };
    return this.book.ledger.write(actor, (w) => {
      const existing = this.book.q.siteIdByCode(f.code);
      if (!i.id) {
        if (existing) fail('conflict', { code: f.code, entity: 'sampling_site' }, 'errors.code_taken');
        return this.siteView(w.create(S.site, row));
      }
      const found = w.get(S.site, i.id);
      if (!found) fail('not_found', { entity: 'sampling_site', id: i.id }, 'errors.site_not_found');
      const before = asSite(found);
      if (before.code !== f.code) fail('invalid_input', { field: 'code' }, 'errors.code_immutable');
      if (before.kind !== f.kind) fail('invalid_input', { field: 'kind' }, 'errors.site_kind_immutable');
      if (!i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
      return this.siteView(w.update(S.site, i.id, row, { reason: i.reason }));
    });
  }

  saveSchedule(actor: Actor, i: ScheduleInput): SiteView {
    const site = this.book.ledger.get(S.site, i.siteId);
    if (!site || site.retired) fail('not_found', { entity: 'sampling_site', id: i.siteId }, 'errors.site_not_found');
    const row = { site_id: i.siteId, frequency_days: i.frequencyDays, next_due: i.nextDue, targets: [...new Set(i.targets)].join(','), active: i.active ? 1 : 0 };
    return this.book.ledger.write(actor, (w) => {
      if (!i.id) {
        w.create(S.siteSchedule, row);
      } else {
        const before = w.get(S.siteSchedule, i.id);
        if (!before || asSchedule(before).site_id !== i.siteId) fail('not_found', { entity: 'site_schedule', id: i.id }, 'errors.schedule_not_found');
        if (!i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
        w.update(S.siteSchedule, i.id, row, { reason: i.reason });
      }
      return this.siteView(w.get(S.site, i.siteId)!);
    });
  }

  /** Swabs and water samples due on a date: active schedules of active sites, next_due ≤ date; zone 1 first. */
  due(date?: string) {
    const d = date ?? this.book.localDate(this.book.ledger.now());
    return this.book.q.due(d).map((r) => ({
      scheduleId: r.id,
      siteId: r.site_id,
      siteCode: r.site_code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      kind: r.kind,
      zone: r.zone ?? null,
      line: r.line ?? null,
      room: r.room ?? null,
      targets: splitTargets(r.targets),
      frequencyDays: r.frequency_days,
      nextDue: r.next_due,
      overdueDays: Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${r.next_due}T00:00:00Z`)) / DAY_MS),
    }));
  }
}
