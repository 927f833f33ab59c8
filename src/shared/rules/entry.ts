/**
 * What a person may type into a result, per item (issue 19 §4, issue 20 §2–3). The entry grid
 * and the service normalise and check with the same two functions, so what the grid accepts
 * is what is stored.
 *
 * - Numbers: the strict decimal grammar (decimal.ts), plus micro notation for counts
 *   ("2.1E6", "2.1×10^6", "2.1×10⁶" → "2100000"; reporting.ts).
 * - Censored: "<X" (a count below the lowest dilution, "<10"), "ND" / "未检出" / "<LOD"
 *   where a number is expected (judged by limits.ts with the LOD).
 * - Presence/absence plans (m = 0, no M): "absent" / "present" (阴性, 未检出 / 阳性, 检出),
 *   and "presumptive" (疑似阳性) where the method confirms a presumptive positive; never on
 *   counts or chemistry.
 */
import { parseDecimal } from './decimal';
import { acceptsMicroNotation, parseMicroNotation } from './reporting';
import { isPresenceAbsence, type TestItem } from './testing';

type EntryItem = Pick<TestItem, 'group' | 'limit_form' | 'm' | 'big_m' | 'reporting'>;

const ABSENT = new Set(['absent', 'neg', 'negative', 'not detected', '阴性', '未检出']);
const PRESENT = new Set(['present', 'pos', 'positive', 'detected', '阳性', '检出']);
const PRESUMPTIVE = new Set(['presumptive', 'presumptive positive', 'suspect', '疑似', '疑似阳性', '可疑']);

/** The canonical form of a typed value for this item ('' stays ''). */
export function normalizeEntry(item: EntryItem, raw: string): string {
  const v = raw.trim();
  if (v === '') return '';
  const lower = v.toLowerCase();
  const pa = isPresenceAbsence(item);
  if (ABSENT.has(lower)) return pa || (lower !== '未检出' && lower !== 'not detected') ? 'absent' : 'ND';
  if (lower === 'nd') return pa ? 'absent' : 'ND';
  if (PRESENT.has(lower)) return 'present';
  if (PRESUMPTIVE.has(lower)) return 'presumptive';
  if (lower === '<lod') return '<LOD';
  const t = v.replace(/^＜/, '<');
  if (acceptsMicroNotation(item)) {
    const m = parseMicroNotation(t);
    if (m !== null) return m;
  }
  return t;
}

export type EntryProblem = 'format' | 'qualitative' | 'presumptive';

/** Why a (normalised) value cannot be stored for this item, or null when it can. */
export function entryProblem(item: EntryItem, value: string, opts: { presumptive: boolean }): EntryProblem | null {
  if (value === '') return null;
  if (value === 'absent' || value === 'present') return isPresenceAbsence(item) ? null : 'qualitative';
  if (value === 'presumptive') return isPresenceAbsence(item) && opts.presumptive ? null : 'presumptive';
  if (value === 'ND' || value === '<LOD') return null;
  if (value.startsWith('<')) {
    const b = parseDecimal(value.slice(1));
    return b.ok && !b.value.negative ? null : 'format';
  }
  return parseDecimal(value).ok ? null : 'format';
}
