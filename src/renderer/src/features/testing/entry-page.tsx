import { useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import type { SampleStatus } from '../../../../shared/contract/channels/samples';
import { ApiError } from '../../core/api/client';
import { callKey, useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { LotLink } from '../../ui/lot';
import { SampleStatusBadge, sampleHref } from '../../ui/sample';
import { AddTestModal, CorrectDialog, ExternalLabDialog, SubmitDialog } from './entry-dialogs';
import { EntryGrid } from './entry-grid';
import { RecordCapture } from '../../core/slots';
import { MicroPanel } from './micro-panel';
import { ResultDrawer } from './result-drawer';
import { ScanBox } from './scan-box';
import { isZh, itemName, oosHref, reasonText, TestingTabs } from './testing-format';
import { num } from '../../ui/format';
import { useEntry, type ForSample } from './use-entry';

const TESTABLE = ['received', 'in_testing'];

/** `#/testing/sample/<code>`: a sample's tests, the entry grid, submission with a signature. */
export function EntryPage({ code, focus }: { code: string; focus: string | null }) {
  const { t } = useTranslation();
  const detail = useCall('results.forSample', { sampleCode: code }, { staleTime: 0, retry: false });

  if (detail.isLoading) return <Loader />;
  if (!detail.data) {
    const notFound = detail.error instanceof ApiError && detail.error.code === 'not_found';
    return (
      <Stack>
        <Group justify="space-between">
          <TestingTabs active={null} />
          <ScanBox autoFocus />
        </Group>
        {notFound ? (
          <Alert color="red" title={t('testing.entry.notFoundTitle')} data-testid="entry-not-found">
            {t('testing.entry.notFound', { code })}
          </Alert>
        ) : (
          <ErrorAlert error={detail.error} />
        )}
      </Stack>
    );
  }
  return <EntryLoaded data={detail.data} focus={focus} />;
}

function EntryLoaded({ data, focus }: { data: ForSample; focus: string | null }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const { sample } = data;
  const testable = TESTABLE.includes(sample.status);
  const mayEnter = hasPermission(session, 'results.enter') && !session.readOnly;
  const canEnter = mayEnter && testable;
  const entry = useEntry(sample.code, data, t, i18n.language, canEnter);
  const [drawer, setDrawer] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<ResultView | null>(null);
  const [external, setExternal] = useState<ResultView | null>(null);
  const [adding, setAdding] = useState(false);
  const [signing, setSigning] = useState(false);
  const [submitted, setSubmitted] = useState<{ submitted: number; oos: string[] } | null>(null);
  const plan = useMutationCall('results.plan', {
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: t('testing.plan.done', { count: r.created }) });
      void qc.invalidateQueries({ queryKey: ['results.forSample'] });
    },
  });

  const rows = entry.results;
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const toSubmit = rows.filter((r) => r.status === 'entered' || r.status === 'returned');
  const blocked = toSubmit.filter((r) => r.verdict === null || r.verdict === 'invalid');
  const failed = rows.filter((r) => r.verdict === 'fail' && r.status !== 'invalidated').length;
  const nameOfCode = (c: string) => {
    const r = rows.find((x) => x.itemCode === c);
    return r ? itemName(r, i18n.language) : c;
  };
  const blockedText = blocked
    .map(
      (r) =>
        `${itemName(r, i18n.language)} (${(reasonText(t, r.verdictReason, r.verdictDetails, nameOfCode) || t('testing.verdicts.empty')).replace(/[.。]$/, '')})`,
    )
    .join('; ');
  // Unsaved values are saved first; whether anything can be signed is decided after that.
  const submitDisabled =
    !canEnter || entry.busy || (entry.dirty === 0 && (toSubmit.length === 0 || blocked.length > 0));
  let submitWhy: string | null = null;
  if (!mayEnter) submitWhy = t('testing.submit.noPermission');
  else if (!testable) submitWhy = t('testing.submit.notTestable');
  else if (entry.dirty > 0) submitWhy = t('testing.submit.saveFirst');
  else if (blocked.length > 0) submitWhy = t('testing.submit.blocked', { items: blockedText });
  else if (toSubmit.length === 0 && entry.dirty === 0)
    submitWhy =
      rows.length > 0 && rows.every((r) => ['submitted', 'reviewed', 'invalidated'].includes(r.status))
        ? t('testing.submit.allDone')
        : t('testing.submit.nothing');

  const openSign = async () => {
    await entry.saveAll();
    setSubmitted(null);
    // Decide on what the server now holds (this render's rows predate the saves).
    const saved =
      qc.getQueryData<ForSample>(callKey('results.forSample', { sampleCode: sample.code }))?.results ?? rows;
    const ready = saved.filter((r) => r.status === 'entered' || r.status === 'returned');
    if (ready.length > 0 && ready.every((r) => r.verdict !== null && r.verdict !== 'invalid')) setSigning(true);
  };

  return (
    <Stack data-testid="entry-page" data-sample={sample.code}>
      <Group justify="space-between">
        <TestingTabs active={null} />
        <ScanBox />
      </Group>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t(`samples.kinds.${sample.kind}`, { defaultValue: sample.kind })}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace" data-testid="entry-sample-code">
                {sample.code}
              </Title>
              <SampleStatusBadge status={sample.status as SampleStatus} size="lg" />
            </Group>
            <Group gap="xs">
              {sample.lotCode ? (
                <>
                  <Text size="sm">{t('testing.entry.lot')}:</Text>
                  <LotLink code={sample.lotCode} />
                </>
              ) : null}
              {sample.itemName ? (
                <Text size="sm">
                  {sample.itemCode} · {isZh(i18n.language) ? sample.itemName.zh : sample.itemName.en}
                </Text>
              ) : null}
              {sample.spec ? (
                <Anchor href={href(`/specs/version/${sample.spec.versionId}`)} size="sm" data-testid="entry-spec">
                  {t('testing.entry.spec', { code: sample.spec.code, version: sample.spec.version })}
                </Anchor>
              ) : (
                <Text size="sm" c="orange.8">
                  {t('testing.entry.noSpec')}
                </Text>
              )}
              <Anchor href={sampleHref(sample.code)} size="sm" data-testid="entry-sample-link">
                {t('testing.entry.samplePage')}
              </Anchor>
            </Group>
          </Stack>
          <SimpleGrid cols={6} spacing="lg" data-testid="entry-summary">
            <Count label={t('testing.status.pending')} value={count('pending')} testId="summary-pending" />
            <Count label={t('testing.entry.toSubmit')} value={toSubmit.length} testId="summary-entered" />
            <Count label={t('testing.status.submitted')} value={count('submitted')} testId="summary-submitted" />
            <Count label={t('testing.status.reviewed')} value={count('reviewed')} testId="summary-reviewed" />
            <Count
              label={t('testing.entry.failed')}
              value={failed}
              testId="summary-failed"
              color={failed ? 'red' : undefined}
            />
            <Count label={t('testing.entry.total')} value={rows.length} testId="summary-total" />
          </SimpleGrid>
        </Group>
      </Paper>

      {sample.status === 'registered' ? (
        <Alert color="yellow" title={t('testing.entry.notReceivedTitle')} data-testid="entry-not-received">
          {t('testing.entry.notReceived')}{' '}
          <Anchor href={sampleHref(sample.code)}>{t('testing.entry.openSample')}</Anchor>
        </Alert>
      ) : !testable ? (
        <Alert color="gray" data-testid="entry-closed">
          {t('testing.entry.closed', { status: t(`samples.status.${sample.status}`, { defaultValue: sample.status }) })}
        </Alert>
      ) : !mayEnter ? (
        <Alert color="blue" variant="light" data-testid="entry-read-only">
          {t('testing.entry.readOnly')}
        </Alert>
      ) : null}

      {submitted ? (
        <Alert
          color={submitted.oos.length ? 'red' : 'green'}
          withCloseButton
          onClose={() => setSubmitted(null)}
          data-testid="submit-result"
        >
          <Text size="sm" fw={600} data-testid="submit-count">
            {t('testing.submit.done', { count: submitted.submitted })}
          </Text>
          {submitted.oos.length > 0 ? (
            <Group gap="xs" mt={4}>
              <Text size="sm">{t('testing.submit.oosOpened')}</Text>
              {submitted.oos.map((c) => (
                <Anchor key={c} href={oosHref(c)} ff="monospace" fw={700} c="red" data-testid={`submit-oos-${c}`}>
                  {c}
                </Anchor>
              ))}
            </Group>
          ) : null}
        </Alert>
      ) : null}

      {rows.length === 0 ? (
        <Paper withBorder p="lg" data-testid="entry-empty">
          <Stack gap="sm" align="flex-start">
            <Title order={4}>{t('testing.plan.title')}</Title>
            <Text size="sm">{sample.spec || sample.lotCode ? t('testing.plan.intro') : t('testing.plan.noLot')}</Text>
            <ErrorAlert error={plan.error} />
            {mayEnter && sample.lotCode ? (
              <Button
                loading={plan.isPending}
                onClick={() => plan.mutate({ sampleCode: sample.code })}
                data-testid="entry-plan"
              >
                {t('testing.plan.button')}
              </Button>
            ) : null}
          </Stack>
        </Paper>
      ) : (
        <>
          {/* Records of printing instruments fill several results at once (issue 20 §1). */}
          {canEnter ? <RecordCapture sampleCode={sample.code} results={rows} /> : null}
          <MicroPanel rows={rows} lotCode={sample.lotCode} canEnter={canEnter} entry={entry} />
          <EntryGrid
            entry={entry}
            canEnter={canEnter}
            focusId={focus}
            onOpenDetail={setDrawer}
            onCorrect={setCorrecting}
            onExternal={setExternal}
          />
        </>
      )}

      {rows.length > 0 ? (
        <Paper withBorder p="sm" data-testid="submit-bar">
          <Group justify="space-between" align="center">
            <Group gap="sm">
              {canEnter && sample.spec ? (
                <Button variant="default" onClick={() => setAdding(true)} data-testid="entry-add-test">
                  {t('testing.addTest.button')}
                </Button>
              ) : null}
              {entry.busy || entry.pasting ? (
                <Group gap={6}>
                  <Loader size="xs" />
                  <Text size="sm" c="dimmed">
                    {t('testing.entry.saving')}
                  </Text>
                </Group>
              ) : entry.dirty > 0 ? (
                <Text size="sm" c="orange.8" data-testid="entry-unsaved">
                  {t('testing.entry.unsaved', { count: entry.dirty })}
                </Text>
              ) : (
                <Text size="sm" c="dimmed" data-testid="entry-all-saved">
                  {t('testing.entry.allSaved')}
                </Text>
              )}
            </Group>
            <Group gap="sm" align="center" wrap="nowrap">
              {submitWhy ? (
                <Text
                  size="sm"
                  c={blocked.length ? 'orange.9' : 'dimmed'}
                  maw={560}
                  ta="right"
                  data-testid="submit-why"
                >
                  {submitWhy}
                </Text>
              ) : (
                <Text size="sm" c="dimmed" ta="right" style={num} data-testid="submit-ready">
                  {t('testing.submit.ready', { count: toSubmit.length })}
                </Text>
              )}
              <Tooltip label={submitWhy ?? ''} disabled={!submitWhy} multiline maw={360}>
                <span>
                  <Button
                    color="violet"
                    disabled={submitDisabled}
                    onClick={() => void openSign()}
                    data-testid="submit-results"
                  >
                    {t('testing.submit.button')}
                  </Button>
                </span>
              </Tooltip>
            </Group>
          </Group>
        </Paper>
      ) : null}

      <SubmitDialog
        opened={signing}
        onClose={() => setSigning(false)}
        data={data}
        rows={toSubmit}
        onDone={(r) => {
          setSubmitted(r);
          void qc.invalidateQueries({ queryKey: ['results.forSample'] });
          void qc.invalidateQueries({ queryKey: ['results.worklist'] });
          void qc.invalidateQueries({ queryKey: ['samples.get'] });
          notifications.show({
            color: r.oos.length ? 'red' : 'green',
            message: t('testing.submit.done', { count: r.submitted }),
          });
        }}
      />
      <CorrectDialog row={correcting} entry={entry} onClose={() => setCorrecting(null)} />
      <ExternalLabDialog row={external} entry={entry} onClose={() => setExternal(null)} />
      <AddTestModal opened={adding} onClose={() => setAdding(false)} data={data} entry={entry} />
      <ResultDrawer id={drawer} onClose={() => setDrawer(null)} onSelect={setDrawer} />
    </Stack>
  );
}

function Count({ label, value, testId, color }: { label: string; value: number; testId: string; color?: string }) {
  return (
    <Stack gap={0} align="flex-end">
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
      <Text fw={700} size="lg" c={color} style={num} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}
