import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../../core/router';
import { SpecList } from './specs/spec-list';
import { CatalogList } from './catalog-list';
import { catalogKinds } from './catalog-kinds';

const tabs = [...catalogKinds, 'specs'] as const;
type Tab = (typeof tabs)[number];

/** The Specifications section: the catalogue lists and the specifications, one tab each. */
export function SpecificationsPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const tab: Tab = tabs.find((x) => x === route.params.get('tab')) ?? 'products';
  return (
    <Stack data-testid="specifications-page">
      <div>
        <Title order={2}>{t('catalog.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('catalog.intro')}
        </Text>
      </div>
      <Tabs value={tab} onChange={(v) => v && navigate('/specifications', { tab: v })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x} data-testid={`catalog-tab-${x}`}>
              {t(`catalog.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {catalogKinds.map((k) => (
          <Tabs.Panel key={k} value={k} pt="md">
            <CatalogList kind={k} />
          </Tabs.Panel>
        ))}
        <Tabs.Panel value="specs" pt="md">
          <SpecList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
