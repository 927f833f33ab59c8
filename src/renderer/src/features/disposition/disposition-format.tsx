import { Badge, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { ReadinessKey, evidenceSchema } from '../../../../shared/contract/channels/disposition';
import type { SignatureMeaning } from '../../../../shared/domain/roles';
import { href } from '../../core/router';
import { formatTime } from '../../ui/format';
import i18n from '../../core/i18n';
import { unitWord } from '../../../../shared/i18n/words';

export type Evidence = z.infer<typeof evidenceSchema>;
export type Decision = 'release' | 'accept' | 'hold' | 'reject' | 'release_from_hold';

/** Bought-in lots return to "accepted" when released from hold; made lots to "released". */
export const receivedKinds = new Set(['raw_milk', 'ingredient', 'packaging']);

/** The signature meaning the server expects for each decision (disposition-service `decide`). */
export function decisionMeaning(decision: Decision, kind: string): SignatureMeaning {
  switch (decision) {
    case 'release':
      return 'released';
    case 'accept':
      return 'accepted';
    case 'hold':
      return 'held';
    case 'reject':
      return 'rejected';
    case 'release_from_hold':
      return receivedKinds.has(kind) ? 'accepted' : 'released';
  }
}

export const decisionColor: Record<Decision, string> = {
  release: 'green',
  accept: 'green',
  release_from_hold: 'teal',
  hold: 'orange',
  reject: 'red',
};

/** The readiness line's title, e.g. "Audit trail reviewed". */
export function lineTitle(t: TFunction, key: ReadinessKey): string {
  return t(`disposition.line.${key}.title`);
}

/**
 * The sentence that explains a readiness line, from its details (disposition.line.<key>.ok /
 * .fail). Values that are codes of their own (the ledger's problem, the intake status) are
 * translated first; empty lists get their own wording.
 */
export function lineText(t: TFunction, key: ReadinessKey, ok: boolean, details: Record<string, string>): string {
  const d: Record<string, string> = { ...details };
  if (key === 'ledger' && d['problem']) d['problem'] = t(`disposition.ledgerProblem.${d['problem']}`);
  if (key === 'intake' && d['status'])
    d['status'] = t(`intake.status.${d['status']}`, { defaultValue: d['status'] === 'none' ? '—' : d['status'] });
  if (key === 'instruments' && ok && !d['instruments']) return t('disposition.line.instruments.okNone');
  // Colour and text always agree: no recorded input fails the line, and says so (issue 19 §4).
  if (key === 'inputs' && !ok && d['inputs'] === '0') return t('disposition.line.inputs.failNone');
  if (key === 'production') {
    if (ok)
      return t(d['batchStatus'] === 'erp' ? 'disposition.line.production.okErp' : 'disposition.line.production.ok', d);
    if (d['batchStatus'] === 'open') return t('disposition.line.production.failOpen', d);
    if (d['batchStatus'] === 'none') return t('disposition.line.production.failNone', d);
    return t('disposition.line.production.failQuantity', d);
  }
  if (key === 'signature') {
    if (ok) return t('disposition.line.signature.ok');
    const meaning = d['meaning'] ? t(`meanings.${d['meaning']}`) : '';
    return d['standing'] === 'broken'
      ? t('disposition.line.signature.failBroken', { ...d, meaning })
      : t('disposition.line.signature.failUnsigned', d);
  }
  if (key === 'within_spec' && !ok) {
    const parts = [
      d['failed'] ? t('disposition.line.within_spec.failFailed', { failed: d['failed'] }) : null,
      d['oos'] ? t('disposition.line.within_spec.failOos', { oos: d['oos'] }) : null,
    ].filter(Boolean);
    return `${t('disposition.line.within_spec.fail')} ${parts.join(' ')}`.trim();
  }
  if (key === 'micro') {
    // Testing (issue 20 §3): presumptive positives, automatic holds, expected completion.
    if (ok) return t('disposition.line.micro.ok');
    const parts = [
      d['presumptive'] ? t('disposition.line.micro.failPresumptive', d) : null,
      d['holds'] !== '0' ? t('disposition.line.micro.failHolds', d) : null,
      d['pending'] !== '0'
        ? d['expected']
          ? t('disposition.line.micro.failExpected', { ...d, expected: formatTime(d['expected']) })
          : t('disposition.line.micro.failNotStarted', d)
        : null,
    ].filter(Boolean);
    return parts.join(' ');
  }
  if (key === 'results_complete' && !ok && d['external'])
    return `${t('disposition.line.results_complete.fail', d)} ${t('disposition.line.results_complete.external', d)}`;
  if (key === 'inspection' && !ok && d['missing'] === '0') return t('disposition.line.inspection.failNoSpec');
  if (key === 'audit_review' && !ok && d['throughSeq'] === '0') return t('disposition.line.audit_review.failNever', d);
  if (key === 'retention' && ok && d['required']) return t('disposition.line.retention.okRequired', d);
  if (key === 'retention' && !ok && d['short']) return t('disposition.line.retention.failShort', d);
  if (key === 'label_values' && ok && d['declared'] === '0') return t('disposition.line.label_values.okNone');
  if (key === 'label_values' && ok && d['unverified'] && d['unverified'] !== '0')
    return t('disposition.line.label_values.okUnverified', d);
  return t(`disposition.line.${key}.${ok ? 'ok' : 'fail'}`, d);
}

/** An evidence note from the server ("missing", "on_hold", "never reviewed"…), in the user's language. */
/**
 * An evidence label as main writes it (codes: "IF1-001 (ingredient)", "6 can"), in the reader's
 * words: a lot's kind and a quantity's unit are translated; codes stay as they are (D-081).
 */
export function evidenceLabel(t: TFunction, label: string): string {
  return label
    .replace(/\((\w+)\)$/, (all, kind: string) =>
      i18n.exists(`lots.kinds.${kind}`) ? `(${t(`lots.kinds.${kind}`)})` : all,
    )
    .replace(/(\d)\s+([A-Za-z]+)\b/g, (all, d: string, unit: string) => {
      const word = unitWord(t, unit);
      return word !== unit ? `${d} ${word}` : all;
    });
}

/**
 * A text main sent as a key and its parameters (D-089), in the reader's words: a lot's kind and
 * units in parameters are codes, translated here; quantities in other parameters ("800 g") too.
 */
export function evidenceWords(t: TFunction, w: { key: string; params: Record<string, string> }): string {
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.params)) {
    if (k === 'kind') p[k] = i18n.exists(`lots.kinds.${v}`) ? t(`lots.kinds.${v}`) : v;
    else if (k === 'unit') p[k] = unitWord(t, v);
    else p[k] = evidenceLabel(t, v);
  }
  return t(w.key, p);
}

