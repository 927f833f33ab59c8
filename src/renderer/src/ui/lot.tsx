import { Anchor, Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { lotStatuses, type LotView } from '../../../shared/contract/channels/lots';
import { href } from '../core/router';

export type LotStatus = LotView['status'];

/** Status colours: quarantine yellow, accepted/released green, on hold orange, rejected red. */
export const statusColor: Record<LotStatus, string> = {
  quarantine: 'yellow',
  accepted: 'green',
  released: 'green',
  on_hold: 'orange',
  rejected: 'red',
};

const kindColor: Record<string, string> = {
  raw_milk: '#1c7ed6',
  ingredient: '#e67700',
  packaging: '#7048e8',
  intermediate: '#0c8599',
  finished: '#2b8a3e',
};

export function isLotStatus(s: string | null | undefined): s is LotStatus {
  return typeof s === 'string' && (lotStatuses as readonly string[]).includes(s);
}

/** The page of one lot: `#/lots/<code>` (codes may hold `/`, so the code is encoded). */
export function lotHref(code: string): string {
  return href(`/lots/${encodeURIComponent(code)}`);
}

export function traceHref(code: string): string {
  return href('/trace', { lot: code });
}

/**
 * A lot's status. `on_hold` reads 待放行 for a produced lot awaiting its release and 冻结 when a
 * hold decision put it there (`held`: the lot's latest decision is `held`); docs/glossary.md.
 */
export function StatusBadge({
  status,
  size = 'md',
  held = false,
}: {
  status: string | null | undefined;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  held?: boolean;
}) {
  const { t } = useTranslation();
  if (!status) return null;
  const color = isLotStatus(status) ? statusColor[status] : 'gray';
  return (
    <Badge
      color={color}
      variant={status === 'quarantine' ? 'filled' : 'light'}
      autoContrast
      tt="none"
      size={size}
      data-testid="lot-status"
      data-status={status}
    >
      {status === 'on_hold' && held ? t('lots.status.held') : isLotStatus(status) ? t(`lots.status.${status}`) : status}
    </Badge>
  );
}

/** A small pictogram per lot kind (drop, sack, box, vat, can), with the kind's colour. */
export function KindIcon({ kind, size = 16 }: { kind: string; size?: number }) {
  const c = kindColor[kind] ?? '#868e96';
  const common = {
    width: size,
    height: size,
    viewBox: '0 0 16 16',
    'aria-hidden': true,
    style: { flexShrink: 0 },
  } as const;
  switch (kind) {
    case 'raw_milk':
      return (
        <svg {...common}>
          <path d="M8 1.5C8 1.5 3 7.2 3 10.3a5 5 0 0 0 10 0C13 7.2 8 1.5 8 1.5z" fill={c} />
        </svg>
      );
    case 'ingredient':
      return (
        <svg {...common}>
          <path d="M5.5 1.5h5l-1.2 2.2C11.6 4.8 13 7 13 10c0 3-2.2 4.5-5 4.5S3 13 3 10c0-3 1.4-5.2 3.7-6.3z" fill={c} />
        </svg>
      );
    case 'packaging':
      return (
        <svg {...common}>
          <path d="M2 4.5 8 1.8l6 2.7v7L8 14.2 2 11.5z" fill={c} />
          <path d="M2 4.5 8 7.2l6-2.7M8 7.2v7" stroke="#fff" strokeWidth="1" fill="none" />
        </svg>
      );
    case 'intermediate':
      return (
        <svg {...common}>
          <rect x="3" y="3" width="10" height="11" rx="2" fill={c} />
          <rect x="5" y="1" width="6" height="2.5" rx="1" fill={c} />
          <path d="M5 8h6" stroke="#fff" strokeWidth="1.2" />
        </svg>
      );
    case 'finished':
      return (
        <svg {...common}>
          <ellipse cx="8" cy="3.5" rx="5" ry="2" fill={c} />
          <path d="M3 3.5v9c0 1.1 2.2 2 5 2s5-.9 5-2v-9c0 1.1-2.2 2-5 2s-5-.9-5-2z" fill={c} opacity="0.85" />
          <path d="M3.5 8.5c1 .8 2.6 1.2 4.5 1.2s3.5-.4 4.5-1.2" stroke="#fff" strokeWidth="1" fill="none" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6" fill={c} />
        </svg>
      );
  }
}

export function KindLabel({ kind, withText = true }: { kind: string; withText?: boolean }) {
  const { t } = useTranslation();
  const label = t(`lots.kinds.${kind}`, { defaultValue: kind });
  return (
    <Tooltip label={label} disabled={withText} withArrow>
      <Group gap={4} wrap="nowrap" component="span" style={{ display: 'inline-flex' }} data-kind={kind}>
        <KindIcon kind={kind} />
        {withText ? (
          <Text span size="sm">
            {label}
          </Text>
        ) : null}
      </Group>
    </Tooltip>
  );
}

export function LotLink({ code, fw = 600 }: { code: string; fw?: number }) {
  return (
    <Anchor href={lotHref(code)} fw={fw} ff="monospace" size="sm" data-testid={`lot-link-${code}`}>
      {code}
    </Anchor>
  );
}

/** Quantity with its unit: `1000 kg`. */
export function qty(q: string | number | null | undefined, unit?: string | null): string {
  if (q === null || q === undefined || q === '') return '—';
  return unit ? `${q} ${unit}` : String(q);
}

export function releaseHref(code?: string): string {
  return code ? href(`/release/${encodeURIComponent(code)}`) : href('/release');
}
