import Decimal from 'decimal.js';
import { localDate, nextSequencedCode } from '../lots/codes';
import type {
  SampleEventView,
  SampleKind,
  SampleStatus,
  SampleView,
  SiteView,
  sampleActions,
  sampleConditions,
  sampleEvents,
} from '../../shared/contract/channels/samples';
import { fail } from '../../shared/contract/errors';
import type { Permission } from '../../shared/domain/roles';
import type { QuantityUnit } from '../../shared/domain/units';
import { actorOf, type IdentityService } from '../identity';
import type { SpecService } from '../catalog/spec-service';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { S } from './entities';

type Condition = (typeof sampleConditions)[number];
type EventKind = (typeof sampleEvents)[number];
type Action = (typeof sampleActions)[number];

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

export interface SamplesOptions {
  /** The plant's patterns (settings.sampleCodePatterns), read at each registration. */
  patterns?: () => Partial<Record<SampleKind, string>>;
  retentionMarginDays?: number;
}

/** Which lot kinds a sample kind may name; site kinds need a site of this kind and no lot. */
const LOT_KINDS: Partial<Record<SampleKind, readonly string[]>> = {
  raw_milk_tanker: ['raw_milk'],
  incoming_inspection: ['ingredient', 'packaging'],
  in_process: ['intermediate', 'finished'],
  finished_release: ['finished'],
  retention: ['finished'],
};
const SITE_KINDS: Partial<Record<SampleKind, 'environment' | 'water'>> = { environmental_swab: 'environment', water: 'water' };

/** A sample's temperature on receipt must be physically plausible (frozen −40 °C … ambient 60 °C). */
const TEMPERATURE_RANGE = { min: -40, max: 60 } as const;
/** A time up to this far ahead of the workstation clock is not "in the future" (clock skew). */
const FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

const OPEN: ReadonlySet<string> = new Set(['registered', 'received', 'in_testing']);

const Dq = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

function splitTargets(v: Value | undefined): string[] {
  return typeof v === 'string' && v ? v.split(',') : [];
}

/** Parses an ISO instant from the contract; refuses invalid and future times. */
function instantMs(value: string | undefined, now: number, field: string): number {
  if (value === undefined) return now;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail('invalid_input', { field }, 'errors.date_invalid');
  if (ms > now + FUTURE_SKEW_MS) fail('invalid_input', { field, value }, 'errors.date_in_future');
  return ms;
}

export interface RegisterInput {
  kind: SampleKind;
  lotCode?: string | undefined;
  siteCode?: string | undefined;
  samplingPoint: string;
  targets?: string[] | undefined;
  takenAt?: string | undefined;
  takenBy?: string | undefined;
  quantity: string;
  unit: QuantityUnit;
  container: string;
  storageLocation?: string | undefined;
  note?: string | undefined;
  keepUntil?: string | undefined;
  receipt?: ReceiptInput | undefined;
  withRetention?: boolean | undefined;
  retention?: { quantity: string; unit: QuantityUnit; container: string; storageLocation?: string | undefined; keepUntil?: string | undefined } | undefined;
}

export interface ReceiptInput {
  condition: Condition;
  temperature?: string | undefined;
  receivedAt?: string | undefined;
  storageLocation?: string | undefined;
}

/**
 * Samples from registration to disposal (issue 7 §1, §4, §5): identity and custody of every
 * sample, its lot or sampling site, the specification version that applies, the n units of
 * a microbiological sampling plan, retention samples (留样, GB 23790-2010 §10.3 /
 * 婴幼儿配方乳粉生产许可审查细则: every finished lot is retained beyond its shelf life) and
 * environmental / water sampling sites with their swab schedules. States follow
 * ../shared/guides/domain-model.md; results and alerts come with the testing issue.
 */
