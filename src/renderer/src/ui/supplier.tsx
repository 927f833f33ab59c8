import { Anchor, Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../core/api/hooks';
import { href } from '../core/router';

/**
 * A supplier's sampling level: normal (grey) or tightened (orange, with the consecutive
 * passes counted toward normal sampling, e.g. "2 / 5").
 */
export function SamplingLevelBadge({
  level,
  passes,
  required,
  size = 'md',
}: {
  level: 'normal' | 'tightened';
  passes?: number;
  required?: number;
  size?: 'xs' | 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  const tight = level === 'tightened';
  const badge = (
    <Badge
      component="span"
      color={tight ? 'orange' : 'gray'}
      variant={tight ? 'filled' : 'light'}
      tt="none"
      size={size}
      data-testid="sampling-level"
      data-level={level}
    >
      {t(`suppliers.levels.${level}`)}
      {tight && passes !== undefined && required !== undefined
        ? ` · ${t('suppliers.passesOf', { passes, required })}`
        : ''}
    </Badge>
  );
  return tight ? (
    <Tooltip label={t('suppliers.tightenedHelp', { required: required ?? '?' })} multiline maw={320} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** The supplier's current level, fetched (receiving page, queue rows). */
export function SupplierSamplingBadge({
  supplierCode,
  size = 'sm',
}: {
  supplierCode: string;
  size?: 'xs' | 'sm' | 'md';
}) {
  const s = useCall('suppliers.sampling', { supplierCode }, { staleTime: 30_000, retry: false });
  if (!s.data) return null;
  return (
    <Anchor
      href={href('/suppliers', { history: supplierCode })}
      underline="never"
      data-testid={`sampling-link-${supplierCode}`}
    >
      <SamplingLevelBadge
        level={s.data.level}
        passes={s.data.consecutivePasses}
        required={s.data.passesRequired}
        size={size}
      />
    </Anchor>
  );
}
