import type { z } from 'zod';
import type { readOutcomeSchema } from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import type { Locale } from '../../shared/i18n';
import { translate } from '../../shared/i18n';
import { entryUnit, isPlanItem } from '../../shared/rules';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { asResult, T, type ResultRecord, type TestingService } from '../testing';
import { type Frame, InstrumentError } from './connections';
import type { Parsed } from './drivers/types';
import { IN } from './entities';
import { readOutcome } from './outcome';
import { asCapture, asInstrument, type CaptureRecord, type InstrumentRecord, printConfigOf } from './queries';
import type { InstrumentRegistry } from './registry';
import type { Converted, InstrumentRules } from './rules';
import { b64, type CaptureView, captureView } from './views';

type ReadOutcome = z.infer<typeof readOutcomeSchema>;
type ResultRowView = ReturnType<TestingService['view']>;
type Refused = { resultId: string | null; sampleCode: string | null };

const EDITABLE = new Set(['pending', 'entered', 'returned']);

/** One result a reading or a record fills. */
interface Fill {
  result: ResultRecord;
  field: string | null;
  read: { value: string; unit: string };
  converted: Converted;
}

/**
 * Test seams for the check-then-act races of issue 19 §7: awaited between the frame's arrival
 * and the write, so a test can commit the change that must stop the write at exactly that
 * point (no sleeps). Never set outside tests.
 */
export interface InstrumentsTestHooks {
  afterFrame?: (instrumentId: string) => Promise<void>;
}

/**
 * What a signed frame adds to the capture it becomes (D-095): the capture time from the frame
 * (the workstation's clock) instead of the transaction's, and the frame's own record, written in
 * the same transaction as the captures (or the refused frame's evidence) it produced.
 */
export interface FrameSeal {
  capturedAt: number;
  /** The port the workstation read through. */
  port: string | null;
  record(w: LedgerWriter, outcome: ReadOutcome, captureIds: string[]): void;
}

/** What a capture needs of testing (its front door). */
export type CaptureTesting = Pick<TestingService, 'row' | 'item' | 'views' | 'applyCapture' | 'standingOfSample'>;

/**
 * Captures (issues 10 §5, 20 §1): what a frame says (a reading, a record, or why it is
 * refused), readings and print-format records into results with the raw bytes as the
 * original record, check readings, and refused frames kept as evidence (D-057).
 */
export class InstrumentCapture {
  constructor(
    private readonly ledger: Ledger,
    private readonly registry: InstrumentRegistry,
    private readonly rules: InstrumentRules,
    private readonly results: CaptureTesting,
    /** The test seams (InstrumentsService.hooks), read at each capture. */
    private readonly hooks: () => InstrumentsTestHooks = () => ({}),
  ) {}

  private get connections() {
    return this.registry.connections;
  }

  /** What a frame says, for the user: a reading or a record, or why it is refused (translated). */
  outcome(frame: Frame | null, locale: Locale, error?: 'timeout' | 'port_error'): ReadOutcome {
    return readOutcome(frame, locale, error);
  }

  async frameFor(
    r: InstrumentRecord,
    readingId: string | undefined,
  ): Promise<{ frame: Frame | null; error?: 'timeout' | 'port_error' }> {
    if (readingId) {
      const f = this.connections.recentReading(r.id, readingId);
      if (!f) fail('conflict', { instrument: r.code }, 'errors.instrument_reading_gone');
      return { frame: f };
    }
    try {
      return { frame: await this.connections.readOnce(r.id) };
    } catch (e) {
      if (e instanceof InstrumentError && e.code === 'timeout') return { frame: null, error: 'timeout' };
      this.registry.instrumentFailure(e, r);
    }
  }

  private settingsJson(r: InstrumentRecord, seal?: FrameSeal): string {
    return JSON.stringify({
      port: seal ? seal.port : this.connections.state(r.id).port,
      driver: r.driver,
      ...this.registry.settingsOf(r),
    });
  }

