import { Fragment, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../../shared/contract/channels/testing';
import { ApiError, call } from '../../../core/api/client';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { href } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { SignatureDialog } from '../../../ui/signature-dialog';
import { LotLink } from '../../../ui/lot';
import { sampleHref } from '../../../ui/sample';
import {
  itemName,
  oosHref,
  RawData,
  ResultStatusBadge,
  testingSampleHref,
  trendHref,
  VerdictBadge,
} from './result-format';
import { TestingTabs } from './testing-tabs';
import { ResultTrail } from './result-trail';
import { useReportedText } from '../reported';
import { VerdictChangeFlag, VerdictChangeList } from '../verdict-change';
import { isDecimalText } from '../../../../../shared/contract/formats';
import { Person } from '../../../ui/person';

type Decision = 'approve' | 'return';

/** Numbers only: a trend of censored or qualitative results (ND, absent) has nothing to plot. */
const numeric = (v: string | null) => isDecimalText(v);

/**
 * `#/review/<sampleCode>`: second-person review of a sample's submitted results. The
 * reviewer sees the raw data, the computed and reported values against the limit, and the
 * audit trail of each result, then approves (signed `reviewed`) or returns with a reason.
 * Whoever entered or submitted a result never reviews it; the server refuses it too.
 */
export function ReviewSamplePage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const shownReported = useReportedText();
  const session = useSession();
  const qc = useQueryClient();
  const zh = i18n.language.startsWith('zh');
  const data = useCall('results.forSample', { sampleCode: code }, { staleTime: 0, retry: false });
  const [selected, setSelected] = useState<Set<string> | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [view, setView] = useState<'review' | 'all'>('review');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [refusal, setRefusal] = useState<{ item?: string } | null>(null);
  const [done, setDone] = useState<{ reviewed: number; returned: number } | null>(null);
  const canReview = hasPermission(session, 'results.review') && !session.readOnly;

  if (data.isLoading) return <Loader />;
  if (!data.data) {
    const notFound = data.error instanceof ApiError && data.error.code === 'not_found';
    return (
      <Stack>
        <TestingTabs active="review" />
        <Anchor href={href('/review')} size="sm">
          ← {t('resultReview.backToQueue')}
        </Anchor>
        {notFound ? (
          <Alert color="red" data-testid="review-not-found">
            {t('resultReview.notFound', { code })}
          </Alert>
        ) : (
          <ErrorAlert error={data.error} />
        )}
      </Stack>
    );
  }

  const { sample, results, summary } = data.data;
  // Independent review (issue 19 §3): anyone who entered, changed, captured or submitted a
  // value of the result, at any revision, neither reviews nor returns it (the server decides).
  const isOwn = (r: ResultView) =>
    r.contributors.includes(session.userId ?? '') || r.analystId === session.userId || r.submittedBy === session.userId;
  const reviewable = results.filter((r) => r.status === 'submitted');
  const selectable = reviewable.filter((r) => !isOwn(r));
  const own = reviewable.filter(isOwn);
  const chosenIds = selected ?? new Set(selectable.map((r) => r.id));
  const chosen = selectable.filter((r) => chosenIds.has(r.id));
  const chosenFailing = chosen.filter((r) => r.verdict === 'fail');
  const chosenUnderOos = chosen.filter((r) => r.oosCode);
  const shown = view === 'review' ? reviewable : results;

  const toggle = (id: string) => {
    const next = new Set(chosenIds);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const toggleTrail = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const allOpen = shown.length > 0 && shown.every((r) => open.has(r.id));

  const sign = async (password: string, comment: string | undefined) => {
    if (!decision) return;
    setRefusal(null);
    try {
      const out = await call('results.review', {
        ids: chosen.map((r) => r.id),
        decision,
        // The revisions on the screen: a result changed since is refused, nothing signed.
        expectedRevs: Object.fromEntries(chosen.map((r) => [r.id, r.rev])),
        ...(decision === 'return' ? { reason: comment ?? '' } : {}),
        signature: { password, meaning: 'reviewed', ...(decision === 'approve' && comment ? { comment } : {}) },
      });
      setDone(out);
      setSelected(null);
      notifications.show({
        color: 'green',
        message:
          decision === 'approve'
            ? t('resultReview.approved', { count: out.reviewed, code })
            : t('resultReview.returned', { count: out.returned, code }),
      });
    } catch (e) {
      // The two-person rule refused by the server: close the dialog and say so on the page.
      if (e instanceof ApiError && e.code === 'self_review') {
        const item = e.error.details?.['item'];
        const named = results.find((r) => r.itemCode === item);
        setRefusal(typeof item === 'string' ? { item: named ? `${itemName(named, zh)} (${item})` : item } : {});
        return;
      }
      throw e;
    } finally {
      await Promise.all(
        ['results.forSample', 'results.reviewQueue', 'results.get', 'results.completeness', 'oos.list'].map((k) =>
          qc.invalidateQueries({ queryKey: [k] }),
        ),
      );
    }
  };

  return (
    <Stack data-testid="review-sample" data-sample={sample.code}>
      <TestingTabs active="review" />
      <Anchor href={href('/review')} size="sm">
        ← {t('resultReview.backToQueue')}
      </Anchor>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={6}>
            <Text size="sm" c="dimmed">
              {t('resultReview.sampleTitle')} · {t(`samples.kinds.${sample.kind}`, { defaultValue: sample.kind })}
            </Text>
            <Title order={2} ff="monospace" data-testid="review-sample-code">
              {sample.code}
            </Title>
            <Group gap="xs">
              {sample.lotCode ? (
                <>
                  <Text size="sm">
                    {t('resultReview.lot')}
                    {t('resultReview.colon')}
                  </Text>
                  <LotLink code={sample.lotCode} />
                </>
              ) : null}
              {sample.itemName ? (
                <Text size="sm">
                  {sample.itemCode} · {zh ? sample.itemName.zh : sample.itemName.en}
                </Text>
              ) : null}
              {sample.spec ? (
                <Badge variant="light" tt="none" color="gray">
                  {t('resultReview.spec', { code: sample.spec.code, version: sample.spec.version })}
                </Badge>
              ) : null}
            </Group>
          </Stack>
          <Group gap="xs">
            <Button
              component="a"
              href={testingSampleHref(sample.code)}
              variant="light"
              size="xs"
              data-testid="review-open-testing"
            >
              {t('resultReview.openTesting')}
            </Button>
            <Button component="a" href={sampleHref(sample.code)} variant="default" size="xs">
              {t('resultReview.openSample')}
            </Button>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 3, md: 6 }} mt="md" data-testid="review-summary">
          {(['total', 'submitted', 'reviewed', 'entered', 'failed', 'invalidated'] as const).map((k) => (
            <Stack gap={0} key={k}>
              <Text size="xs" c="dimmed">
                {t(`resultReview.summary.${k}`)}
              </Text>
              <Text
                fw={700}
                c={k === 'failed' && summary[k] > 0 ? 'red.7' : undefined}
                data-testid={`review-summary-${k}`}
              >
                {summary[k]}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
      </Paper>

      <Alert color="blue" variant="light" p="sm">
        <Text size="sm">{t('resultReview.howTo')}</Text>
      </Alert>

      {refusal ? (
        <Alert
          color="red"
          variant="filled"
          title={t('resultReview.selfReviewTitle')}
          data-testid="review-self-refusal"
          withCloseButton
          onClose={() => setRefusal(null)}
        >
          {refusal.item ? t('resultReview.selfReviewItem', { item: refusal.item }) : t('resultReview.selfReview')}
        </Alert>
      ) : null}
      {own.length > 0 ? (
        <Alert color="orange" variant="light" data-testid="review-own-warning">
          {t('resultReview.ownWarning', { count: own.length })}
        </Alert>
      ) : null}
      {done && reviewable.length === 0 ? (
        <Alert color="green" variant="light" data-testid="review-done">
          <Group justify="space-between">
            <Text size="sm">{t('resultReview.allDone', { code })}</Text>
            <Anchor href={href('/review')} size="sm" fw={600}>
              {t('resultReview.nextSample')}
            </Anchor>
          </Group>
        </Alert>
      ) : null}
      {!done && reviewable.length === 0 ? (
        <Alert color="gray" variant="light" data-testid="review-nothing">
          {t('resultReview.nothingToReview')}
        </Alert>
      ) : null}

      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              value={view}
              onChange={(v) => setView(v as 'review' | 'all')}
              data={[
                { value: 'review', label: t('resultReview.viewReview', { count: reviewable.length }) },
                { value: 'all', label: t('resultReview.viewAll', { count: results.length }) },
              ]}
              data-testid="review-view"
            />
            <Button
              size="xs"
              variant="subtle"
              onClick={() => setOpen(allOpen ? new Set() : new Set(shown.map((r) => r.id)))}
              data-testid="review-trail-all"
            >
              {allOpen ? t('resultReview.collapseTrails') : t('resultReview.expandTrails')}
            </Button>
          </Group>
          <Text size="sm" data-testid="review-selected-count">
            {t('resultReview.selectedCount', { count: chosen.length, total: selectable.length })}
          </Text>
        </Group>
        <Table.ScrollContainer minWidth={1100}>
          <Table withTableBorder fz="sm" verticalSpacing={6} data-testid="review-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <Checkbox
                    aria-label={t('resultReview.selectAll')}
                    checked={selectable.length > 0 && chosen.length === selectable.length}
                    indeterminate={chosen.length > 0 && chosen.length < selectable.length}
                    disabled={!canReview || selectable.length === 0}
                    onChange={() =>
                      setSelected(
                        chosen.length === selectable.length ? new Set() : new Set(selectable.map((r) => r.id)),
                      )
                    }
                    data-testid="review-select-all"
                  />
                </Table.Th>
                <Table.Th>{t('resultReview.col.item')}</Table.Th>
                <Table.Th>{t('resultReview.col.raw')}</Table.Th>
                <Table.Th miw={80}>{t('resultReview.col.value')}</Table.Th>
                <Table.Th>{t('resultReview.col.reported')}</Table.Th>
                <Table.Th>{t('resultReview.col.limit')}</Table.Th>
                <Table.Th>{t('resultReview.col.verdict')}</Table.Th>
                <Table.Th miw={80}>{t('resultReview.col.source')}</Table.Th>
                <Table.Th>{t('resultReview.col.analyst')}</Table.Th>
                {/* Headers never wrap one character per line (issue 22 §7): "附件" stays whole. */}
                <Table.Th ta="center" style={{ whiteSpace: 'nowrap' }}>
                  {t('resultReview.col.attachments')}
                </Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((r) => {
                const mine = isOwn(r);
                const canPick = canReview && r.status === 'submitted' && !mine;
                return (
                  <Fragment key={r.id}>
                    <Table.Tr
                      data-testid={`review-result-${r.itemCode}`}
                      data-status={r.status}
                      bg={r.verdict === 'fail' ? 'var(--mantine-color-red-0)' : undefined}
                      style={r.status === 'submitted' ? undefined : { opacity: 0.75 }}
                    >
                      <Table.Td>
                        {r.status === 'submitted' ? (
                          <Checkbox
                            aria-label={t('resultReview.select', { item: itemName(r, zh) })}
                            checked={chosenIds.has(r.id) && canPick}
                            disabled={!canPick}
                            onChange={() => toggle(r.id)}
                            data-testid={`review-select-${r.itemCode}`}
                          />
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {itemName(r, zh)}
                        </Text>
                        <Group gap={4}>
                          <Text size="xs" c="dimmed" ff="monospace">
                            {r.itemCode}
                          </Text>
                          {r.methodCode ? (
                            <Text size="xs" c="dimmed">
                              · {r.methodCode}
                            </Text>
                          ) : null}
                        </Group>
                        <Group gap={4} mt={2}>
                          {r.status !== 'submitted' ? (
                            <ResultStatusBadge status={r.status} size="md" testId="result-status" />
                          ) : null}
                          {mine ? (
                            <Badge color="gray" variant="outline" tt="none" size="sm" data-testid="review-result-mine">
                              {t('resultReview.yours')}
                            </Badge>
                          ) : null}
                          {r.corrected ? (
                            <Tooltip label={t('resultReview.correctedHelp')} withArrow multiline maw={280}>
                              <Badge
                                color="orange"
                                variant="light"
                                tt="none"
                                size="sm"
                                data-testid="review-result-corrected"
                              >
                                {t('resultReview.corrected')}
                              </Badge>
                            </Tooltip>
                          ) : null}
                          {r.attempt > 1 ? (
                            <Badge color="cyan" variant="light" tt="none" size="sm">
                              {t('resultReview.retest', { n: r.attempt })}
                            </Badge>
                          ) : null}
                          <VerdictChangeFlag result={r} testId={`review-verdict-changed-${r.itemCode}`} />
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <RawData result={r} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {r.value ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          size="sm"
                          ff="monospace"
                          fw={700}
                          c={r.verdict === 'fail' ? 'red.8' : undefined}
                          data-testid="result-reported"
                        >
                          {shownReported(r.reported, r.item.reporting)}
                        </Text>
                        <Text size="xs" c="dimmed" data-testid="result-report-unit">
                          {r.reportUnit}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                          {r.limitText}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={2} align="flex-start">
                          <VerdictBadge
                            verdict={r.verdict}
                            reason={r.verdictReason}
                            details={r.verdictDetails}
                            dash
                            size="md"
                            testId="result-verdict"
                          />
                          {r.oosCode ? (
                            <Anchor
                              href={oosHref(r.oosCode)}
                              size="xs"
                              fw={600}
                              c="red.8"
                              data-testid="review-result-oos"
                            >
                              {r.oosCode}
                            </Anchor>
                          ) : null}
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        {r.externalLab ? (
                          <Tooltip label={t('resultReview.externalHelp')} withArrow multiline maw={300}>
                            <Stack gap={0}>
                              <Badge
                                color="orange"
                                variant="light"
                                tt="none"
                                size="sm"
                                data-testid="review-result-external"
                              >
                                {t('resultReview.external')}
                              </Badge>
                              <Text size="xs">{r.externalLab}</Text>
                              <Text size="xs" c="dimmed">
                                {r.externalReportNo}
                              </Text>
                            </Stack>
                          </Tooltip>
                        ) : (
                          <Text size="xs" c={r.instrumentId ? undefined : 'dimmed'}>
                            {r.instrumentId ?? '—'}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          <Person id={r.analystId} testId={`review-analyst-${r.itemCode}`} />
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatTime(r.submittedAt)}
                        </Text>
                        {r.contributors.length > 1 ? (
                          <Tooltip label={t('resultReview.tookPart')} withArrow>
                            <Text size="xs" c="dimmed" data-testid={`review-contributors-${r.itemCode}`}>
                              {r.contributors.join(', ')}
                            </Text>
                          </Tooltip>
                        ) : null}
                      </Table.Td>
                      <Table.Td ta="center">
                        <Text size="sm" c={r.attachments > 0 ? undefined : 'dimmed'}>
                          {r.attachments}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="compact-xs"
                            variant={open.has(r.id) ? 'filled' : 'light'}
                            onClick={() => toggleTrail(r.id)}
                            data-testid={`review-trail-toggle-${r.itemCode}`}
                          >
                            {t('resultReview.trailButton')}
                          </Button>
                          {r.productCode && numeric(r.reported) ? (
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              component="a"
                              href={trendHref(r.productCode, r.itemCode, r.id)}
                              data-testid={`review-trend-${r.itemCode}`}
                            >
                              {t('resultReview.trendButton')}
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                    {r.verdictChanges.length > 0 ? (
                      <Table.Tr bg="var(--mantine-color-red-0)" data-testid={`review-verdict-changes-${r.itemCode}`}>
                        <Table.Td />
                        <Table.Td colSpan={10}>
                          <Text size="xs" fw={700} c="red.9">
                            {t('verdictChange.flag')}
                          </Text>
                          <VerdictChangeList changes={r.verdictChanges} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                    {r.status === 'returned' && r.returnReason ? (
                      <Table.Tr>
                        <Table.Td />
                        <Table.Td colSpan={10}>
                          <Text size="xs" c="orange.8">
                            {t('resultReview.returnedBecause', { reason: r.returnReason })}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                    {open.has(r.id) ? (
                      <Table.Tr bg="var(--mantine-color-gray-0)">
                        <Table.Td colSpan={11}>
                          <ResultTrail id={r.id} testId={`review-trail-${r.itemCode}`} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
              {shown.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={11}>
                    <Text size="sm" c="dimmed">
                      {t('resultReview.noneShown')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      {canReview && selectable.length > 0 ? (
        <Paper withBorder p="sm" data-testid="review-actions">
          <Group justify="space-between" align="flex-start">
            <Stack gap={4} maw={720}>
              <Text size="sm">{t('resultReview.actionsHelp')}</Text>
              {chosenUnderOos.length > 0 ? (
                <Text size="xs" c="red.8" data-testid="review-oos-note">
                  {t('resultReview.oosNote', { count: chosenUnderOos.length })}
                </Text>
              ) : null}
            </Stack>
            <Group gap="xs">
              <Tooltip
                label={t('resultReview.returnBlocked')}
                disabled={chosenUnderOos.length === 0}
                withArrow
                multiline
                maw={300}
              >
                <Button
                  color="orange"
                  variant="light"
                  disabled={chosen.length === 0 || chosenUnderOos.length > 0}
                  onClick={() => setDecision('return')}
                  data-testid="review-return"
                >
                  {t('resultReview.return', { count: chosen.length })}
                </Button>
              </Tooltip>
              <Button
                color="green"
                disabled={chosen.length === 0}
                onClick={() => setDecision('approve')}
                data-testid="review-approve"
              >
                {t('resultReview.approve', { count: chosen.length })}
              </Button>
            </Group>
          </Group>
        </Paper>
      ) : null}

      <SignatureDialog
        opened={decision !== null}
        onClose={() => setDecision(null)}
        meanings={['reviewed']}
        commentRequired={decision === 'return'}
        commentLabel={decision === 'return' ? t('resultReview.returnReason') : t('resultReview.approveComment')}
        commentDescription={decision === 'return' ? t('resultReview.returnReasonHelp') : undefined}
        summary={
          <Stack gap={4}>
            <Text fw={700} data-testid="review-dialog-summary">
              {decision === 'return'
                ? t('resultReview.returnSummary', { count: chosen.length, code })
                : t('resultReview.approveSummary', { count: chosen.length, code })}
            </Text>
            <List size="sm" spacing={0}>
              {chosen.map((r) => (
                <List.Item key={r.id}>
                  {itemName(r, zh)}
                  {t('resultReview.colon')}
                  <b>{shownReported(r.reported, r.item.reporting)}</b> {r.reportUnit} ({r.limitText}) —{' '}
                  {t(`resultReview.verdicts.${r.verdict ?? 'none'}`)}
                </List.Item>
              ))}
            </List>
            {decision === 'approve' && chosenFailing.length > 0 ? (
              <Text size="sm" c="red.8" data-testid="review-dialog-failing">
                {t('resultReview.approveFailing', { count: chosenFailing.length })}
              </Text>
            ) : null}
          </Stack>
        }
        onSign={(v) => sign(v.password, v.comment)}
      />
    </Stack>
  );
}
