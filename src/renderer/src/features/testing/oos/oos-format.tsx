import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OosView } from '../../../../../shared/contract/channels/testing';

export const oosStatusColor: Record<OosView['status'], string> = {
  open: 'red',
  phase1_done: 'orange',
  invalidated: 'gray',
  confirmed: 'grape',
};

export function OosStatusBadge({ status, size = 'md' }: { status: OosView['status']; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={oosStatusColor[status]}
      variant={status === 'open' ? 'filled' : 'light'}
      tt="none"
      size={size}
      data-testid="oos-status"
      data-status={status}
    >
      {t(`oos.status.${status}`)}
    </Badge>
  );
}

/**
 * Days since the investigation opened. FDA's OOS guidance expects the laboratory phase to be
 * done promptly; LotSeal marks a week as late and a month as overdue (plant SOP figures).
 */
export function OosAge({ days, closed }: { days: number; closed: boolean }) {
  const { t } = useTranslation();
  const c = closed ? 'dimmed' : days > 30 ? 'red.8' : days > 7 ? 'orange.8' : undefined;
  return (
    <Text size="sm" c={c} fw={!closed && days > 7 ? 700 : undefined} data-testid="oos-age">
      {t('oos.ageDays', { count: days })}
    </Text>
  );
}
