import { Badge, Button, Group } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { href } from '../../core/router';

/** `#/environment/<code>`: one environmental alert. */
export function alertHref(code: string): string {
  return href(`/environment/${encodeURIComponent(code)}`);
}

/** A swab target's name (cronobacter → 克罗诺杆菌属…); unknown codes as typed. */
export function targetName(t: TFunction, target: string): string {
  return t(`environment.targets.${target}`, { defaultValue: target });
}

export function AlertStatusBadge({ status, size = 'md' }: { status: 'open' | 'closed'; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={status === 'open' ? 'red' : 'gray'}
      variant={status === 'open' ? 'filled' : 'light'}
      tt="none"
      size={size}
      data-testid="alert-status"
      data-status={status}
    >
      {t(`environment.status.${status}`)}
    </Badge>
  );
}

/** The section's two views: alerts and the heat map. */
export function EnvTabs({ active }: { active: 'alerts' | 'heatmap' | null }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="env-tabs">
      <Button
        component="a"
        href={href('/environment')}
        size="xs"
        variant={active === 'alerts' ? 'filled' : 'light'}
        data-testid="env-tab-alerts"
      >
        {t('environment.tabs.alerts')}
      </Button>
      <Button
        component="a"
        href={href('/environment', { tab: 'heatmap' })}
        size="xs"
        variant={active === 'heatmap' ? 'filled' : 'light'}
        data-testid="env-tab-heatmap"
      >
        {t('environment.tabs.heatmap')}
      </Button>
      <Button component="a" href={href('/sites')} size="xs" variant="subtle" data-testid="env-tab-sites">
        {t('environment.tabs.sites')}
      </Button>
    </Group>
  );
}
