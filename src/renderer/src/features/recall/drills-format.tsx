import { Badge, type MantineSize } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { DrillView, drillDetailSchema } from '../../../../shared/contract/channels/recall';
import { drillSteps, productGroups } from '../../../../shared/contract/channels/recall';
import { href } from '../../core/router';
import { drillStepSummary } from '../../../../shared/i18n/drill-text';
import { plantDate } from '../../ui/format';
import { addDaysIso } from '../../ui/dates';

export type DrillDetail = z.infer<typeof drillDetailSchema>;
export type DrillStep = (typeof drillSteps)[number];
export type ProductGroup = (typeof productGroups)[number];
export type DrillMode = DrillView['mode'];
export type DrillDirection = DrillView['direction'];

export { drillSteps, productGroups };

/** `#/drills/<code>` (codes are DRL-… / RCL-…, encoded all the same). */
export function drillHref(code: string): string {
  return href(`/drills/${encodeURIComponent(code)}`);
}

export function programmeHref(year?: number): string {
  return href('/drills/programme', { year });
}

/**
 * A real recall is never mistaken for an exercise: red and filled, "RECALL" in capitals,
 * wherever a drill or recall is named (issue 12 §5).
 */
export function ModeBadge({ mode, size = 'sm' }: { mode: DrillMode; size?: MantineSize }) {
  const { t } = useTranslation();
  return mode === 'recall' ? (
    <Badge color="red" variant="filled" size={size} radius="sm" data-testid="mode-badge" data-mode="recall">
      {t('drills.mode.recallBadge')}
    </Badge>
  ) : (
    <Badge color="indigo" variant="light" size={size} radius="sm" tt="none" data-testid="mode-badge" data-mode="drill">
      {t('drills.mode.drillBadge')}
    </Badge>
  );
}

export function DrillStatusBadge({ status, size = 'sm' }: { status: DrillView['status']; size?: MantineSize }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={status === 'open' ? 'yellow' : 'green'}
      variant={status === 'open' ? 'filled' : 'light'}
      autoContrast
      tt="none"
      size={size}
      data-testid="drill-status"
      data-status={status}
    >
      {t(`drills.status.${status}`)}
    </Badge>
  );
}

/** `1:05:09` — hours are not capped (an over-target drill keeps counting). */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

/** `240 min` → `4 h`, `90` → `1 h 30 min`, in the screen's language. */
export function formatTarget(t: TFunction, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('drills.clock.minutes', { m });
  return m === 0 ? t('drills.clock.hours', { h }) : t('drills.clock.hoursMinutes', { h, m });
}

export function groupLabel(t: TFunction, group: string): string {
  return t(`drills.groups.${group}`, { defaultValue: group });
}

export function directionLabel(t: TFunction, direction: string): string {
  return t(`drills.direction.${direction}`, { defaultValue: direction });
}

export function findingKindLabel(t: TFunction, kind: string): string {
  return t(`drills.findingKinds.${kind}`, { defaultValue: kind });
}

/** The tone of an accounted percentage against the drill's own tolerance band. */
export function pctTone(pct: string | null, min: string, max: string): 'green' | 'red' | 'gray' {
  if (pct === null || pct === '') return 'gray';
  const v = Number(pct);
  if (!Number.isFinite(v)) return 'gray';
  return v >= Number(min) && v <= Number(max) ? 'green' : 'red';
}

export function base64ToBlob(b64: string, type: string): Blob {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** Saves text as a file through a temporary link (the browser's own download, no Node). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The latest record of each step (a step run again keeps its earlier records in the trail). */
export function lastSteps(d: DrillDetail): Partial<Record<DrillStep, DrillDetail['steps'][number]>> {
  const out: Partial<Record<DrillStep, DrillDetail['steps'][number]>> = {};
  for (const s of d.steps) out[s.step] = s;
  return out;
}

/** Affected lots a recall hold reaches: forward (or the root), not shipped, released or accepted. */
/** The lots a recall's hold reaches (the server says: stock left, shipped before or not, not rejected or held already). */
export function holdable(d: DrillDetail): DrillDetail['lots'] {
  return d.lots.filter((l) => l.holdable === true);
}

/** Today (or `days` from today) as YYYY-MM-DD, local. */
export function todayIso(days = 0): string {
  // The plant's calendar (D-113).
  return addDaysIso(plantDate(), days);
}

/** A one-line, translated reading of a step's recorded summary (the evidence pack says the same). */
export function stepSummary(t: TFunction, step: DrillStep, s: Record<string, unknown>): string {
  return drillStepSummary((key, vars) => t(key, vars ?? {}), step, s);
}
