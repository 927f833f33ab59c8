import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { AuditTrail } from './audit-trail';
import { ExportTab } from './export-tab';
import { ReviewTab } from './review-tab';
import { VerificationTab } from './verification-tab';

const allTabs = ['trail', 'verification', 'review', 'export'] as const;

export function AuditPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession();
  // The export tab is offered to those who may export (QA managers, inspectors).
  const tabs = allTabs.filter((x) => x !== 'export' || hasPermission(session, 'ledger.export'));
  const requested = route.params.get('tab');
  const tab = tabs.find((x) => x === requested) ?? 'trail';
  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Tabs value={tab} onChange={(v) => v && navigate('/audit', { tab: v })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x} data-testid={`audit-tab-${x}`}>
              {t(`audit.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="trail" pt="md">
          <AuditTrail />
        </Tabs.Panel>
        <Tabs.Panel value="verification" pt="md">
          <VerificationTab />
        </Tabs.Panel>
        <Tabs.Panel value="review" pt="md">
          <ReviewTab />
        </Tabs.Panel>
        {tabs.includes('export') ? (
          <Tabs.Panel value="export" pt="md">
            <ExportTab />
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}
