import type { z } from 'zod';
import type { lockSchema, methodInstrumentViewSchema } from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import { translate, type Locale } from '../../shared/i18n';
import { fromLabDecimal, LabDecimal } from '../../shared/rules';
import type { Row } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from '../lots';
import { asResult } from '../testing';
import { IN } from './entities';
import {
  asMethodInstrument,
  type Conversion,
  conversionsOf,
  instrumentQueries,
  type InstrumentQueries,
  type InstrumentRecord,
  type MethodInstrumentRecord,
} from './queries';
import { iso } from './views';

type Lock = z.infer<typeof lockSchema>;
export type MethodInstrumentView = z.infer<typeof methodInstrumentViewSchema>;
export type { Conversion } from './queries';

const HOUR = 3_600_000;

const norm = (u: string) => u.toLowerCase().replace(/\s+/g, '');

/** Units that mean the same for capture: '%' from a moisture or milk analyser is g/100 g. */
export function unitsCompatible(reading: string, expected: string): boolean {
  const a = norm(reading);
  const b = norm(expected);
  if (a === b) return true;
  const massFraction = new Set(['%', 'g/100g', '%mc', '%w/w']);
  return massFraction.has(a) && massFraction.has(b);
}

/** Conversions that are a change of SI prefix only, so no method has to name them. */
const PREFIX: Array<{ from: string; to: string; factor: string }> = [{ from: 'm°c', to: '°c', factor: '0.001' }];

/** What a reading becomes in a result's entry unit: as read, by an SI prefix, or by the method's conversion. */
export interface Converted {
  value: string;
  /** The conversion applied (null: the reading is already in the entry unit). */
  conversion: (Conversion & { method: string | null }) | null;
}

/** An exact decimal of a checked decimal string. */
export function dec(text: string): LabDecimal {
  return new LabDecimal(text);
}

/** value × factor + offset, exactly. */
export function applyConversion(value: string, factor: string, offset: string): string {
  return fromLabDecimal(dec(value).times(dec(factor)).plus(dec(offset)));
}

/**
 * Instrument rules every path shares (issue 19 §5, D-058): whether an instrument is locked,
 * what a test method names about instruments, and the guard that a value — typed or
 * captured — names an unlocked instrument of the method's kind. Its checks read the
 * database through the ledger's connection, so called inside a write transaction they see
 * that transaction's state (issue 19 §7).
 */
export class InstrumentRules {
  private readonly q: InstrumentQueries;

  constructor(
    private readonly ledger: Ledger,
    q?: InstrumentQueries,
  ) {
    this.q = q ?? instrumentQueries(ledger.db);
  }

  /** The capability's statements (one set per opened database, shared by its services). */
  get queries(): InstrumentQueries {
    return this.q;
  }

  /** Locked when inactive, the calibration is missing, failed or overdue, or the daily check is missing, expired or failed. */
  lock(r: InstrumentRecord, now = this.ledger.now()): Lock {
    const reasons: Lock['reasons'] = [];
    const today = localDate(this.ledger.timeZone, now);
    const cal = this.q.latestEvent(r.id, 'calibration');
    const calibrationDue = cal?.due_on ?? null;
    if (r.active !== 1) reasons.push({ key: 'instrumentLock.inactive', details: {} });
    if (!cal) reasons.push({ key: 'instrumentLock.calibration_missing', details: {} });
    else if (cal.passed !== 1)
      reasons.push({
        key: 'instrumentLock.calibration_failed',
        details: { on: iso(cal.performed_at).slice(0, 10) },
      });
    else if (calibrationDue && calibrationDue < today)
      reasons.push({ key: 'instrumentLock.calibration_overdue', details: { due: calibrationDue } });
    const check = this.q.latestEvent(r.id, 'daily_check');
    const interval = r.check_interval_hours;
    if (interval > 0) {
      if (!check) reasons.push({ key: 'instrumentLock.check_missing', details: {} });
      else if (check.passed !== 1)
        reasons.push({ key: 'instrumentLock.check_failed', details: { at: iso(check.performed_at) } });
      else if (check.performed_at + interval * HOUR < now)
        reasons.push({
          key: 'instrumentLock.check_expired',
          details: { at: iso(check.performed_at), hours: String(interval) },
        });
    }
    return {
      locked: reasons.length > 0,
      reasons,
      calibrationDue,
      lastCheckAt: iso(check?.performed_at),
      lastCheckPassed: check ? check.passed === 1 : null,
    };
  }

  /** The lock's reasons as one sentence in a language. */
  lockText(lock: Lock, locale: Locale): string {
    return lock.reasons.map((x) => translate(locale, x.key, x.details)).join(locale === 'zh-CN' ? '；' : '; ');
  }

  /** Refuses (instrument_locked, in both languages) when the instrument is locked now. */
  mustBeUnlocked(r: InstrumentRecord, now = this.ledger.now()): void {
    const lock = this.lock(r, now);
    if (!lock.locked) return;
    fail(
      'conflict',
      {
        instrument: r.code,
        reasons: this.lockText(lock, 'en'),
        reasons_en: this.lockText(lock, 'en'),
        reasons_zh: this.lockText(lock, 'zh-CN'),
      },
      'errors.instrument_locked',
    );
  }

  /** A registered instrument by id or code (case-insensitive), or undefined. */
  byRef(ref: string): InstrumentRecord | undefined {
    const t = ref.trim();
    if (!t) return undefined;
    return this.q.byId(t) ?? this.q.byCode(t);
  }

