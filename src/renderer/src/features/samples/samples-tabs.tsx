import { Group, Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { href } from '../../core/router';

export type SamplesTab = 'reception' | 'list' | 'retention' | 'sites' | 'environment';

const tabs: { key: SamplesTab; path: string }[] = [
  { key: 'reception', path: '/samples' },
  { key: 'list', path: '/sample-list' },
  { key: 'retention', path: '/retention' },
  { key: 'sites', path: '/sites' },
  { key: 'environment', path: '/environment' },
];

/** The samples section's pages: reception desk, sample list, retention store, sampling sites. */
export function SamplesTabs({ active }: { active: SamplesTab | null }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="samples-tabs">
      {tabs.map((tab) => (
        <Button
          key={tab.key}
          component="a"
          href={href(tab.path)}
          size="xs"
          variant={active === tab.key ? 'filled' : 'light'}
          data-testid={`samples-tab-${tab.key}`}
        >
          {t(`samples.tabs.${tab.key}`)}
        </Button>
      ))}
    </Group>
  );
}
