import type { SampleEventView, SampleKind, SampleView, sampleConditions, sampleEvents } from '../../shared/contract/channels/samples';
import { fail } from '../../shared/contract/errors';
import type { CatalogService } from '../catalog';
import type { IdentityService } from '../identity';
import type { Row } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate, nextSequencedCode, type LotControls } from '../lots';
import { S } from './entities';
import { sampleQueries, type SampleQueries, type SampleRow, type SampleViewRow } from './queries';

export type Condition = (typeof sampleConditions)[number];
export type EventKind = (typeof sampleEvents)[number];

/**
 * Default code patterns per kind. {yyMMdd} (also {yyyyMMdd}, {yyyy}, {yy}, {MM}, {dd}) is
 * the workstation's local date; {seq4} a daily counter with 4 digits ({seq} = {seq4}).
 * Kinds that share a pattern share its counter. Sampling-plan units are `<code>-01`…`-nn`.
 */
export const defaultSampleCodePatterns: Record<SampleKind, string> = {
  raw_milk_tanker: 'S{yyMMdd}-{seq4}',
  incoming_inspection: 'S{yyMMdd}-{seq4}',
  in_process: 'S{yyMMdd}-{seq4}',
  finished_release: 'S{yyMMdd}-{seq4}',
  retention: 'R{yyMMdd}-{seq4}',
  environmental_swab: 'ES{yyMMdd}-{seq4}',
  water: 'W{yyMMdd}-{seq4}',
};

/** Retention samples are kept until the lot's expiry plus this margin (docs/domain.md). */
export const DEFAULT_RETENTION_MARGIN_DAYS = 365;

/** A time up to this far ahead of the workstation clock is not "in the future" (clock skew). */
const FUTURE_SKEW_MS = 5 * 60_000;
export const DAY_MS = 86_400_000;

export const OPEN: ReadonlySet<string> = new Set(['registered', 'received', 'in_testing']);

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

export function splitTargets(v: string | null | undefined): string[] {
  return typeof v === 'string' && v ? v.split(',') : [];
}

/** Parses an ISO instant from the contract; refuses invalid and future times. */
export function instantMs(value: string | undefined, now: number, field: string): number {
  if (value === undefined) return now;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail('invalid_input', { field }, 'errors.date_invalid');
  if (ms > now + FUTURE_SKEW_MS) fail('invalid_input', { field, value }, 'errors.date_in_future');
  return ms;
}

/** What the samples capability asks other capabilities: lots (the lots front door) and catalogue items. */
export interface SampleNeighbours {
  lots: Pick<LotControls, 'lot'>;
  catalog: Pick<CatalogService, 'byCode'>;
}

/**
 * The sample book every part of the samples capability shares: finding a sample, its view,
 * its code, the custody event, the workstation-local dates.
 */
export class SampleBook {
  readonly q: SampleQueries;

  constructor(
    readonly ledger: Ledger,
    readonly identity: IdentityService,
    readonly neighbours: SampleNeighbours,
    private readonly patterns: () => Partial<Record<SampleKind, string>>,
    readonly retentionMarginDays: number,
    /** The plant's zone (D-089): sample dates and codes follow the plant's calendar, as lots do. */
    readonly zone: () => string = () => ledger.timeZone,
  ) {
    this.q = sampleQueries(ledger.db);
  }

  /** The code pattern of a kind: the plant's setting, else the default. */
  pattern(kind: SampleKind): string {
    const p = this.patterns()[kind] ?? defaultSampleCodePatterns[kind];
    // The settings schema refuses a pattern without a counter; a default never lacks one.
    if (!/\{seq\d?\}/.test(p)) throw new Error(`sample code pattern for ${kind} has no {seq} counter: ${p}`);
    return p;
  }

  /** The plant-local date of an instant (YYYY-MM-DD). */
  localDate(at: number): string {
    return localDate(this.zone(), at);
  }

  /** UTC ms of local midnight starting a workstation-local date. */
  localMidnight(date: string): number {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const guess = Date.UTC(y, m - 1, d);
    const offset = (at: number): number => {
      const p = new Intl.DateTimeFormat('en-US', {
        timeZone: this.zone(), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      }).formatToParts(at);
      const g = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
      return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - at;
    };
    const first = guess - offset(guess);
    return guess - offset(first);
  }

  /**
   * Next code from the kind's pattern. The counter is a ledgered `code_sequence` record
   * updated inside the caller's write transaction (BEGIN IMMEDIATE), so two registrations
   * never get the same code, on this workstation or another.
   */
  nextCode(w: LedgerWriter, kind: SampleKind, pattern = this.pattern(kind)): string {
    return nextSequencedCode(w, { namespace: 'sample', pattern, timeZone: this.zone(), seqDigits: 4, taken: (c) => !!this.sampleRow(c) });
  }

  sampleRow(code: string): SampleRow | undefined {
    return this.q.sampleByCode(code);
  }

  mustSample(code: string): SampleRow {
    const r = this.sampleRow(code);
    if (!r) fail('not_found', { entity: 'sample', id: code }, 'errors.sample_not_found');
    return r;
  }

  /** The contract view of a sample row (site code and parent code looked up). */
  view(r: Row): SampleView {
    return this.toView(this.q.viewRow(r.id)!);
  }

  units(sampleId: string): SampleView[] {
    return this.q.unitViewRows(sampleId).map((r) => this.toView(r));
  }

  toView(r: SampleViewRow): SampleView {
    return {
      id: r.id,
      rev: r.rev,
      code: r.code,
      kind: r.kind,
      status: r.status,
      lotCode: r.lot_code ?? null,
      siteId: r.site_id ?? null,
      siteCode: r.site_code,
      samplingPoint: r.sampling_point,
      targets: splitTargets(r.targets),
      takenBy: r.taken_by,
      takenAt: iso(r.taken_at)!,
      receivedBy: r.received_by ?? null,
      receivedAt: iso(r.received_at),
      condition: r.condition_on_receipt ?? null,
      temperature: r.temperature ?? null,
      quantity: r.quantity,
      unit: r.unit,
      container: r.container,
      storageLocation: r.storage_location ?? null,
      specVersionId: r.spec_version_id ?? null,
      parentCode: r.parent_code,
      unitNo: r.unit_no ?? null,
      units: r.n_units,
      keepUntil: r.keep_until ?? null,
      disposedAt: iso(r.disposed_at),
      cancelReason: r.cancel_reason ?? null,
      note: r.note ?? null,
    };
  }

  events(sampleId: string): SampleEventView[] {
    return this.q.events(sampleId).map((r) => ({
      id: r.id,
      event: r.event,
      at: iso(r.at)!,
      by: r.by_user,
      location: r.location ?? null,
      detail: r.detail ?? null,
    }));
  }

  event(w: LedgerWriter, sampleId: string, event: EventKind, location: string | null = null, detail: string | null = null): void {
    w.create(S.sampleEvent, { sample_id: sampleId, event, at: w.at, by_user: w.actor.id, location, detail });
  }

  transitionRefused(r: SampleRow, action: string): never {
    fail('conflict', { code: r.code, status: r.status, action }, 'errors.sample_transition_not_allowed');
  }
}
