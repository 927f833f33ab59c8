import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Completeness } from '../../../../../shared/contract/channels/testing';
import { itemGroups } from '../../../../../shared/catalog/spec-schema';
import { ApiError } from '../../../core/api/client';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { oosHref, SampleTestingLink, trendHref, VerdictBadge } from '../review/result-format';
import { useReportedText } from '../reported';
import { isDecimalText } from '../../../../../shared/contract/formats';

type ItemState = Completeness['items'][number]['state'];

const stateColor: Record<ItemState, string> = {
  missing: 'red',
  pending: 'gray',
  done: 'blue',
  reviewed: 'green',
  failed: 'red',
  external_not_counted: 'orange',
};

const groupOrder = (g: string) => {
  const i = (itemGroups as readonly string[]).indexOf(g);
  return i < 0 ? itemGroups.length : i;
};

/**
 * Is this lot fully tested? Per item group of the specification in force on the lot's date:
 * required items, done, reviewed, failed, missing (GB 10765/10766/10767-2021: every item,
 * every lot; SAMR 2020: in the plant's own laboratory, so an external lab's result does not
 * count for an in-house-only item). The lot page shows it above the lot decision.
 */
export function CompletenessPanel({ lotCode }: { lotCode: string }) {
  const { t, i18n } = useTranslation();
  const shownReported = useReportedText();
  const zh = i18n.language.startsWith('zh');
  const q = useCall('results.completeness', { lotCode }, { staleTime: 0, retry: false });
  const [open, setOpen] = useState(false);

  if (q.isLoading) return <Loader size="sm" />;
  if (!q.data) {
    // A caller without results.read (or an old server) simply has no panel.
    if (q.error instanceof ApiError && (q.error.code === 'forbidden' || q.error.code === 'not_found')) return null;
    return <ErrorAlert error={q.error} />;
  }
  const c = q.data;
  const required = c.items.filter((i) => i.required).length;
  const reviewed = c.items.filter((i) => i.required && i.state === 'reviewed').length;
  const groups = [...c.groups].sort((a, b) => groupOrder(a.group) - groupOrder(b.group));
  const nameOf = (code: string) => {
    const it = c.items.find((i) => i.code === code);
    return it ? `${zh ? it.nameZh : it.nameEn} (${code})` : code;
  };

  return (
    <Paper withBorder p="sm" data-testid="completeness-panel" data-complete={c.complete}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={2}>
          <Group gap="sm">
            <Title order={5}>{t('completeness.title')}</Title>
            <Badge
              color={c.complete ? 'green' : 'orange'}
              variant={c.complete ? 'filled' : 'light'}
              tt="none"
              data-testid="completeness-status"
              data-complete={c.complete}
            >
              {c.complete ? t('completeness.complete') : t('completeness.incomplete')}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {c.spec
              ? t('completeness.spec', {
                  code: c.spec.code,
                  version: c.spec.version,
                  from: c.spec.effectiveFrom ?? '—',
                })
              : t('completeness.noSpec')}
          </Text>
        </Stack>
        {c.spec ? (
          <Text size="sm" fw={600} data-testid="completeness-summary">
            {t('completeness.summary', { reviewed, required })}
          </Text>
        ) : null}
      </Group>

      {c.spec ? (
        <Text size="sm" mb="xs">
          {c.complete ? t('completeness.completeHelp') : t('completeness.incompleteHelp')}
        </Text>
      ) : null}

      {c.openOos.length > 0 ? (
        <Alert color="red" variant="light" p="xs" mb="xs" data-testid="completeness-oos">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {t('completeness.openOos', { count: c.openOos.length })}
            </Text>
            {c.openOos.map((code) => (
              <Anchor
                key={code}
                href={oosHref(code)}
                ff="monospace"
                fw={700}
                size="sm"
                data-testid={`completeness-oos-${code}`}
              >
                {code}
              </Anchor>
            ))}
          </Group>
        </Alert>
      ) : null}

      {c.externalNotCounted.length > 0 ? (
        <Alert
          color="orange"
          variant="light"
          p="xs"
          mb="xs"
          title={t('completeness.externalTitle')}
          data-testid="completeness-external"
        >
          <Text size="sm">
            {t('completeness.externalRule', { items: c.externalNotCounted.map(nameOf).join(zh ? '、' : ', ') })}
          </Text>
        </Alert>
      ) : null}

      {groups.length > 0 ? (
        <Table fz="sm" verticalSpacing={4} data-testid="completeness-groups">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('completeness.group')}</Table.Th>
              <Table.Th w="32%">{t('completeness.progress')}</Table.Th>
              <Table.Th ta="right">{t('completeness.required')}</Table.Th>
              <Table.Th ta="right">{t('completeness.done')}</Table.Th>
              <Table.Th ta="right">{t('completeness.reviewed')}</Table.Th>
              <Table.Th ta="right">{t('completeness.failed')}</Table.Th>
              <Table.Th ta="right">{t('completeness.missing')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => {
              const base = Math.max(g.required, g.done, 1);
              const pct = (n: number) => (100 * n) / base;
              const doneOnly = Math.max(0, g.done - g.reviewed - g.failed);
              return (
                <Table.Tr
                  key={g.group}
                  data-testid={`completeness-group-${g.group}`}
                  data-missing={g.missing}
                  data-failed={g.failed}
                >
                  <Table.Td fw={600}>{t(`specs.groups.${g.group}`, { defaultValue: g.group })}</Table.Td>
                  <Table.Td>
                    <Tooltip
                      label={t('completeness.barHelp', {
                        reviewed: g.reviewed,
                        done: doneOnly,
                        failed: g.failed,
                        missing: g.missing,
                      })}
                      withArrow
                    >
                      <Progress.Root size="lg">
                        <Progress.Section value={pct(g.reviewed)} color="green" />
                        <Progress.Section value={pct(doneOnly)} color="blue" />
                        <Progress.Section value={pct(g.failed)} color="red" />
                      </Progress.Root>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td ta="right">{g.required}</Table.Td>
                  <Table.Td ta="right">{g.done}</Table.Td>
                  <Table.Td ta="right">{g.reviewed}</Table.Td>
                  <Table.Td ta="right" c={g.failed > 0 ? 'red.8' : undefined} fw={g.failed > 0 ? 700 : undefined}>
                    {g.failed}
                  </Table.Td>
                  <Table.Td ta="right" c={g.missing > 0 ? 'orange.8' : undefined} fw={g.missing > 0 ? 700 : undefined}>
                    {g.missing}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}

      {c.items.length > 0 ? (
        <>
          <Button variant="subtle" size="xs" mt="xs" onClick={() => setOpen(!open)} data-testid="completeness-toggle">
            {open ? t('completeness.hideItems') : t('completeness.showItems', { count: c.items.length })}
          </Button>
          {open ? (
            <Table fz="sm" withTableBorder striped mt="xs" data-testid="completeness-items">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('completeness.item')}</Table.Th>
                  <Table.Th>{t('completeness.group')}</Table.Th>
                  <Table.Th>{t('completeness.state')}</Table.Th>
                  <Table.Th ta="right">{t('completeness.reported')}</Table.Th>
                  <Table.Th>{t('completeness.limit')}</Table.Th>
                  <Table.Th>{t('completeness.verdict')}</Table.Th>
                  <Table.Th>{t('completeness.sample')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.items.map((i) => (
                  <Table.Tr key={i.code} data-testid={`completeness-item-${i.code}`} data-state={i.state}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {zh ? i.nameZh : i.nameEn}
                      </Text>
                      <Group gap={4}>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {i.code}
                        </Text>
                        {!i.required ? (
                          <Badge size="xs" variant="outline" color="gray" tt="none">
                            {t('completeness.notRequired')}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{t(`specs.groups.${i.group}`, { defaultValue: i.group })}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={stateColor[i.state]}
                        variant={i.state === 'missing' || i.state === 'failed' ? 'filled' : 'light'}
                        tt="none"
                        size="sm"
                      >
                        {t(`completeness.states.${i.state}`)}
                      </Badge>
                      {i.externalLab ? (
                        <Text size="xs" c="dimmed">
                          {i.externalLab}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {shownReported(i.reported, i.reporting)}{' '}
                      <Text span size="xs" c="dimmed" ff="var(--mantine-font-family)">
                        {i.reported ? i.reportUnit : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td ff="monospace">{i.limitText}</Table.Td>
                    <Table.Td>
                      <VerdictBadge verdict={i.verdict} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        {i.sampleCode ? <SampleTestingLink code={i.sampleCode} /> : <Text c="dimmed">—</Text>}
                        {i.state === 'reviewed' && i.resultId && isDecimalText(i.reported) ? (
                          <Anchor size="xs" href={trendHref(c.itemCode, i.code, i.resultId)}>
                            {t('completeness.trend')}
                          </Anchor>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </>
      ) : null}
    </Paper>
  );
}
