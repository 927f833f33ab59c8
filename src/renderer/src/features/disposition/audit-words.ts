import type { TFunction } from 'i18next';
import type { AuditSummaryView } from '../../../../shared/contract/channels/disposition';
import { formatTime } from '../../ui/format';

/**
 * The lot's audit trail in people's words (issue 22 §5): field names translated, values
 * formatted (statuses and verdicts in the lab's words, times local, raw data lists as
 * numbers), records named by lot, sample and item — never an id, an epoch number or a
 * column name.
 */

export type AuditException = AuditSummaryView['exceptions'][number];
export type Keys = AuditException['keys'];

/** Value dictionaries by field (and record type where the words differ). */
function valueKey(entity: string, field: string): string | null {
  if (field === 'verdict' || field === 'from_verdict' || field === 'to_verdict') return 'resultReview.verdicts';
  if (field !== 'status') return null;
  switch (entity) {
    case 'test_result':
      return 'resultReview.status';
    case 'lot':
      return 'lots.status';
    case 'sample':
      return 'samples.status';
    default:
      return null;
  }
}

const EPOCH = /^\d{12,14}$/;

/** A stored value as a reviewer reads it. */
export function auditValue(t: TFunction, entity: string, field: string, v: string | null): string {
  if (v === null || v === '') return '—';
  if ((/_at$/.test(field) || field === 'at') && EPOCH.test(v)) return formatTime(new Date(Number(v)).toISOString());
  if (v === 'true' || v === 'false') return t(v === 'true' ? 'auditWords.yes' : 'auditWords.no');
  if (
    /^(is_|in_|required_|must_)/.test(field) ||
    field === 'retired' ||
    field === 'flagged' ||
    field === 'stable' ||
    field === 'calculated'
  )
    if (v === '0' || v === '1') return t(v === '1' ? 'auditWords.yes' : 'auditWords.no');
  const dict = valueKey(entity, field);
  if (dict) return t(`${dict}.${v}`, { defaultValue: v });
  if (field === 'condition_on_receipt') return t(`samples.conditions.${v}`, { defaultValue: v });
  // Raw data lists ("[\"12.0\",\"12.1\"]") as the numbers typed.
  if (v.startsWith('[') && v.endsWith(']')) {
    try {
      const a = JSON.parse(v) as unknown;
      if (Array.isArray(a) && a.every((x) => typeof x === 'string' || typeof x === 'number')) return a.join('、');
    } catch {
      /* shown as stored */
    }
  }
  return v.length > 80 ? `${v.slice(0, 77)}…` : v;
}

/** A field's name in the UI language ("condition_on_receipt" → "接收时状况"). */
export function auditField(t: TFunction, field: string): string {
  return t(`auditFields.${field}`, { defaultValue: field.replace(/_/g, ' ') });
}

/** What a record is, by its business keys: "样品 S260307-0001 · 蛋白质", "批次 FG-…". */
export function subjectOf(t: TFunction, lang: string, k: Keys): string {
  const item = k.itemCode ? ((lang.startsWith('zh') ? k.itemZh : k.itemEn) ?? k.itemCode) : null;
  const where = k.sample
    ? t('auditWords.sample', { code: k.sample })
    : k.lot
      ? t('auditWords.lot', { code: k.lot })
      : null;
  return [where, item].filter((p): p is string => !!p).join(' · ') || t('auditWords.record');
}

/** The sentence of one exception, in plain words, with who and when. */
export function exceptionSentence(t: TFunction, lang: string, e: AuditException): string {
  const field = e.field ?? '';
  const v = (x: string | null) => auditValue(t, e.entity, field, x);
  // The person's reason (a correction's, a return's, an invalidation's), not the system's own words.
  const personal = e.kind === 'correction' || e.kind === 'invalidation' || e.detail === 'returned';
  const reason = personal && e.reason ? e.reason.replace(/^(correction|returned): /, '') : null;
  const key =
    e.detail && t(`auditWords.sentences.${e.kind}_${e.detail}`, { defaultValue: '' })
      ? `auditWords.sentences.${e.kind}_${e.detail}`
      : `auditWords.sentences.${e.kind}`;
  const hours =
    e.kind === 'late_entry' && e.to && EPOCH.test(e.to)
      ? Math.round((Date.parse(e.at) - Number(e.to)) / 3_600_000)
      : null;
  const base = t(key, {
    who: e.actorName,
    time: formatTime(e.at),
    subject: subjectOf(t, lang, e.keys),
    lot: e.keys.lot ?? '—',
    field: field ? auditField(t, field) : '',
    from: v(e.from),
    to: v(e.to),
    hours: hours ?? '',
    record: t(`audit.entities.${e.detail ?? e.entity}`, { defaultValue: e.detail ?? e.entity }),
  });
  return reason ? `${base}${t('auditWords.because', { reason })}` : base;
}

/** Fields of the full list that are machinery, not record content (signature keys, hashes, revision). */
export const MACHINE_FIELDS: ReadonlySet<string> = new Set([
  'key_id',
  'head_seq',
  'head_hash',
  'sig',
  'record_hash',
  'hash',
  'rev',
  'tz',
]);
