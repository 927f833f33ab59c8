import type { LedgerWriter } from '../ledger/ledger';
import { L } from './entities';
import { asCodeSequence } from './queries';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The workstation-local calendar date of an instant, as parts (codes and "today" use the local day). */
export function localDateParts(timeZone: string, at: number): { yyyy: string; MM: string; dd: string } {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { yyyy: get('year'), MM: get('month'), dd: get('day') };
}

/** The workstation-local date of an instant, YYYY-MM-DD. */
export function localDate(timeZone: string, at: number): string {
  const d = localDateParts(timeZone, at);
  return `${d.yyyy}-${d.MM}-${d.dd}`;
}

/**
 * The next code of a pattern such as `RM-{yyyyMMdd}-{seq}` or `S{yyMMdd}-{seq4}`: date
 * tokens {yyyyMMdd} {yyMMdd} {yyyy} {yy} {MM} {dd} take the workstation-local date of the
 * transaction; {seq} (or {seqN}, N digits) is a daily counter kept as a ledgered
 * `code_sequence` record inside the caller's write transaction (BEGIN IMMEDIATE), so two
 * registrations never get the same code, on this workstation or another. A code already
 * taken (e.g. entered by hand) is skipped.
 */
export function nextSequencedCode(
  w: LedgerWriter,
  opts: { namespace: string; pattern: string; timeZone: string; seqDigits: number; taken: (code: string) => boolean },
): string {
  const d = localDateParts(opts.timeZone, w.at);
  const stem = opts.pattern
    .replace('{yyyyMMdd}', `${d.yyyy}${d.MM}${d.dd}`)
    .replace('{yyMMdd}', `${d.yyyy.slice(2)}${d.MM}${d.dd}`)
    .replace('{yyyy}', d.yyyy)
    .replace('{yy}', d.yyyy.slice(2))
    .replace('{MM}', d.MM)
    .replace('{dd}', d.dd);
  const seqId = `${opts.namespace}:${stem.replace(/\{seq\d?\}/, '{seq}')}`;
  for (;;) {
    const row = w.get(L.codeSequence, seqId);
    const cur = row ? asCodeSequence(row) : undefined;
    const next = (cur?.value ?? 0) + 1;
    if (cur) w.update(L.codeSequence, seqId, { value: next });
    else w.create(L.codeSequence, { value: next }, { id: seqId });
    const code = stem.replace(/\{seq(\d?)\}/, (_m, digits: string) => String(next).padStart(digits ? Number(digits) : opts.seqDigits, '0'));
    if (!opts.taken(code)) return code;
  }
}
