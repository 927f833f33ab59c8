import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { href } from '../../core/router';
import { todayIso } from '../../ui/dates';
import { SampleLink } from '../../ui/sample';
import { registerRetentionHref } from './retention-page';


/** Technician: swabs and water samples due today (or overdue), each a click from registration. */
export function SwabsDueCard() {
  const { t, i18n } = useTranslation();
  const due = useCall('sites.due', { date: todayIso() }, { staleTime: 0 });
  const rows = due.data ?? [];
  const overdue = rows.some((r) => r.overdueDays > 0);
  return (
    <Card title={t('samples.cards.swabsTitle')} testId="card-swabs-due" alert={overdue}>
      <Stack gap="xs">
        <ErrorAlert error={due.error} />
        {due.data ? <Text size="sm">{rows.length === 0 ? t('samples.cards.swabsNone') : t('samples.cards.swabsSome', { count: rows.length })}</Text> : null}
        {rows.slice(0, 6).map((r) => (
          <Group key={r.scheduleId} gap="xs" wrap="nowrap">
            <Anchor
              href={href('/samples', { kind: r.kind === 'water' ? 'water' : 'environmental_swab', site: r.siteCode, targets: r.targets.join(',') })}
              size="sm"
              ff="monospace"
              fw={600}
            >
              {r.siteCode}
            </Anchor>
            <Text size="xs" c="dimmed" truncate>
              {i18n.language.startsWith('zh') ? r.nameZh : r.nameEn}
            </Text>
            {r.overdueDays > 0 ? (
              <Badge color="red" variant="light" tt="none" style={{ flexShrink: 0 }}>
                {t('sites.overdue', { count: r.overdueDays })}
              </Badge>
            ) : null}
          </Group>
        ))}
        <Anchor href={href('/sites')} size="sm">
          {t('samples.cards.openSites')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** Technician: samples registered but not yet received at the lab. */
export function UnreceivedCard() {
  const { t } = useTranslation();
  const list = useCall('samples.list', { status: 'registered', limit: 8 }, { staleTime: 0 });
  const total = list.data?.total ?? 0;
  return (
    <Card title={t('samples.cards.unreceivedTitle')} testId="card-samples-unreceived">
      <Stack gap="xs">
        <ErrorAlert error={list.error} />
        {list.data ? <Text size="sm">{total === 0 ? t('samples.cards.unreceivedNone') : t('samples.cards.unreceivedSome', { count: total })}</Text> : null}
        <Group gap="xs">
          {(list.data?.samples ?? []).map((s) => (
            <SampleLink key={s.code} code={s.code} />
          ))}
        </Group>
        <Anchor href={href('/sample-list', { status: 'registered' })} size="sm">
          {t('samples.cards.openList')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** QA manager: retention samples whose keep-until date comes within 30 days. */
export function RetentionDueCard() {
  const { t } = useTranslation();
  const list = useCall('samples.retention.list', { withinDays: 30, limit: 8 }, { staleTime: 0 });
  const total = list.data?.total ?? 0;
  return (
    <Card title={t('samples.cards.retentionTitle')} testId="card-retention-due">
      <Stack gap="xs">
        <ErrorAlert error={list.error} />
        {list.data ? <Text size="sm">{total === 0 ? t('samples.cards.retentionNone') : t('samples.cards.retentionSome', { count: total })}</Text> : null}
        <Group gap="xs">
          {(list.data?.samples ?? []).map((s) => (
            <SampleLink key={s.code} code={s.code} />
          ))}
        </Group>
        <Anchor href={href('/retention')} size="sm">
          {t('samples.cards.openRetention')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** QA manager: finished lots that have no retention sample (red). */
export function RetentionMissingCard() {
  const { t } = useTranslation();
  const missing = useCall('samples.retention.missing', { limit: 8 }, { staleTime: 0 });
  const total = missing.data?.total ?? 0;
  return (
    <Card title={t('samples.cards.missingTitle')} testId="card-retention-missing" alert={total > 0}>
      <Stack gap="xs">
        <ErrorAlert error={missing.error} />
        {missing.data ? (
          <Text size="sm" c={total > 0 ? 'red.7' : undefined} fw={total > 0 ? 600 : undefined}>
            {total === 0 ? t('samples.cards.missingNone') : t('samples.cards.missingSome', { count: total })}
          </Text>
        ) : null}
        {(missing.data?.lots ?? []).map((l) => (
          <Group key={l.code} gap="xs" wrap="nowrap">
            <Anchor href={href(`/lots/${encodeURIComponent(l.code)}`)} size="sm" ff="monospace" fw={600} c="red.7">
              {l.code}
            </Anchor>
            <Anchor href={registerRetentionHref(l.code)} size="xs">
              {t('samples.retention.registerOne')}
            </Anchor>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
