import type { ReactNode } from 'react';
import { Anchor, Badge, Group, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { Card, type CardTone } from '../../ui/card';
import { ErrorAlert } from '../../ui/error-alert';
import { testingSampleHref } from '../../ui/result';
import { LotLink } from '../../ui/lot';
import { formatTime } from '../../ui/format';

/**
 * 待我处理 at a glance (issue 22 §1): one figure per kind of work the session's roles do,
 * each from its own permissioned read in main (contract/channels/home.ts). A read the session
 * may not make is not asked for; main would refuse it anyway.
 */
export function WaitingSummary() {
  const { t } = useTranslation();
  const s = useSession();
  const may = (p: string) => hasPermission(s, p);
  const tests = useCall('home.myTests', {}, { enabled: may('results.enter'), staleTime: 0 });
  const review = useCall('home.toReview', {}, { enabled: may('results.review'), staleTime: 0 });
  const release = useCall('home.toRelease', {}, { enabled: may('lots.decide'), staleTime: 0 });
  const checks = useCall('home.overdueChecks', {}, { enabled: may('instruments.calibrate'), staleTime: 0 });
  const tiles: ReactNode[] = [];
  if (may('results.enter'))
    tiles.push(
      <Tile
        key="tests"
        testId="waiting-my-tests"
        label={t('waiting.myTests')}
        value={tests.data ? tests.data.assigned + tests.data.unassigned : null}
        detail={
          tests.data
            ? t('waiting.myTestsDetail', { assigned: tests.data.assigned, unassigned: tests.data.unassigned })
            : null
        }
        tone={tests.data && tests.data.overdue > 0 ? 'red' : undefined}
        extra={tests.data && tests.data.overdue > 0 ? t('waiting.overdue', { count: tests.data.overdue }) : null}
        link={href('/testing', { analyst: s.userId })}
      />,
    );
  if (may('results.review'))
    tiles.push(
      <Tile
        key="review"
        testId="waiting-to-review"
        label={t('waiting.toReview')}
        value={review.data?.samples ?? null}
        detail={review.data ? t('waiting.toReviewDetail', { results: review.data.results }) : null}
        tone={review.data && review.data.failed > 0 ? 'orange' : undefined}
        extra={review.data && review.data.own > 0 ? t('waiting.ownExcluded', { count: review.data.own }) : null}
        link={href('/review')}
      />,
    );
  if (may('lots.decide'))
    tiles.push(
      <Tile
        key="release"
        testId="waiting-to-release"
        label={t('waiting.toRelease')}
        value={release.data?.ready ?? null}
        detail={release.data ? t('waiting.toReleaseDetail', { blocked: release.data.blocked }) : null}
        tone={release.data && release.data.ready > 0 ? 'green' : undefined}
        link={href('/release')}
      />,
    );
  if (may('instruments.calibrate'))
    tiles.push(
      <Tile
        key="checks"
        testId="waiting-overdue-checks"
        label={t('waiting.overdueChecks')}
        value={checks.data?.overdue ?? null}
        detail={checks.data ? t('waiting.dueSoon', { count: checks.data.dueSoon, days: checks.data.withinDays }) : null}
        tone={checks.data && checks.data.overdue > 0 ? 'red' : undefined}
        link={href('/instruments')}
      />,
    );
  if (tiles.length === 0) return null;
  const error = tests.error ?? review.error ?? release.error ?? checks.error;
  return (
    <Card title={t('waiting.title')} testId="card-waiting">
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 2, md: 4 }}>{tiles}</SimpleGrid>
    </Card>
  );
}

function Tile({
  testId,
  label,
  value,
  detail,
  extra,
  tone,
  link,
}: {
  testId: string;
  label: string;
  value: number | null;
  detail: string | null;
  extra?: string | null;
  tone?: CardTone | undefined;
  link: string;
}) {
  const colour = tone === 'red' ? 'red.7' : tone === 'orange' ? 'orange.8' : tone === 'green' ? 'green.8' : undefined;
  return (
    <UnstyledButton component="a" href={link} data-testid={testId} data-count={value ?? ''}>
      <Stack gap={2}>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {label}
        </Text>
        <Text fz={32} fw={700} lh={1.1} c={colour}>
          {value ?? '…'}
        </Text>
        {detail ? (
          <Text size="xs" c="dimmed">
            {detail}
          </Text>
        ) : null}
        {extra ? (
          <Text size="xs" c={colour ?? 'dimmed'}>
            {extra}
          </Text>
        ) : null}
      </Stack>
    </UnstyledButton>
  );
}

