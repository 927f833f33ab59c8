import { Anchor, Badge, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { formatTime } from '../../ui/format';
import { visibleRaw } from './instrument-format';
import { Person } from '../../ui/person';

type CaptureView = ChannelOutput<'instruments.get'>['captures'][number];
type RefusedView = ChannelOutput<'instruments.get'>['refused'][number];

/**
 * The capture log: every reading kept from this instrument, newest first, with the bytes it
 * sent exactly as received (the ALCOA+ original; control characters shown as <0d><0a>), what
 * was read from them, and whether a person typed over it or a failed check flagged it.
 */
export function CapturesTab({ captures, refused }: { captures: CaptureView[]; refused: RefusedView[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      {captures.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="captures-empty">
          {t('instruments.captures.none')}
        </Text>
      ) : (
        <CapturesTable captures={captures} />
      )}
      <RefusedTable refused={refused} />
    </Stack>
  );
}

function CapturesTable({ captures }: { captures: CaptureView[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('instruments.captures.intro')}
      </Text>
      <Table.ScrollContainer minWidth={1000}>
        <Table withTableBorder verticalSpacing={6} fz="sm" data-testid="captures-table">
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              <Table.Th>{t('instruments.captures.at')}</Table.Th>
              <Table.Th>{t('instruments.captures.purpose')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('instruments.captures.value')}</Table.Th>
              <Table.Th>{t('instruments.captures.raw')}</Table.Th>
              <Table.Th>{t('instruments.captures.result')}</Table.Th>
              <Table.Th>{t('instruments.captures.marks')}</Table.Th>
              <Table.Th>{t('instruments.captures.by')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {captures.map((c) => (
              <Table.Tr key={c.id} data-testid="capture-row" data-purpose={c.purpose} style={{ verticalAlign: 'top' }}>
                <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {formatTime(c.at)}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge
                    variant="light"
                    tt="none"
                    color={c.purpose === 'result' ? 'blue' : 'teal'}
                    style={{ overflow: 'visible' }}
                  >
                    {t(`instruments.captures.purposes.${c.purpose}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  <Text size="sm" ff="monospace" fw={700} data-testid="capture-value">
                    {c.value ?? '—'} {c.unit ?? ''}
                  </Text>
                  {c.field ? (
                    <Text size="xs" ff="monospace" c="dimmed" data-testid="capture-field">
                      {c.field}
                      {c.readValue !== null && c.conversion ? ` = ${c.readValue} ${c.readUnit ?? ''}` : ''}
                    </Text>
                  ) : null}
                  {c.conversion ? (
                    <Tooltip label={c.conversion} multiline maw={320}>
                      <Text size="xs" c="indigo.8" data-testid="capture-conversion">
                        {t('instruments.captures.converted')}
                      </Text>
                    </Tooltip>
                  ) : null}
                  <Text size="xs" c={c.stable ? 'dimmed' : 'orange.8'}>
                    {c.stable ? t('instruments.captures.stable') : t('instruments.captures.unstable')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code data-testid="capture-raw" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {visibleRaw(c.raw)}
                  </Code>
                </Table.Td>
                <Table.Td>
                  {c.resultId ? <ResultRef id={c.resultId} replicate={(c.replicateIndex ?? 0) + 1} /> : '—'}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {c.status === 'typed_over' ? (
                      <Tooltip label={c.typedOverReason ?? ''} disabled={!c.typedOverReason} multiline maw={320}>
                        <Badge color="orange" variant="outline" tt="none" data-testid="capture-typed-over">
                          {t('instruments.captures.typedOver')}
                        </Badge>
                      </Tooltip>
                    ) : null}
                    {c.flagged ? (
                      <Tooltip label={c.flagReason ?? ''} disabled={!c.flagReason} multiline maw={320}>
                        <Badge color="red" variant="filled" tt="none" data-testid="capture-flagged">
                          {t('instruments.captures.flagged')}
                        </Badge>
                      </Tooltip>
                    ) : null}
                  </Group>
                  {c.typedOverReason ? (
                    <Text size="xs" c="orange.9" maw={220}>
                      {c.typedOverReason}
                    </Text>
                  ) : null}
                  {c.flagReason ? (
                    <Text size="xs" c="red.8" maw={220}>
                      {c.flagReason}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    <Person id={c.by} />
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** Frames refused when a capture or a check reading was asked for, kept as evidence (D-057). */
function RefusedTable({ refused }: { refused: RefusedView[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="refused-frames">
      <Text fw={600} size="sm">
        {t('instruments.captures.refusedTitle')}
      </Text>
      <Text size="sm" c="dimmed">
        {t('instruments.captures.refusedIntro')}
      </Text>
      {refused.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="refused-empty">
          {t('instruments.captures.refusedNone')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder verticalSpacing={6} fz="sm" data-testid="refused-table">
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('instruments.captures.at')}</Table.Th>
                <Table.Th>{t('instruments.captures.purpose')}</Table.Th>
                <Table.Th>{t('instruments.captures.reason')}</Table.Th>
                <Table.Th>{t('instruments.captures.raw')}</Table.Th>
                <Table.Th>{t('instruments.captures.result')}</Table.Th>
                <Table.Th>{t('instruments.captures.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {refused.map((f) => (
                <Table.Tr key={f.id} data-testid="refused-row" data-error={f.error} style={{ verticalAlign: 'top' }}>
                  <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {formatTime(f.at)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge
                      variant="light"
                      tt="none"
                      color={f.purpose === 'result' ? 'blue' : 'teal'}
                      style={{ overflow: 'visible' }}
                    >
                      {t(`instruments.captures.purposes.${f.purpose}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td maw={280}>
                    <Text size="sm" c="red.8">
                      {t(`instrumentReading.${f.error}`, {
                        detail: f.detail ?? '',
                        unit: '',
                        expected: '',
                        got: '',
                        sample: f.sampleCode ?? '',
                        defaultValue: f.error,
                      })}
                    </Text>
                    {f.detail ? (
                      <Text size="xs" c="dimmed">
                        {f.detail}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Code data-testid="refused-raw" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                      {visibleRaw(f.raw)}
                    </Code>
                  </Table.Td>
                  <Table.Td>
                    {f.resultId ? <ResultRef id={f.resultId} replicate={1} /> : (f.sampleCode ?? '—')}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      <Person id={f.by} />
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** The result a capture filled: its sample and test, linking to the entry grid with the test focused. */
function ResultRef({ id, replicate }: { id: string; replicate: number }) {
  const { t, i18n } = useTranslation();
  const r = useCall('results.get', { id }, { staleTime: 60_000, retry: false }).data?.result;
  return (
    <Stack gap={0}>
      {r ? (
        <Anchor
          size="xs"
          href={href(`/testing/sample/${encodeURIComponent(r.sampleCode)}`, { focus: r.id })}
          data-testid="capture-result"
        >
          <Text span ff="monospace" size="xs" fw={600}>
            {r.sampleCode}
          </Text>{' '}
          · {i18n.language.startsWith('zh') ? r.nameZh : r.nameEn}
        </Anchor>
      ) : (
        <Text size="xs" ff="monospace">
          {id.slice(0, 8)}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('instruments.captures.replicate', { n: replicate })}
      </Text>
    </Stack>
  );
}