  private captureRow(
    w: LedgerWriter,
    r: InstrumentRecord,
    frame: Frame,
    purpose: 'result' | 'check' | 'read',
    resultId: string | null,
    replicateIndex: number | null,
    fill?: Fill,
    seal?: FrameSeal,
  ): CaptureRecord {
    const p = frame.parsed;
    const read =
      fill?.read ??
      (p.kind === 'reading'
        ? { value: p.value, unit: p.unit }
        : p.kind === 'record'
          ? (Object.values(p.fields)[0] ?? { value: '', unit: '' })
          : { value: '', unit: '' });
    const value = fill?.converted.value ?? read.value;
    const unit = fill ? entryUnit(this.results.item(fill.result)) : read.unit;
    return asCapture(
      w.create(IN.capture, {
        instrument_id: r.id,
        result_id: resultId,
        replicate_index: replicateIndex,
        purpose,
        raw: b64(frame.raw),
        value,
        unit,
        stable: p.kind === 'reading' ? (p.stable ? 1 : 0) : 1,
        settings: this.settingsJson(r, seal),
        at: seal?.capturedAt ?? w.at,
        by_user: w.actor.id,
        status: 'used',
        typed_over_reason: null,
        flagged: 0,
        flag_reason: null,
        field: fill?.field ?? null,
        read_value: read.value,
        read_unit: read.unit,
        conversion: fill?.converted.conversion ? JSON.stringify(fill.converted.conversion) : null,
        record:
          p.kind === 'record'
            ? JSON.stringify({ fields: p.fields, sampleId: p.sampleId ?? null, status: p.status ?? null })
            : null,
        raw_format: 'as_received',
      }),
    );
  }

  /** A refused frame kept as evidence (D-057): the bytes as received and why. */
  private refusedRow(
    w: LedgerWriter,
    r: InstrumentRecord,
    frame: Frame,
    purpose: 'result' | 'check',
    outcome: ReadOutcome,
    target: Refused,
    seal?: FrameSeal,
  ): void {
    const detail =
      frame.parsed.kind === 'error'
        ? frame.parsed.detail
        : outcome.message && outcome.error !== 'unstable'
          ? translate('en', `instrumentReading.${outcome.error}`, {
              detail: '',
              unit: outcome.unit ?? '',
              expected: '',
            })
          : null;
    w.create(IN.frame, {
      instrument_id: r.id,
      purpose,
      result_id: target.resultId,
      sample_code: target.sampleCode,
      raw: b64(frame.raw),
      error: outcome.error ?? 'garbage',
      detail: detail ? detail.slice(0, 500) : null,
      settings: this.settingsJson(r, seal),
      at: seal?.capturedAt ?? w.at,
      by_user: w.actor.id,
    });
  }

  private refuseWithEvidence(
    actor: Actor,
    r: InstrumentRecord,
    frame: Frame | null,
    purpose: 'result' | 'check',
    outcome: ReadOutcome,
    target: Refused,
    seal?: FrameSeal,
  ): void {
    // A timeout brought no bytes: nothing to keep (a signed frame is still recorded as refused).
    if ((!frame || frame.raw.length === 0) && !seal) return;
    this.ledger.write(actor, (w) => {
      // The instrument may have been retired meanwhile; evidence is kept all the same.
      if (frame && frame.raw.length > 0) this.refusedRow(w, r, frame, purpose, outcome, target, seal);
      seal?.record(w, outcome, []);
    });
  }

  private refusal(
    locale: Locale,
    outcome: ReadOutcome,
    code: ReadOutcome['error'] & string,
    details: Record<string, string>,
  ) {
    return {
      ...outcome,
      ok: false,
      error: code,
      message: translate(locale, `instrumentReading.${code}`, details),
    };
  }

  /** The results a record fills: each mapped field whose item is planned on the sample. */
  private recordFills(
    r: InstrumentRecord,
    record: Extract<Parsed, { kind: 'record' }>,
    sampleCode: string,
  ): { fills: Fill[]; unused: string[]; badUnit: Array<{ item: string; unit: string; expected: string }> } {
    const cfg = printConfigOf(r);
    const rows = this.results.standingOfSample(sampleCode);
    const byItem = new Map(rows.map((x) => [x.item_code, x]));
    const fills: Fill[] = [];
    const unused: string[] = [];
    const badUnit: Array<{ item: string; unit: string; expected: string }> = [];
    const taken = new Set<string>();
    for (const f of cfg?.fields ?? []) {
      const got = record.fields[f.analyte];
      if (!got) continue;
      const res = f.item ? byItem.get(f.item) : undefined;
      if (!res || taken.has(res.id)) {
        unused.push(f.analyte);
        continue;
      }
      const item = this.results.item(res);
      const expected = entryUnit(item);
      const converted = this.rules.convert(got.value, got.unit, expected, item.method_code);
      if (!converted) {
        badUnit.push({ item: res.item_code, unit: got.unit, expected });
        continue;
      }
      taken.add(res.id);
      fills.push({ result: res, field: f.analyte, read: got, converted });
    }
    for (const k of Object.keys(record.fields)) if (!cfg?.fields.some((f) => f.analyte === k)) unused.push(k);
    return { fills, unused, badUnit };
  }

