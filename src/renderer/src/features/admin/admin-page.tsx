import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { AccountsTab } from './accounts-tab';
import { BackupTab } from './backup-tab';
import { CompanyTab } from './company-tab';
import { SettingsTab } from './settings-tab';
import { SiteTab } from './site-tab';
import { WorkstationTab } from './workstation-tab';

export function AdminPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession();
  const tabs = [
    { key: 'accounts', show: hasPermission(session, 'users.read'), Panel: AccountsTab },
    { key: 'settings', show: hasPermission(session, 'settings.manage'), Panel: SettingsTab },
    { key: 'company', show: hasPermission(session, 'settings.manage'), Panel: CompanyTab },
    { key: 'workstation', show: hasPermission(session, 'settings.manage'), Panel: WorkstationTab },
    { key: 'site', show: hasPermission(session, 'settings.manage'), Panel: SiteTab },
    { key: 'backup', show: hasPermission(session, 'backup.run'), Panel: BackupTab },
  ].filter((x) => x.show);
  if (tabs.length === 0) return <Text>{t('admin.noAccess')}</Text>;
  const requested = route.params.get('tab');
  const tab = tabs.some((x) => x.key === requested) ? (requested as string) : (tabs[0]?.key ?? 'accounts');
  return (
    <Stack>
      <Title order={2}>{t('admin.title')}</Title>
      <Tabs value={tab} onChange={(v) => v && navigate('/admin', { tab: v })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x.key} value={x.key} data-testid={`admin-tab-${x.key}`}>
              {t(`admin.${x.key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(({ key, Panel }) => (
          <Tabs.Panel key={key} value={key} pt="md">
            <Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
