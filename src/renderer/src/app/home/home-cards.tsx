import { Anchor, Badge, Code, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { LedgerBadge } from '../../ui/ledger-badge';
import { useLedgerStatus } from '../../core/ledger-status';
import { href } from '../../core/router';

export function LedgerStatusCard() {
  const { t } = useTranslation();
  const ledger = useLedgerStatus();
  return (
    <Card title={t('home.ledgerTitle')} testId="card-ledger">
      <Stack gap="xs">
        <LedgerBadge state={ledger.data} wrap />
        {ledger.data ? (
          <Text size="sm" c="dimmed">
            {t('home.ledgerHead', { seq: ledger.data.headSeq })}
          </Text>
        ) : null}
        <ErrorAlert error={ledger.error} />
      </Stack>
    </Card>
  );
}

export function LockedAccountsCard() {
  const { t } = useTranslation();
  const users = useCall('users.list', {});
  const locked = (users.data ?? []).filter((u) => u.status === 'locked');
  return (
    <Card title={t('home.lockedTitle')} testId="card-locked" alert={locked.length > 0}>
      <Stack gap="xs">
        <ErrorAlert error={users.error} />
        {users.data && locked.length === 0 ? <Text size="sm">{t('home.lockedNone')}</Text> : null}
        {locked.length > 0 ? (
          <>
            <Text size="sm">{t('home.lockedSome', { count: locked.length })}</Text>
            <Group gap={4}>
              {locked.map((u) => (
                <Badge key={u.userId} color="red" variant="light" tt="none">
                  {u.printedName} ({u.userId})
                </Badge>
              ))}
            </Group>
          </>
        ) : null}
        <Anchor href={href('/admin', { tab: 'accounts' })} size="sm">
          {t('home.openAccounts')}
        </Anchor>
      </Stack>
    </Card>
  );
}

export function WorkstationKeyCard() {
  const { t } = useTranslation();
  const status = useCall('app.status', {}, { staleTime: Infinity });
  const s = status.data;
  return (
    <Card title={t('home.keyTitle')} testId="card-key">
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t('home.keyIntro')}
        </Text>
        {s ? (
          <>
            <Text size="sm">
              {t('home.keyHost')}:{' '}
              <b>
                <code>{s.host}</code>
              </b>
            </Text>
            {s.keyFingerprint ? (
              <Code block data-testid="key-fingerprint" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                {s.keyFingerprint}
              </Code>
            ) : (
              <Text size="sm">{t('home.keyNone')}</Text>
            )}
          </>
        ) : null}
      </Stack>
    </Card>
  );
}

export function OpenFindingsCard() {
  const { t } = useTranslation();
  const ledger = useLedgerStatus();
  const n = ledger.data?.openFindings ?? 0;
  const attention = n > 0 || ledger.data?.anchorBehind === true;
  return (
    <Card title={t('home.findingsTitle')} testId="card-findings" alert={attention}>
      <Stack gap="xs">
        <Text size="sm">{n > 0 ? t('home.findingsSome', { count: n }) : t('home.findingsNone')}</Text>
        <Anchor href={href('/audit', { tab: 'verification' })} size="sm">
          {t('home.openFindings')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** Drafts waiting for a QA manager: each with its flagged values, linking to the editor. */
export function SpecsAwaitingCard() {
  const { t, i18n } = useTranslation();
  const specs = useCall('specs.list', {});
  const drafts = (specs.data ?? []).flatMap((s) =>
    s.versions.filter((v) => v.status === 'draft').map((v) => ({ spec: s, version: v })),
  );
  return (
    <Card title={t('home.specsTitle')} testId="card-specs">
      <Stack gap="xs">
        <ErrorAlert error={specs.error} />
        {specs.data && drafts.length === 0 ? <Text size="sm">{t('home.specsNone')}</Text> : null}
        {drafts.length > 0 ? <Text size="sm">{t('home.specsSome', { count: drafts.length })}</Text> : null}
        {drafts.map(({ spec, version }) => (
          <Group key={version.id} gap="xs" wrap="nowrap" data-testid={`card-spec-${spec.code}`}>
            <Anchor href={href(`/specs/version/${version.id}`)} size="sm" fw={600}>
              {spec.code} v{version.version}
            </Anchor>
            <Text size="xs" c="dimmed" truncate>
              {i18n.language.startsWith('zh') ? spec.titleZh : spec.titleEn}
            </Text>
            {version.flagged > 0 ? (
              <Badge color="orange" variant="light" tt="none" style={{ flexShrink: 0 }}>
                {t('home.specsFlagged', { count: version.flagged })}
              </Badge>
            ) : (
              <Badge color="green" variant="light" tt="none" style={{ flexShrink: 0 }}>
                {t('home.specsReady')}
              </Badge>
            )}
          </Group>
        ))}
        <Anchor href={href('/specifications', { tab: 'specs' })} size="sm">
          {t('home.openSpecs')}
        </Anchor>
      </Stack>
    </Card>
  );
}