  /**
   * A reading into a result, or a print-format record into the results of a sample (issue 10
   * §5, issue 20 §1): the instrument must be unlocked, the reading stable, in the result's
   * unit or one the method converts; a record fills every result its mapped fields name, all
   * or nothing, each with its capture (raw bytes and all) in one transaction. A refused frame
   * is kept as evidence; nothing else is written. The lock is evaluated again inside the
   * write transaction, after the frame arrived (issue 19 §7).
   */
  async capture(
    actor: Actor,
    locale: Locale,
    i: {
      instrumentId: string;
      resultId?: string | undefined;
      sampleCode?: string | undefined;
      replicateIndex: number;
      readingId?: string | undefined;
    },
  ) {
    const r = this.registry.row(i.instrumentId);
    const { focus, sampleCode } = this.target(r, i);
    const { frame, error } = await this.frameFor(r, i.readingId);
    await this.hooks().afterFrame?.(r.id);
    return this.fill(actor, locale, r, { ...i, focus, sampleCode }, frame, error);
  }

  /** Where a capture goes (a result, or a sample's results), checked before any frame is read. */
  target(
    r: InstrumentRecord,
    i: { resultId?: string | null | undefined; sampleCode?: string | null | undefined },
    at?: number,
  ): { focus: ResultRecord | null; sampleCode: string } {
    this.rules.mustBeUnlocked(r, at);
    const focus = i.resultId ? asResult(this.results.row(i.resultId)) : null;
    const sampleCode = focus ? focus.sample_code : i.sampleCode!;
    if (!focus && this.results.standingOfSample(sampleCode).length === 0)
      fail('not_found', { entity: 'sample', id: sampleCode }, 'errors.sample_not_found');
    return { focus, sampleCode };
  }

  /**
   * A frame that arrived at the bench, signed (D-095), into the results it names: the same rules
   * as a capture made here, on the frame's own bytes re-parsed by the record's driver
   * (frames.ts). The instrument's lock is judged at the frame's capture time.
   */
  captureFrame(
    actor: Actor,
    locale: Locale,
    r: InstrumentRecord,
    i: { resultId: string | null; sampleCode: string | null; replicateIndex: number },
    frame: Frame,
    seal: FrameSeal,
  ) {
    const { focus, sampleCode } = this.target(r, i, seal.capturedAt);
    return this.fill(actor, locale, r, { replicateIndex: i.replicateIndex, focus, sampleCode }, frame, undefined, seal);
  }