  methodView(r: MethodInstrumentRecord): MethodInstrumentView {
    return {
      id: r.id,
      rev: r.rev,
      methodCode: r.method_code,
      instrumentKind: r.instrument_kind,
      conversions: conversionsOf(r),
      note: r.note ?? null,
    };
  }

  /** What a method names about instruments, or null. */
  methodRule(methodCode: string | null | undefined): MethodInstrumentView | null {
    if (!methodCode) return null;
    const r = this.q.methodRule(methodCode);
    return r ? this.methodView(r) : null;
  }

  methodRules(): MethodInstrumentView[] {
    return this.q.methodRules().map((r) => this.methodView(r));
  }

  /**
   * A reading in `unit` as a value in `entryUnit` for an item of `methodCode`: unchanged when
   * the units agree (% = g/100 g), an SI-prefix change (m°C → °C), or the method's named
   * conversion (m°H → °C); null when nothing converts it.
   */
  convert(value: string, unit: string, entryUnit: string, methodCode: string | null): Converted | null {
    if (unitsCompatible(unit, entryUnit)) return { value, conversion: null };
    const rule = this.methodRule(methodCode);
    const named = rule?.conversions.find(
      (c) => norm(c.from) === norm(unit) && (c.to === undefined || c.to === null || unitsCompatible(c.to, entryUnit)),
    );
    if (named)
      return {
        value: applyConversion(value, named.factor, named.offset ?? '0'),
        conversion: { ...named, to: named.to ?? entryUnit, method: rule!.methodCode },
      };
    const prefix = PREFIX.find((p) => p.from === norm(unit) && p.to === norm(entryUnit));
    if (prefix)
      return {
        value: applyConversion(value, prefix.factor, '0'),
        conversion: { from: unit, to: entryUnit, factor: prefix.factor, offset: '0', note: 'SI prefix', method: null },
      };
    return null;
  }

  /**
   * The instrument a value of `result` names (issue 19 §5), checked inside the transaction
   * that writes the value: when the result's method names an instrument kind, the value must
   * name an instrument of that kind; any registered instrument it names must be active and
   * unlocked now. Returns the instrument reference to store (the registry's code when the
   * reference is a registered instrument).
   */
  checkValue(_w: LedgerWriter, result: Row, instrumentRef: string | null, now = this.ledger.now()): string | null {
    const res = asResult(result);
    const rule = this.methodRule(res.method_code);
    const kindNames = (key: string, kind: string) => ({
      [`${key}_en`]: translate('en', `instruments.kinds.${kind}`),
      [`${key}_zh`]: translate('zh-CN', `instruments.kinds.${kind}`),
    });
    const ref = instrumentRef?.trim() || null;
    const ins = ref ? this.byRef(ref) : undefined;
    if (rule) {
      if (!ref)
        fail(
          'invalid_input',
          {
            field: 'instrumentId',
            item: res.item_code,
            method: rule.methodCode,
            kind: rule.instrumentKind,
            ...kindNames('kind', rule.instrumentKind),
          },
          'errors.instrument_required_for_method',
        );
      if (!ins)
        fail(
          'invalid_input',
          {
            field: 'instrumentId',
            instrument: ref,
            method: rule.methodCode,
            expected: rule.instrumentKind,
            ...kindNames('expected', rule.instrumentKind),
          },
          'errors.instrument_not_registered',
        );
      if (ins.kind !== rule.instrumentKind)
        fail(
          'conflict',
          {
            field: 'instrumentId',
            instrument: ins.code,
            kind: ins.kind,
            method: rule.methodCode,
            expected: rule.instrumentKind,
            ...kindNames('kind', ins.kind),
            ...kindNames('expected', rule.instrumentKind),
          },
          'errors.instrument_wrong_kind',
        );
    }
    if (!ins) return ref;
    this.mustBeUnlocked(ins, now);
    return ins.code;
  }

  /** A method's instrument rule, created or changed (with a reason) by a QA manager. */
  saveMethodRule(
    w: LedgerWriter,
    i: {
      methodCode: string;
      instrumentKind: string;
      conversions: Conversion[];
      note: string | null;
      reason?: string | undefined;
    },
  ): MethodInstrumentView {
    // factor and offset are decimal strings (the contract checks them).
    for (const c of i.conversions) {
      if (dec(c.factor).isZero())
        fail('invalid_input', { field: 'conversions.factor', value: c.factor }, 'errors.conversion_factor_zero');
    }
    if (new Set(i.conversions.map((c) => norm(c.from))).size !== i.conversions.length)
      fail('invalid_input', { field: 'conversions' }, 'errors.conversion_duplicate');
    // Any method code may carry a rule (specification items, intake panels and catalogue
    // methods all name methods); a rule for a code nothing uses changes nothing.
    const existing = this.q.methodRuleAny(i.methodCode);
    const fields = {
      method_code: i.methodCode,
      instrument_kind: i.instrumentKind,
      conversions: JSON.stringify(
        i.conversions.map((c) => ({
          from: c.from,
          to: c.to ?? null,
          factor: c.factor,
          offset: c.offset ?? '0',
          note: c.note ?? null,
        })),
      ),
      note: i.note,
    };
    if (existing) {
      if (!i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
      return this.methodView(
        asMethodInstrument(w.update(IN.methodInstrument, existing.id, fields, { reason: i.reason })),
      );
    }
    return this.methodView(asMethodInstrument(w.create(IN.methodInstrument, fields)));
  }
}