export class SamplesService {
  readonly retentionMarginDays: number;
  private readonly patterns: () => Partial<Record<SampleKind, string>>;

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly specs: SpecService,
    /** Plans a newly registered sample's tests (testing, issue 8 §1), inside the registering transaction; given by the composition root. */
    private readonly onRegistered: (w: LedgerWriter, sample: Row) => void,
    opts: SamplesOptions = {},
  ) {
    this.patterns = opts.patterns ?? (() => ({}));
    this.retentionMarginDays = opts.retentionMarginDays ?? DEFAULT_RETENTION_MARGIN_DAYS;
  }

  /** The code pattern of a kind: the plant's setting, else the default. */
  pattern(kind: SampleKind): string {
    const p = this.patterns()[kind] ?? defaultSampleCodePatterns[kind];
    // The settings schema refuses a pattern without a counter; a default never lacks one.
    if (!/\{seq\d?\}/.test(p)) throw new Error(`sample code pattern for ${kind} has no {seq} counter: ${p}`);
    return p;
  }

  private get db() {
    return this.ledger.db;
  }

  // ------------------------------------------------------------------ dates

  /** The workstation-local date of an instant (YYYY-MM-DD). */
  localDate(at: number): string {
    return localDate(this.ledger.timeZone, at);
  }

  /** UTC ms of local midnight starting a workstation-local date. */
  private localMidnight(date: string): number {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const guess = Date.UTC(y, m - 1, d);
    const offset = (at: number): number => {
      const p = new Intl.DateTimeFormat('en-US', {
        timeZone: this.ledger.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      }).formatToParts(at);
      const g = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
      return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - at;
    };
    const first = guess - offset(guess);
    return guess - offset(first);
  }

  // ------------------------------------------------------------------ codes

  /**
   * Next code from the kind's pattern. The counter is a ledgered `code_sequence` record
   * updated inside the caller's write transaction (BEGIN IMMEDIATE), so two registrations
   * never get the same code, on this workstation or another.
   */
  nextCode(w: LedgerWriter, kind: SampleKind, pattern = this.pattern(kind)): string {
    return nextSequencedCode(w, { namespace: 'sample', pattern, timeZone: this.ledger.timeZone, seqDigits: 4, taken: (c) => !!this.sampleRow(c) });
  }

  // ------------------------------------------------------------------ reading

  sampleRow(code: string): Row | undefined {
    return this.db.prepare('SELECT * FROM sample WHERE code = ?').get(code) as Row | undefined;
  }

  mustSample(code: string): Row {
    const r = this.sampleRow(code);
    if (!r) fail('not_found', { entity: 'sample', id: code }, 'errors.sample_not_found');
    return r;
  }

  private lotRow(code: string): Row | undefined {
    return this.db.prepare('SELECT * FROM lot WHERE code = ?').get(code) as Row | undefined;
  }

  private static readonly VIEW_SQL = `SELECT s.*, st.code AS site_code, p.code AS parent_code,
      (SELECT count(*) FROM sample u WHERE u.parent_sample_id = s.id) AS n_units
    FROM sample s LEFT JOIN sampling_site st ON st.id = s.site_id LEFT JOIN sample p ON p.id = s.parent_sample_id`;

  private viewRows(where: string, params: unknown[], tail = ''): SampleView[] {
    const rows = this.db.prepare(`${SamplesService.VIEW_SQL} WHERE ${where} ${tail}`).all(...params) as Array<Row & { site_code: string | null; parent_code: string | null; n_units: number }>;
    return rows.map((r) => this.toView(r, r.site_code, r.parent_code, r.n_units));
  }

  /** The contract view of a sample row (site code and parent code looked up when not given). */
  view(r: Row): SampleView {
    return this.viewRows('s.id = ?', [r.id])[0]!;
  }

  private toView(r: Row, siteCode: string | null, parentCode: string | null, units: number): SampleView {
    return {
      id: r.id,
      code: r['code'] as string,
      kind: r['kind'] as SampleKind,
      status: r['status'] as SampleStatus,
      lotCode: (r['lot_code'] as string | null) ?? null,
      siteId: (r['site_id'] as string | null) ?? null,
      siteCode,
      samplingPoint: r['sampling_point'] as string,
      targets: splitTargets(r['targets']),
      takenBy: r['taken_by'] as string,
      takenAt: iso(r['taken_at'] as number)!,
      receivedBy: (r['received_by'] as string | null) ?? null,
      receivedAt: iso(r['received_at'] as number | null),
      condition: (r['condition_on_receipt'] as Condition | null) ?? null,
      temperature: (r['temperature'] as string | null) ?? null,
      quantity: r['quantity'] as string,
      unit: r['unit'] as string,
      container: r['container'] as string,
      storageLocation: (r['storage_location'] as string | null) ?? null,
      specVersionId: (r['spec_version_id'] as string | null) ?? null,
      parentCode,
      unitNo: (r['unit_no'] as number | null) ?? null,
      units,
      keepUntil: (r['keep_until'] as string | null) ?? null,
      disposedAt: iso(r['disposed_at'] as number | null),
      cancelReason: (r['cancel_reason'] as string | null) ?? null,
      note: (r['note'] as string | null) ?? null,
    };
  }

  list(f: {
    kind?: SampleKind | undefined;
    status?: SampleStatus | undefined;
    lotCode?: string | undefined;
    siteCode?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    search?: string | undefined;
    includeUnits?: boolean | undefined;
    offset: number;
    limit: number;
  }): { total: number; samples: SampleView[] } {
    const where: string[] = ['s.retired = 0'];
    const params: unknown[] = [];
    if (!f.includeUnits) where.push('s.parent_sample_id IS NULL');
    if (f.kind) {
      where.push('s.kind = ?');
      params.push(f.kind);
    }
    if (f.status) {
      where.push('s.status = ?');
      params.push(f.status);
    }
    if (f.lotCode) {
      where.push('s.lot_code = ?');
      params.push(f.lotCode);
    }
    if (f.siteCode) {
      where.push('s.site_id = (SELECT id FROM sampling_site WHERE code = ?)');
      params.push(f.siteCode);
    }
    if (f.from) {
      where.push('s.taken_at >= ?');
      params.push(this.localMidnight(f.from));
    }
    if (f.to) {
      where.push('s.taken_at < ?');
      params.push(this.localMidnight(addDays(f.to, 1)));
    }
    if (f.search) {
      where.push("(s.code LIKE ? ESCAPE '\\' OR s.lot_code LIKE ? ESCAPE '\\' OR s.sampling_point LIKE ? ESCAPE '\\')");
      const like = `%${f.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      params.push(like, like, like);
    }
    const w = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM sample s WHERE ${w}`).get(...params) as { n: number }).n;
    const samples = this.viewRows(w, [...params, f.limit, f.offset], 'ORDER BY s.taken_at DESC, s.code DESC LIMIT ? OFFSET ?');
    return { total, samples };
  }

  units(sampleId: string): SampleView[] {
    return this.viewRows('s.parent_sample_id = ?', [sampleId], 'ORDER BY s.unit_no');
  }

  events(sampleId: string): SampleEventView[] {
    const rows = this.db.prepare('SELECT * FROM sample_event WHERE sample_id = ? ORDER BY at, rowid').all(sampleId) as Row[];
    return rows.map((r) => ({
      id: r.id,
      event: r['event'] as EventKind,
      at: iso(r['at'] as number)!,
      by: r['by_user'] as string,
      location: (r['location'] as string | null) ?? null,
      detail: (r['detail'] as string | null) ?? null,
    }));
  }

  /** What a holder of these permissions may do with the sample now (the service checks again). */
  allowedActions(r: Row, perms: ReadonlySet<Permission>): Action[] {
    const out: Action[] = [];
    const status = r['status'] as string;
    const disposed = r['disposed_at'] !== null && r['disposed_at'] !== undefined;
    if (perms.has('samples.register')) {
      if (status === 'registered') out.push('receive');
      if (status !== 'cancelled' && !disposed) out.push('move');
      if (OPEN.has(status) && !disposed) out.push('cancel');
    }
    if (perms.has('samples.dispose') && this.canDispose(r, this.localDate(this.ledger.now())) === null) out.push('dispose');
    return out;
  }

  // ------------------------------------------------------------------ registration

  /** The ledgered sample entity (for the testing capability's reads inside its transactions). */
  entity() {
    return S.sample;
  }

  /** The approved specification version that applies to a lot (on its date), or null. */
  specVersionFor(lotCode: string): string | null {
    const lot = this.lotRow(lotCode);
    if (!lot) return null;
    const subject = this.subjectOf(lot['item_code'] as string);
    return subject ? this.specs.effectiveId(subject.kind, subject.id, (lot['lot_date'] as string).slice(0, 10)) : null;
  }

  private subjectOf(item: string): { kind: 'product' | 'material'; id: string } | null {
    const product = this.db.prepare('SELECT id FROM product WHERE code = ?').get(item) as { id: string } | undefined;
    if (product) return { kind: 'product', id: product.id };
    const material = this.db.prepare('SELECT id FROM material WHERE code = ?').get(item) as { id: string } | undefined;
    return material ? { kind: 'material', id: material.id } : null;
  }

  /** Records the specification version of a sample registered before one was approved. */
  setSpecVersion(w: LedgerWriter, sample: Row, versionId: string): Row {
    return w.update(S.sample, sample.id, { spec_version_id: versionId }, { reason: 'specification version in force on the lot date' });
  }

  /** The lot and the approved specification version that applies to it (specs.effective on the lot's date). */
  private specFor(lot: Row): { id: string; planUnits: number } | null {
    const item = lot['item_code'] as string;
    const product = this.db.prepare('SELECT id FROM product WHERE code = ?').get(item) as { id: string } | undefined;
    const material = product ? undefined : (this.db.prepare('SELECT id FROM material WHERE code = ?').get(item) as { id: string } | undefined);
    const subject = product ? { kind: 'product', id: product.id } : material ? { kind: 'material', id: material.id } : null;
    if (!subject) return null;
    const v = this.specs.effective(subject.kind, subject.id, (lot['lot_date'] as string).slice(0, 10));
    if (!v) return null;
    // Microbiological sampling plans (n, c, m, M; GB 4789.1): the sample is taken as n
    // units; with several plans the largest n is taken and each unit serves every plan.
    const planUnits = v.items
      .filter((i) => i.group === 'microbiology' && i.limit_form === 'sampling_plan' && i.n !== null)
      .reduce((m, i) => Math.max(m, i.n ?? 0), 0);
    return { id: v.id, planUnits };
  }

  private checkTemperature(t: string | undefined): void {
    if (t === undefined) return;
    const v = new Dq(t);
    if (v.lt(TEMPERATURE_RANGE.min) || v.gt(TEMPERATURE_RANGE.max)) {
      fail('invalid_input', { field: 'temperature', min: TEMPERATURE_RANGE.min, max: TEMPERATURE_RANGE.max, value: t }, 'errors.temperature_implausible');
    }
  }

  private checkQuantity(q: string, field: string): void {
    if (new Dq(q).lte(0)) fail('invalid_input', { field }, 'errors.quantity_positive');
  }

  /** keep_until: the override, or the lot's expiry + margin; never before the lot's expiry, never in the past. */
  keepUntilFor(lot: Row, today: string, override?: string): string {
    const expiry = (lot['expiry_date'] as string | null)?.slice(0, 10) ?? null;
    if (override !== undefined) {
      if (override < today) fail('invalid_input', { field: 'keepUntil', value: override }, 'errors.keep_until_past');
      if (expiry && override < expiry) fail('invalid_input', { field: 'keepUntil', value: override, expiry }, 'errors.keep_until_before_expiry');
      return override;
    }
    if (!expiry) fail('invalid_input', { field: 'keepUntil', lot: lot['code'] }, 'errors.keep_until_required');
    return addDays(expiry, this.retentionMarginDays);
  }

  private event(w: LedgerWriter, sampleId: string, event: EventKind, location: string | null = null, detail: string | null = null): void {
    w.create(S.sampleEvent, { sample_id: sampleId, event, at: w.at, by_user: w.actor.id, location, detail });
  }

  /** Does the lot have a retention sample (registered, kept or disposed; a cancelled one does not count)? */
  hasRetention(lotCode: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM sample WHERE lot_code = ? AND kind = 'retention' AND status <> 'cancelled' AND retired = 0 LIMIT 1").get(lotCode);
  }

  register(actor: Actor, i: RegisterInput): { sample: SampleView; units: SampleView[]; retention: SampleView | null } {
    const lotKinds = LOT_KINDS[i.kind];
    const siteKind = SITE_KINDS[i.kind];
    let lot: Row | undefined;
    let site: Row | undefined;
    if (lotKinds) {
      if (i.siteCode) fail('invalid_input', { field: 'siteCode', kind: i.kind }, 'errors.sample_site_not_allowed');
      if (!i.lotCode) fail('invalid_input', { field: 'lotCode', kind: i.kind }, 'errors.sample_lot_required');
      lot = this.lotRow(i.lotCode);
      if (!lot || lot.retired) fail('not_found', { entity: 'lot', id: i.lotCode }, 'errors.lot_not_found');
      if (!lotKinds.includes(lot['kind'] as string)) {
        fail('invalid_input', { field: 'lotCode', lot: i.lotCode, lotKind: lot['kind'], expected: lotKinds.join(', ') }, 'errors.sample_lot_wrong_kind');
      }
      // A tanker sample belongs to the tanker's receipt record.
      if (i.kind === 'raw_milk_tanker' && !lot['receipt_id']) fail('invalid_input', { field: 'lotCode', lot: i.lotCode }, 'errors.sample_tanker_no_receipt');
    } else if (siteKind) {
      if (i.lotCode) fail('invalid_input', { field: 'lotCode', kind: i.kind }, 'errors.sample_lot_not_allowed');
      if (!i.siteCode) fail('invalid_input', { field: 'siteCode', kind: i.kind }, 'errors.sample_site_required');
      site = this.db.prepare('SELECT * FROM sampling_site WHERE code = ? AND retired = 0').get(i.siteCode) as Row | undefined;
      if (!site) fail('not_found', { entity: 'sampling_site', id: i.siteCode }, 'errors.site_not_found');
      if (site['kind'] !== siteKind) fail('invalid_input', { field: 'siteCode', site: i.siteCode, siteKind: site['kind'], expected: siteKind }, 'errors.sample_site_wrong_kind');
      if (site['active'] !== 1) fail('invalid_input', { field: 'siteCode', site: i.siteCode }, 'errors.site_inactive');
    }
    if (i.kind !== 'retention' && i.keepUntil !== undefined) fail('invalid_input', { field: 'keepUntil' }, 'errors.keep_until_retention_only');
    if (i.retention && i.kind !== 'finished_release') fail('invalid_input', { field: 'retention' }, 'errors.keep_until_retention_only');
    this.checkQuantity(i.quantity, 'quantity');
    if (i.retention) this.checkQuantity(i.retention.quantity, 'retention.quantity');
    this.checkTemperature(i.receipt?.temperature);
    const spec = lot ? this.specFor(lot) : null;

    return this.ledger.write(actor, (w) => {
      const takenAt = instantMs(i.takenAt, w.at, 'takenAt');
      const takenDate = this.localDate(takenAt);
      const today = this.localDate(w.at);
      if (lot && takenDate < (lot['lot_date'] as string).slice(0, 10)) {
        fail('invalid_input', { field: 'takenAt', lot: lot['code'], lotDate: lot['lot_date'] }, 'errors.sample_before_lot');
      }
      const receivedAt = i.receipt ? instantMs(i.receipt.receivedAt, w.at, 'receipt.receivedAt') : null;
      if (receivedAt !== null && receivedAt < takenAt) fail('invalid_input', { field: 'receipt.receivedAt' }, 'errors.received_before_taken');

      // Swab and water samples: what to test for, and the schedules this sample satisfies.
      let targets: string[] = i.targets ?? [];
      if (site) {
        const due = this.db
          .prepare('SELECT * FROM site_schedule WHERE site_id = ? AND active = 1 AND retired = 0 AND next_due <= ? ORDER BY next_due')
          .all(site.id, takenDate) as Row[];
        const satisfied = i.targets ? due.filter((s) => splitTargets(s['targets']).some((t) => i.targets!.includes(t))) : due;
        if (!i.targets) targets = [...new Set(satisfied.flatMap((s) => splitTargets(s['targets'])))];
        for (const s of satisfied) {
          w.update(S.siteSchedule, s.id, { next_due: addDays(takenDate, s['frequency_days'] as number) }, { reason: `sampled (${i.kind})` });
        }
      }

      const base = {
        kind: i.kind,
        lot_code: lot ? (lot['code'] as string) : null,
        site_id: site ? site.id : null,
        sampling_point: i.samplingPoint,
        targets: targets.length ? targets.join(',') : null,
        taken_by: i.takenBy ?? actor.id,
        taken_at: takenAt,
        received_by: i.receipt ? actor.id : null,
        received_at: receivedAt,
        condition_on_receipt: i.receipt?.condition ?? null,
        temperature: i.receipt?.temperature ?? null,
        spec_version_id: spec?.id ?? null,
        status: i.receipt ? 'received' : 'registered',
        cancel_reason: null,
        disposed_at: null,
        note: i.note ?? null,
      } satisfies Record<string, Value>;
      const stored = (loc: string | undefined) => i.receipt?.storageLocation ?? loc ?? null;
      const created = (row: Row): void => {
        this.event(w, row.id, 'registered', null, row['parent_sample_id'] ? null : `${row['kind']}`);
        if (i.receipt) this.event(w, row.id, 'received', row['storage_location'] as string | null, i.receipt.condition);
      };

      const code = this.nextCode(w, i.kind);
      const sample = w.create(S.sample, {
        ...base,
        code,
        quantity: i.quantity,
        unit: i.unit,
        container: i.container,
        storage_location: stored(i.storageLocation),
        parent_sample_id: null,
        unit_no: null,
        keep_until: i.kind === 'retention' && lot ? this.keepUntilFor(lot, today, i.keepUntil) : null,
      });
      created(sample);

      // The n units of a microbiological sampling plan, each its own sample and label.
      const units: Row[] = [];
      const n = i.kind === 'retention' ? 0 : (spec?.planUnits ?? 0);
      const unitQty = n > 0 ? new Dq(i.quantity).dividedBy(n).toDecimalPlaces(6).toString() : '0';
      for (let k = 1; k <= n; k++) {
        const u = w.create(S.sample, {
          ...base,
          code: `${code}-${String(k).padStart(2, '0')}`,
          quantity: unitQty,
          unit: i.unit,
          container: i.container,
          storage_location: stored(i.storageLocation),
          parent_sample_id: sample.id,
          unit_no: k,
          keep_until: null,
        });
        created(u);
        units.push(u);
      }

      // Decision (docs/domain.md): the retention sample is registered with the release
      // sample, in the same transaction, unless the lot already has one.
      let retention: Row | null = null;
      if (i.kind === 'finished_release' && lot && i.withRetention !== false && !this.hasRetention(lot['code'] as string)) {
        const r = i.retention;
        retention = w.create(S.sample, {
          ...base,
          kind: 'retention',
          code: this.nextCode(w, 'retention'),
          quantity: r?.quantity ?? i.quantity,
          unit: r?.unit ?? i.unit,
          container: r?.container ?? i.container,
          storage_location: r?.storageLocation ?? null,
          parent_sample_id: null,
          unit_no: null,
          keep_until: this.keepUntilFor(lot, today, r?.keepUntil),
        });
        created(retention);
      }
      // The testing capability plans the sample's tests in this same transaction.
      this.onRegistered(w, w.get(S.sample, sample.id)!);
      return {
        sample: this.view(sample),
        units: units.length ? this.units(sample.id) : [],
        retention: retention ? this.view(retention) : null,
      };
    });
  }

  // ------------------------------------------------------------------ custody and states

  private transitionRefused(r: Row, action: string): never {
    fail('conflict', { code: r['code'], status: r['status'], action }, 'errors.sample_transition_not_allowed');
  }

  /** Units follow their sample through receive, move and cancel (when they are in the same state). */
  private withUnits(r: Row, statuses: ReadonlySet<string>): Row[] {
    const units = r['parent_sample_id'] ? [] : (this.db.prepare('SELECT * FROM sample WHERE parent_sample_id = ? ORDER BY unit_no').all(r.id) as Row[]);
    return [r, ...units.filter((u) => statuses.has(u['status'] as string) && u['disposed_at'] === null)];
  }

  receive(actor: Actor, code: string, i: ReceiptInput): SampleView {
    const r = this.mustSample(code);
    if (r['status'] !== 'registered') this.transitionRefused(r, 'receive');
    this.checkTemperature(i.temperature);
    return this.ledger.write(actor, (w) => {
      const at = instantMs(i.receivedAt, w.at, 'receivedAt');
      if (at < (r['taken_at'] as number)) fail('invalid_input', { field: 'receivedAt' }, 'errors.received_before_taken');
      for (const s of this.withUnits(r, new Set(['registered']))) {
        const cur = w.get(S.sample, s.id)!;
        if (cur['status'] !== 'registered') fail('conflict', { code: s['code'] }, 'errors.stale_record');
        w.update(S.sample, s.id, {
          status: 'received',
          received_by: actor.id,
          received_at: at,
          condition_on_receipt: i.condition,
          temperature: i.temperature ?? null,
          storage_location: i.storageLocation ?? (s['storage_location'] as string | null),
        });
        this.event(w, s.id, 'received', i.storageLocation ?? null, i.condition);
      }
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  move(actor: Actor, code: string, storageLocation: string, reason?: string): SampleView {
    const r = this.mustSample(code);
    if (r['status'] === 'cancelled' || r['disposed_at'] !== null) this.transitionRefused(r, 'move');
    return this.ledger.write(actor, (w) => {
      for (const s of this.withUnits(r, new Set(['registered', 'received', 'in_testing', 'complete']))) {
        w.update(S.sample, s.id, { storage_location: storageLocation }, { reason: reason ?? `moved to ${storageLocation}` });
        this.event(w, s.id, 'moved', storageLocation, reason ?? null);
      }
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  cancel(actor: Actor, code: string, reason: string): SampleView {
    const r = this.mustSample(code);
    if (!OPEN.has(r['status'] as string) || r['disposed_at'] !== null) this.transitionRefused(r, 'cancel');
    return this.ledger.write(actor, (w) => {
      for (const s of this.withUnits(r, OPEN)) {
        w.update(S.sample, s.id, { status: 'cancelled', cancel_reason: reason }, { reason });
        this.event(w, s.id, 'cancelled', null, reason);
      }
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  /**
   * received → in_testing, called by the testing capability inside its own transaction
   * when the first test of the sample starts. No results are invented here.
   */
  startTesting(w: LedgerWriter, code: string): Row {
    const r = this.mustSample(code);
    if (r['status'] !== 'received') this.transitionRefused(r, 'start_testing');
    const row = w.update(S.sample, r.id, { status: 'in_testing' });
    this.event(w, r.id, 'testing_started');
    return row;
  }

  /** in_testing → complete, called by the testing capability once all its tests are reviewed. */
  complete(w: LedgerWriter, code: string): Row {
    const r = this.mustSample(code);
    if (r['status'] !== 'in_testing') this.transitionRefused(r, 'complete');
    const row = w.update(S.sample, r.id, { status: 'complete' });
    this.event(w, r.id, 'completed');
    return row;
  }

  /** A label print (first print or reprint), recorded as a custody event; for the label pipeline. */
  recordLabelPrint(actor: Actor, code: string, detail: string | null = null): SampleEventView {
    const r = this.mustSample(code);
    return this.ledger.write(actor, (w) => {
      const printed = this.db.prepare("SELECT 1 FROM sample_event WHERE sample_id = ? AND event IN ('label_printed', 'label_reprinted') LIMIT 1").get(r.id);
      this.event(w, r.id, printed ? 'label_reprinted' : 'label_printed', null, detail);
      return this.events(r.id).at(-1)!;
    });
  }

  // ------------------------------------------------------------------ retention samples

  /** Retention samples to dispose of soon: keep-until within `withinDays` (or passed), not disposed or cancelled. */
  retentionDue(withinDays: number, offset: number, limit: number): { total: number; samples: SampleView[] } {
    const until = addDays(this.localDate(this.ledger.now()), withinDays);
    const w = "s.kind = 'retention' AND s.retired = 0 AND s.disposed_at IS NULL AND s.status <> 'cancelled' AND s.keep_until <= ?";
    const total = (this.db.prepare(`SELECT count(*) AS n FROM sample s WHERE ${w}`).get(until) as { n: number }).n;
    return { total, samples: this.viewRows(w, [until, limit, offset], 'ORDER BY s.keep_until, s.code LIMIT ? OFFSET ?') };
  }

  /** Why a retention sample cannot be disposed of today, or null when it can. */
  private canDispose(r: Row, today: string): string | null {
    if (r['kind'] !== 'retention') return 'errors.sample_not_retention';
    if (r['disposed_at'] !== null || !['received', 'complete'].includes(r['status'] as string)) return 'errors.sample_transition_not_allowed';
    if ((r['keep_until'] as string) > today) return 'errors.retention_not_due';
    return null;
  }

  /** Disposal of a retention sample: a QA manager's signature `disposed` (password re-entered), with the reason. */
  async dispose(signerId: string, code: string, reason: string, signature: { password: string; meaning: string }): Promise<SampleView> {
    const r = this.mustSample(code);
    const why = this.canDispose(r, this.localDate(this.ledger.now()));
    if (why === 'errors.sample_not_retention') fail('invalid_input', { code }, why);
    if (why === 'errors.retention_not_due') fail('conflict', { code, keepUntil: r['keep_until'] }, why);
    if (why) this.transitionRefused(r, 'dispose');
    if (signature.meaning !== 'disposed') fail('invalid_input', { field: 'signature.meaning', expected: 'disposed' }, 'errors.signature_meaning_mismatch');
    const signer = await this.identity.authenticateSigner(signerId, signature.password);
    return this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(S.sample, r.id)!;
      if (cur.rev !== r.rev) fail('conflict', { code }, 'errors.stale_record');
      w.update(S.sample, r.id, { disposed_at: w.at }, { reason });
      this.event(w, r.id, 'disposed', null, reason);
      this.identity.sign(w, signer, { def: S.sample, id: r.id }, { meaning: 'disposed', comment: reason });
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  /**
   * Finished lots without a retention sample. Rejected lots are left out (never sold), and
   * so are lots whose retention period is over (expiry + margin before today: ERP history).
   */
  retentionMissingList(f: { lotCode?: string | undefined; offset: number; limit: number }) {
    const cutoff = addDays(this.localDate(this.ledger.now()), -this.retentionMarginDays);
    const where = [
      "l.kind = 'finished'",
      'l.retired = 0',
      "l.status <> 'rejected'",
      '(l.expiry_date IS NULL OR substr(l.expiry_date, 1, 10) >= ?)',
      "NOT EXISTS (SELECT 1 FROM sample s WHERE s.lot_code = l.code AND s.kind = 'retention' AND s.status <> 'cancelled' AND s.retired = 0)",
    ];
    const params: unknown[] = [cutoff];
    if (f.lotCode) {
      where.push('l.code = ?');
      params.push(f.lotCode);
    }
    const w = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM lot l WHERE ${w}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM lot l WHERE ${w} ORDER BY l.lot_date DESC, l.code DESC LIMIT ? OFFSET ?`).all(...params, f.limit, f.offset) as Row[];
    return {
      total,
      lots: rows.map((l) => ({
        code: l['code'] as string,
        itemCode: l['item_code'] as string,
        itemName: l['item_name'] as string,
        date: l['lot_date'] as string,
        status: l['status'] as string,
        expiryDate: (l['expiry_date'] as string | null) ?? null,
      })),
    };
  }

  /** Is this finished lot missing its retention sample (the flag on its page)? */
  retentionMissing(lotCode: string): boolean {
    return this.retentionMissingList({ lotCode, offset: 0, limit: 1 }).total > 0;
  }

  // ------------------------------------------------------------------ sampling sites

  siteView(site: Row): SiteView {
    const schedules = this.db.prepare('SELECT * FROM site_schedule WHERE site_id = ? AND retired = 0 ORDER BY next_due').all(site.id) as Row[];
    return {
      id: site.id,
      rev: site.rev,
      code: site['code'] as string,
      name_zh: site['name_zh'] as string,
      name_en: site['name_en'] as string,
      kind: site['kind'] as 'environment' | 'water',
      zone: (site['zone'] as number | null) ?? null,
      line: (site['line'] as string | null) ?? null,
      room: (site['room'] as string | null) ?? null,
      active: site['active'] === 1,
      schedules: schedules.map((s) => ({
        id: s.id,
        siteId: s['site_id'] as string,
        frequencyDays: s['frequency_days'] as number,
        nextDue: s['next_due'] as string,
        targets: splitTargets(s['targets']),
        active: s['active'] === 1,
      })),
    };
  }

  sites(f: { kind?: string | undefined; includeInactive?: boolean | undefined; search?: string | undefined }): SiteView[] {
    const where: string[] = ['retired = 0'];
    const params: unknown[] = [];
    if (!f.includeInactive) where.push('active = 1');
    if (f.kind) {
      where.push('kind = ?');
      params.push(f.kind);
    }
    if (f.search) {
      where.push("(code LIKE ? ESCAPE '\\' OR name_zh LIKE ? ESCAPE '\\' OR name_en LIKE ? ESCAPE '\\' OR line LIKE ? ESCAPE '\\' OR room LIKE ? ESCAPE '\\')");
      const like = `%${f.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      params.push(like, like, like, like, like);
    }
    const rows = this.db.prepare(`SELECT * FROM sampling_site WHERE ${where.join(' AND ')} ORDER BY zone, code LIMIT 5000`).all(...params) as Row[];
    return rows.map((r) => this.siteView(r));
  }

  /** Create (no id) or update (with a reason). Codes and kinds never change; sites are deactivated, not deleted. */
  saveSite(
    actor: Actor,
    i: {
      id?: string | undefined;
      fields: { code: string; name_zh: string; name_en: string; kind: 'environment' | 'water'; zone: number | null; line: string | null; room: string | null; active: boolean };
      reason?: string | undefined;
    },
  ): SiteView {
    const f = i.fields;
    // Hygiene zones (1 product contact … 4 outside) classify environmental sites only.
    if (f.kind === 'environment' && f.zone === null) fail('invalid_input', { field: 'zone' }, 'errors.site_zone_required');
    if (f.kind === 'water' && f.zone !== null) fail('invalid_input', { field: 'zone' }, 'errors.site_zone_not_allowed');
    const row = { code: f.code, name_zh: f.name_zh, name_en: f.name_en, kind: f.kind, zone: f.zone, line: f.line, room: f.room, active: f.active ? 1 : 0 };
    return this.ledger.write(actor, (w) => {
      const existing = this.db.prepare('SELECT id FROM sampling_site WHERE code = ?').get(f.code) as { id: string } | undefined;
      if (!i.id) {
        if (existing) fail('conflict', { code: f.code, entity: 'sampling_site' }, 'errors.code_taken');
        return this.siteView(w.create(S.site, row));
      }
      const before = w.get(S.site, i.id);
      if (!before) fail('not_found', { entity: 'sampling_site', id: i.id }, 'errors.site_not_found');
      if (before['code'] !== f.code) fail('invalid_input', { field: 'code' }, 'errors.code_immutable');
      if (before['kind'] !== f.kind) fail('invalid_input', { field: 'kind' }, 'errors.site_kind_immutable');
      if (!i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
      return this.siteView(w.update(S.site, i.id, row, { reason: i.reason }));
    });
  }

  saveSchedule(
    actor: Actor,
    i: { id?: string | undefined; siteId: string; frequencyDays: number; nextDue: string; targets: string[]; active: boolean; reason?: string | undefined },
  ): SiteView {
    const site = this.ledger.get(S.site, i.siteId);
    if (!site || site.retired) fail('not_found', { entity: 'sampling_site', id: i.siteId }, 'errors.site_not_found');
    const row = { site_id: i.siteId, frequency_days: i.frequencyDays, next_due: i.nextDue, targets: [...new Set(i.targets)].join(','), active: i.active ? 1 : 0 };
    return this.ledger.write(actor, (w) => {
      if (!i.id) {
        w.create(S.siteSchedule, row);
      } else {
        const before = w.get(S.siteSchedule, i.id);
        if (!before || before['site_id'] !== i.siteId) fail('not_found', { entity: 'site_schedule', id: i.id }, 'errors.schedule_not_found');
        if (!i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
        w.update(S.siteSchedule, i.id, row, { reason: i.reason });
      }
      return this.siteView(w.get(S.site, i.siteId)!);
    });
  }

  /** Swabs and water samples due on a date: active schedules of active sites, next_due ≤ date; zone 1 first. */
  due(date?: string) {
    const d = date ?? this.localDate(this.ledger.now());
    const rows = this.db
      .prepare(
        `SELECT sc.*, st.code AS site_code, st.name_zh, st.name_en, st.kind, st.zone, st.line, st.room
         FROM site_schedule sc JOIN sampling_site st ON st.id = sc.site_id
         WHERE sc.active = 1 AND sc.retired = 0 AND st.active = 1 AND st.retired = 0 AND sc.next_due <= ?
         ORDER BY st.zone IS NULL, st.zone, sc.next_due, st.code`,
      )
      .all(d) as Array<Row & Record<string, Value>>;
    return rows.map((r) => ({
      scheduleId: r.id,
      siteId: r['site_id'] as string,
      siteCode: r['site_code'] as string,
      nameZh: r['name_zh'] as string,
      nameEn: r['name_en'] as string,
      kind: r['kind'] as 'environment' | 'water',
      zone: (r['zone'] as number | null) ?? null,
      line: (r['line'] as string | null) ?? null,
      room: (r['room'] as string | null) ?? null,
      targets: splitTargets(r['targets']),
      frequencyDays: r['frequency_days'] as number,
      nextDue: r['next_due'] as string,
      overdueDays: Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${r['next_due'] as string}T00:00:00Z`)) / DAY_MS),
    }));
  }

  // ------------------------------------------------------------------ scanner

  /**
   * What a scanned code opens: a sample first, then a lot. Both lookups use a UNIQUE index
   * on code. A scanner in the wrong keyboard case sends lower case: tried upper-cased too.
   */
  lookup(raw: string): { type: 'sample' | 'lot'; code: string } {
    const code = raw.trim();
    for (const c of code === code.toUpperCase() ? [code] : [code, code.toUpperCase()]) {
      const s = this.db.prepare('SELECT code FROM sample WHERE code = ?').get(c) as { code: string } | undefined;
      if (s) return { type: 'sample', code: s.code };
      const l = this.db.prepare('SELECT code FROM lot WHERE code = ?').get(c) as { code: string } | undefined;
      if (l) return { type: 'lot', code: l.code };
    }
    fail('not_found', { code }, 'errors.scan_unknown');
  }
}