  private fill(
    actor: Actor,
    locale: Locale,
    r: InstrumentRecord,
    i: { replicateIndex: number; focus: ResultRecord | null; sampleCode: string },
    frame: Frame | null,
    error: 'timeout' | 'port_error' | undefined,
    seal?: FrameSeal,
  ) {
    const { focus, sampleCode } = i;
    const none = {
      capture: null,
      captures: [] as CaptureView[],
      unused: [] as string[],
      changed: [] as ResultRowView[],
    };
    let outcome = this.outcome(frame, locale, error);
    const target = { resultId: focus?.id ?? null, sampleCode };
    if (!outcome.ok) {
      this.refuseWithEvidence(actor, r, frame, 'result', outcome, target, seal);
      return { outcome, ...none };
    }
    const p = frame!.parsed;
    let fills: Fill[] = [];
    let unused: string[] = [];
    if (p.kind === 'record') {
      const cfg = printConfigOf(r);
      if (cfg?.checkSampleId && p.sampleId && p.sampleId.toUpperCase() !== sampleCode.toUpperCase()) {
        outcome = this.refusal(locale, outcome, 'sample_mismatch', { got: p.sampleId, expected: sampleCode });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target, seal);
        return { outcome, ...none };
      }
      const planned = this.recordFills(r, p, sampleCode);
      if (planned.badUnit.length) {
        const b = planned.badUnit[0]!;
        outcome = this.refusal(locale, outcome, 'wrong_unit', { unit: `${b.unit} (${b.item})`, expected: b.expected });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target, seal);
        return { outcome, ...none };
      }
      if (planned.fills.length === 0) {
        outcome = this.refusal(locale, outcome, 'no_items', { sample: sampleCode });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target, seal);
        return { outcome, ...none };
      }
      fills = planned.fills;
      unused = planned.unused;
    } else {
      if (!focus) {
        outcome = this.refusal(locale, outcome, 'no_items', { sample: sampleCode });
        if (seal) this.refuseWithEvidence(actor, r, null, 'result', outcome, target, seal);
        return { outcome, ...none };
      }
      const item = this.results.item(focus);
      const expected = entryUnit(item);
      const converted = this.rules.convert(outcome.value!, outcome.unit!, expected, item.method_code);
      if (!converted) {
        outcome = this.refusal(locale, outcome, 'wrong_unit', { unit: outcome.unit!, expected });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target, seal);
        return { outcome, ...none };
      }
      fills = [{ result: focus, field: null, read: { value: outcome.value!, unit: outcome.unit! }, converted }];
    }
    return this.ledger.write(actor, (w) => {
      // Guards again, inside the transaction that acts on them (issue 19 §7): the instrument
      // may have been locked (a failed check) since the frame was asked for.
      const cur = asInstrument(w.get(IN.instrument, r.id));
      if (!cur || cur.retired) fail('not_found', { entity: 'instrument', id: r.id }, 'errors.instrument_not_found');
      this.rules.mustBeUnlocked(cur, seal?.capturedAt ?? w.at);
      const captures: CaptureView[] = [];
      const changed = new Map<string, ResultRowView>();
      for (const [n, f] of fills.entries()) {
        const res = asResult(w.get(T.result, f.result.id)!);
        const item = this.results.item(res);
        if (res.retired || res.status === 'invalidated')
          fail('not_found', { entity: 'test_result', id: res.id }, 'errors.result_not_found');
        if (!EDITABLE.has(res.status))
          fail('conflict', { item: res.item_code, status: res.status }, 'errors.result_submitted_use_correct');
        if (res.calculated === 1 || isPlanItem(item))
          fail('conflict', { item: res.item_code }, 'errors.capture_item_not_measured');
        const c = this.captureRow(w, cur, frame!, 'result', res.id, i.replicateIndex, f, seal);
        captures.push(captureView(c));
        // One recomputation of the sample, after the record's last result.
        const last = n === fills.length - 1;
        for (const v of this.results.applyCapture(w, res.id, i.replicateIndex, f.converted.value, cur.code, {
          captureId: c.id,
          recompute: last,
          edited: new Set(fills.map((x) => x.result.id)),
        }))
          changed.set(v.id, v);
      }
      const rest = fills.filter((f) => !changed.has(f.result.id)).map((f) => w.get(T.result, f.result.id)!);
      for (const v of this.results.views(rest)) changed.set(v.id, v);
      seal?.record(
        w,
        outcome,
        captures.map((c) => c.id),
      );
      return { outcome, capture: captures[0] ?? null, captures, unused, changed: [...changed.values()] };
    });
  }

  /** A reading as evidence for a daily check point (a reading the instrument printed: `readingId`). */
  async read(actor: Actor, locale: Locale, id: string, readingId?: string) {
    const r = this.registry.row(id);
    const { frame, error } = await this.frameFor(r, readingId);
    await this.hooks().afterFrame?.(r.id);
    return this.checkReading(actor, locale, r, frame, error);
  }

  /**
   * A daily-check reading signed at a site workstation (D-109): the frame's bytes re-parsed by
   * the record's driver (frames.ts), stored as a `check` capture at the frame's capture time,
   * with the frame's own record in the same transaction (or kept as refused evidence).
   */
  checkFrame(actor: Actor, locale: Locale, r: InstrumentRecord, frame: Frame, seal: FrameSeal) {
    const out = this.checkReading(actor, locale, r, frame, undefined, seal);
    return { outcome: out.outcome, captures: out.capture ? [out.capture] : [], unused: [], changed: [] };
  }

  private checkReading(
    actor: Actor,
    locale: Locale,
    r: InstrumentRecord,
    frame: Frame | null,
    error: 'timeout' | 'port_error' | undefined,
    seal?: FrameSeal,
  ): { outcome: ReadOutcome; capture: CaptureView | null } {
    const outcome = this.outcome(frame, locale, error);
    if (!outcome.ok) {
      this.refuseWithEvidence(actor, r, frame, 'check', outcome, { resultId: null, sampleCode: null }, seal);
      return { outcome, capture: null };
    }
    return this.ledger.write(actor, (w) => {
      const cur = asInstrument(w.get(IN.instrument, r.id));
      if (!cur || cur.retired || cur.active !== 1) fail('conflict', { code: r.code }, 'errors.instrument_inactive');
      const c = this.captureRow(w, cur, frame!, 'check', null, null, undefined, seal);
      seal?.record(w, outcome, [c.id]);
      return { outcome, capture: captureView(c) };
    });
  }
}
