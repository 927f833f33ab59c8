import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { href } from '../../../core/router';

/**
 * The testing sections reached from the Testing menu entry (the worklist and method rules
 * live in features/testing; review, OOS and trends here). Same test ids as the testing
 * feature's own tabs, so one page object finds them anywhere.
 */
export type TestingTab = 'worklist' | 'review' | 'oos' | 'micro' | 'trends' | 'methods';

const tabs: { key: TestingTab; path: string }[] = [
  { key: 'worklist', path: '/testing' },
  { key: 'review', path: '/review' },
  { key: 'oos', path: '/oos' },
  { key: 'micro', path: '/oos/micro' },
  { key: 'trends', path: '/trends' },
  { key: 'methods', path: '/testing/methods' },
];

export function TestingTabs({ active }: { active: TestingTab | null }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="testing-tabs">
      {tabs.map((tab) => (
        <Button
          key={tab.key}
          component="a"
          href={href(tab.path)}
          size="xs"
          variant={active === tab.key ? 'filled' : 'light'}
          data-testid={`testing-tab-${tab.key}`}
        >
          {t(`resultReview.tabs.${tab.key}`)}
        </Button>
      ))}
    </Group>
  );
}