export function noteText(t: TFunction, e: Evidence): string | null {
  if (e.noteText) return evidenceWords(t, e.noteText);
  const n = e.note;
  if (!n) return null;
  const keys =
    e.kind === 'lot'
      ? [`lots.status.${n}`, `disposition.notes.${n.replaceAll(' ', '_')}`]
      : e.kind === 'result'
        ? [`completeness.states.${n}`, `resultReview.status.${n}`]
        : e.kind === 'intake'
          ? [`intake.status.${n}`, `disposition.notes.${n.replaceAll(' ', '_')}`]
          : [`disposition.notes.${n.replaceAll(' ', '_')}`];
  for (const k of keys) if (i18n.exists(k)) return t(k);
  const reviewed = /^reviewed through #(\d+)$/.exec(n);
  if (reviewed) return t('disposition.notes.reviewedThrough', { seq: reviewed[1] });
  return evidenceLabel(t, n);
}

/** Where a piece of evidence can be looked at (null: shown in place, e.g. a result in the drawer). */
export function evidenceHref(e: Evidence, lotCode: string): string | null {
  switch (e.kind) {
    case 'lot':
      return href(`/lots/${encodeURIComponent(e.ref)}`);
    case 'sample':
      return href(`/samples/${encodeURIComponent(e.ref)}`);
    case 'oos':
      return href(`/oos/${encodeURIComponent(e.ref)}`);
    case 'instrument':
      return href(`/instruments/${encodeURIComponent(e.ref)}`);
    case 'env_alert':
      return href(`/environment/${encodeURIComponent(e.ref)}`);
    case 'verification':
      return href('/audit', { tab: 'verification' });
    case 'intake':
      return href(`/intake/${encodeURIComponent(e.ref)}`);
    case 'spec':
      return href(`/specs/version/${encodeURIComponent(e.ref)}`);
    case 'recall':
      return href(`/drills/${encodeURIComponent(e.ref)}`);
    case 'result':
      // A required item never planned has no result yet: its evidence is the lot itself.
      return !e.ref || e.ref === lotCode ? href(`/lots/${encodeURIComponent(lotCode)}`) : null;
    case 'audit':
    case 'capture':
      return null;
  }
}

/** "Ready for release" or "Blocked" as a badge. */
export function ReadyBadge({
  ready,
  failing,
  size = 'md',
}: {
  ready: boolean;
  failing?: number;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('disposition.blockedHelp')} disabled={ready} withArrow multiline maw={320}>
      <Badge
        color={ready ? 'green' : 'red'}
        variant={ready ? 'filled' : 'light'}
        tt="none"
        size={size}
        data-testid="ready-badge"
        data-ready={String(ready)}
      >
        {ready
          ? t('disposition.ready')
          : failing !== undefined
            ? t('disposition.blockedCount', { count: failing })
            : t('disposition.blocked')}
      </Badge>
    </Tooltip>
  );
}

/** The "infant formula: no override" badge of an IMF finished lot. */
export function ImfBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('disposition.imfHelp')} withArrow multiline maw={360}>
      <Badge color="grape" variant="light" tt="none" data-testid="imf-badge">
        {t('disposition.imf')}
      </Badge>
    </Tooltip>
  );
}

export function base64ToBlob(b64: string, type: string): Blob {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}