/** Technician: 我的待检 — the samples holding my open tests (and the unassigned ones), most urgent first. */
export function MyTestsCard() {
  const { t } = useTranslation();
  const s = useSession();
  const q = useCall('home.myTests', {}, { staleTime: 0 });
  const d = q.data;
  const total = d ? d.assigned + d.unassigned : 0;
  return (
    <Card title={t('waiting.myTests')} testId="card-my-tests" alert={!!d && d.overdue > 0}>
      <Stack gap="xs">
        <ErrorAlert error={q.error} />
        {d ? (
          <Text size="sm" data-testid="card-my-tests-summary">
            {total === 0
              ? t('waiting.myTestsNone')
              : t('waiting.myTestsDetail', { assigned: d.assigned, unassigned: d.unassigned })}
          </Text>
        ) : null}
        {d && d.returned > 0 ? (
          <Text size="xs" c="orange.8">
            {t('waiting.returned', { count: d.returned })}
          </Text>
        ) : null}
        {(d?.samples ?? []).map((x) => (
          <Group key={x.sampleCode} gap="xs" wrap="nowrap">
            <Anchor href={testingSampleHref(x.sampleCode)} size="sm" ff="monospace" fw={600}>
              {x.sampleCode}
            </Anchor>
            {x.lotCode ? <LotLink code={x.lotCode} /> : null}
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {t('waiting.tests', { count: x.tests })}
            </Text>
            {x.overdue > 0 ? (
              <Badge size="xs" color="red" variant="light" tt="none" style={{ flexShrink: 0 }}>
                {t('waiting.overdue', { count: x.overdue })}
              </Badge>
            ) : null}
          </Group>
        ))}
        <Group gap="md">
          <Anchor href={href('/testing', { analyst: s.userId })} size="sm">
            {t('waiting.openMine')}
          </Anchor>
          <Anchor href={href('/samples')} size="sm">
            {t('waiting.openReception')}
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}

/** Inspector: what there is to look at, read-only, and where. */
export function InspectorCard() {
  const { t } = useTranslation();
  const q = useCall('home.inspector', {}, { staleTime: 0 });
  const d = q.data;
  const row = (label: string, value: number, link: string, testId: string) => (
    <Group key={testId} gap="xs" justify="space-between" wrap="nowrap" data-testid={testId}>
      <Anchor href={link} size="sm">
        {label}
      </Anchor>
      <Text size="sm" fw={600} ff="monospace">
        {value}
      </Text>
    </Group>
  );
  return (
    <Card title={t('waiting.inspectorTitle')} testId="card-inspector" alert={!!d && d.openFindings > 0}>
      <Stack gap={6}>
        <Text size="sm" c="dimmed">
          {t('waiting.inspectorIntro')}
        </Text>
        <ErrorAlert error={q.error} />
        {d ? (
          <>
            {row(t('waiting.inspectorLots'), d.lots, href('/lots'), 'inspector-lots')}
            {row(
              t('waiting.inspectorFinished'),
              d.finishedLots,
              href('/lots', { kind: 'finished' }),
              'inspector-finished',
            )}
            {row(
              t('waiting.inspectorDecided'),
              d.decidedLots,
              href('/lots', { status: 'released' }),
              'inspector-decided',
            )}
            {row(t('waiting.inspectorSamples'), d.samples, href('/sample-list'), 'inspector-samples')}
            {row(t('waiting.inspectorDrills'), d.drills, href('/drills'), 'inspector-drills')}
            {row(t('waiting.inspectorAudit'), d.auditEntries, href('/audit'), 'inspector-audit')}
            <Text size="xs" c={d.openFindings > 0 ? 'red.7' : 'dimmed'}>
              {d.verifiedAt
                ? t('waiting.inspectorVerified', { at: formatTime(d.verifiedAt), count: d.openFindings })
                : t('waiting.inspectorNotVerified')}
            </Text>
            <Anchor href={href('/audit', { tab: 'verification' })} size="sm">
              {t('waiting.inspectorVerify')}
            </Anchor>
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
