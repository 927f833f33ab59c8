import { Anchor, Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SampleKind, SampleStatus } from '../../../shared/contract/channels/samples';
import { href } from '../core/router';
import { plantDate, plantLocalToInstant } from './format';

export const sampleStatusColor: Record<SampleStatus, string> = {
  registered: 'gray',
  received: 'blue',
  in_testing: 'violet',
  complete: 'green',
  cancelled: 'red',
};

/** Kinds taken from a sampling site rather than a lot. */
export const siteSampleKinds: readonly SampleKind[] = ['environmental_swab', 'water'];
export const isSiteKind = (k: SampleKind): boolean => siteSampleKinds.includes(k);

/** The page of one sample: `#/samples/<code>`. */
export function sampleHref(code: string): string {
  return href(`/samples/${encodeURIComponent(code)}`);
}

export function SampleStatusBadge({ status, size = 'md' }: { status: SampleStatus; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={sampleStatusColor[status]} variant="light" tt="none" size={size} data-testid="sample-status" data-status={status}>
      {t(`samples.status.${status}`)}
    </Badge>
  );
}

export function SampleLink({ code }: { code: string }) {
  return (
    <Anchor href={sampleHref(code)} ff="monospace" fw={600} size="sm" data-testid={`sample-link-${code}`}>
      {code}
    </Anchor>
  );
}

/** `2026-11-22T08:30` (datetime-local, the plant's wall clock, D-113) → ISO instant, or undefined when empty. */
export function localToInstant(v: string): string | undefined {
  if (!v) return undefined;
  return plantLocalToInstant(v) ?? v;
}

/** Whole days from today (the plant's calendar) to a YYYY-MM-DD date; negative when past. */
export function daysUntil(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const target = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  const [ty, tm, td] = plantDate().split('-').map(Number);
  return Math.round((target - Date.UTC(ty!, tm! - 1, td!)) / 86_400_000);
}
