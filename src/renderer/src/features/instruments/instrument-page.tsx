import type { ReactNode } from 'react';
import { Anchor, Group, Loader, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { href, navigate } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import { CalibrationTab } from './calibration-tab';
import { CapturesTab } from './captures-tab';
import {
  CalibrationDue,
  connectionText,
  LastCheck,
  LockBadge,
  StateBadge,
  useInstrumentStatusSync,
} from './instrument-format';
import { ConnectButton } from './instruments-list-page';
import { PrintTesterTab } from './print-tester-tab';
import { SettingsForm } from './settings-tab';
import { TerminalTab } from './terminal-tab';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div data-testid={testId}>{children}</div>
    </Stack>
  );
}

const TABS = ['settings', 'calibration', 'captures', 'terminal', 'print'] as const;
type Tab = (typeof TABS)[number];

/** `#/instruments/<id>`: one instrument, its status and lock, and the tabs below. */
export function InstrumentPage({ id, tab }: { id: string; tab: string | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const detail = useCall('instruments.get', { id }, { staleTime: 0, retry: false });
  useInstrumentStatusSync();

  if (detail.isLoading) return <Loader />;
  if (!detail.data)
    return (
      <Stack>
        <ErrorAlert error={detail.error} testId="instrument-error" />
        <Anchor href={href('/instruments')}>← {t('instruments.back')}</Anchor>
      </Stack>
    );
  const { instrument: i, events, captures, refused, checkPlan } = detail.data;
  const canUse = hasPermission(session, 'instruments.use') && !session.readOnly;
  const tabs = TABS.filter((x) => x !== 'print' || i.driver === 'print');
  const current: Tab = tabs.includes(tab as Tab) ? (tab as Tab) : 'calibration';

  return (
    <Stack data-testid="instrument-page" data-instrument={i.code} maw={1400}>
      <Anchor href={href('/instruments')} size="sm">
        ← {t('instruments.back')}
      </Anchor>
      <Paper
        withBorder
        p="md"
        style={i.lock.locked ? { borderColor: 'var(--mantine-color-red-5)', borderWidth: 2 } : undefined}
      >
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t(`instruments.kinds.${i.kind}`)}
              {i.make || i.model ? ` · ${[i.make, i.model].filter(Boolean).join(' ')}` : ''}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace" data-testid="instrument-code">
                {i.code}
              </Title>
              <StateBadge state={i.state} message={i.stateMessage} />
            </Group>
            <Text fw={500}>{i.name}</Text>
          </Stack>
          {canUse && i.active ? <ConnectButton i={i} /> : null}
        </Group>
        {i.stateMessage ? (
          <Text size="sm" c={i.state === 'error' ? 'red.8' : 'dimmed'} mt={4} data-testid="instrument-state-message">
            {i.stateMessage}
          </Text>
        ) : null}
        <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} mt="md">
          <Fact label={t('instruments.fields.lock')}>
            <LockBadge lock={i.lock} />
          </Fact>
          <Fact label={t('instruments.fields.calibrationDue')}>
            <CalibrationDue lock={i.lock} testId="instrument-calibration-due" />
          </Fact>
          <Fact label={t('instruments.fields.lastCheck')}>
            <LastCheck lock={i.lock} testId="instrument-last-check" />
          </Fact>
          <Fact label={t('instruments.fields.connection')}>
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {i.connectedPort ?? connectionText(i)}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`instruments.drivers.${i.driver}`)}
            </Text>
          </Fact>
          <Fact label={t('instruments.fields.serialNo')}>
            <Text size="sm" ff="monospace">
              {i.serialNo ?? '—'}
            </Text>
          </Fact>
          <Fact label={t('instruments.fields.location')}>
            <Text size="sm">{i.location ?? '—'}</Text>
          </Fact>
        </SimpleGrid>
      </Paper>

      <Tabs value={current} onChange={(v) => v && navigate(`/instruments/${encodeURIComponent(i.id)}`, { tab: v })}>
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x} data-testid={`instrument-tab-${x}`}>
              {t(`instruments.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="settings" pt="md">
          {current === 'settings' ? <SettingsForm key={`${i.id}-${i.rev}`} instrument={i} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="calibration" pt="md">
          {current === 'calibration' ? <CalibrationTab instrument={i} events={events} plan={checkPlan} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="captures" pt="md">
          {current === 'captures' ? <CapturesTab captures={captures} refused={refused} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="terminal" pt="md">
          {current === 'terminal' ? <TerminalTab instrument={i} /> : null}
        </Tabs.Panel>
        {i.driver === 'print' ? (
          <Tabs.Panel value="print" pt="md">
            {current === 'print' ? <PrintTesterTab instrument={i} /> : null}
          </Tabs.Panel>
        ) : null}
      </Tabs>
    </Stack>
  );
}

/** `#/instruments/new`: registering an instrument (administrators). */
export function NewInstrumentPage() {
  const { t } = useTranslation();
  return (
    <Stack data-testid="instrument-new-page" maw={1100}>
      <Anchor href={href('/instruments')} size="sm">
        ← {t('instruments.back')}
      </Anchor>
      <Title order={2}>{t('instruments.register')}</Title>
      <SettingsForm
        instrument={null}
        onSaved={(v) => navigate(`/instruments/${encodeURIComponent(v.id)}`, { tab: 'settings' })}
      />
    </Stack>
  );
}
