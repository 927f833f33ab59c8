import { Anchor, Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SampleKind, SampleStatus } from '../../../shared/contract/channels/samples';
import { href } from '../core/router';

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

/** `2026-11-22T08:30` (datetime-local, local time) → ISO instant, or undefined when empty. */
export function localToInstant(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/** Whole days from today (local) to a YYYY-MM-DD date; negative when past. */
export function daysUntil(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
  const now = new Date();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  return Math.round((target - today) / 86_400_000);
}
