import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { oosChecks, oosOutcomes, type OosView, type ResultView } from '../../../../../shared/contract/channels/testing';
import { ApiError, call } from '../../../core/api/client';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { href } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { SignatureDialog } from '../../../ui/signature-dialog';
import { LotLink, StatusBadge } from '../../../ui/lot';
import {
  RawData,
  ResultStatusBadge,
  SampleTestingLink,
  testingSampleHref,
  trendHref,
  VerdictBadge,
} from '../review/result-format';
import { TestingTabs } from '../review/testing-tabs';
import { ResultTrail, SignatureList } from '../review/result-trail';
import { OosAge, OosStatusBadge } from './oos-format';
import { isDecimalText } from '../../../../../shared/contract/formats';
import { Person } from '../../../ui/person';

type Check = (typeof oosChecks)[number];
type Outcome = (typeof oosOutcomes)[number];
type Answers = Record<Check, { ok: boolean | null; note: string }>;

const blank = (): Answers =>
  Object.fromEntries(oosChecks.map((c) => [c, { ok: null, note: '' }])) as unknown as Answers;

const stepOf: Record<OosView['status'], number> = { open: 0, phase1_done: 1, invalidated: 3, confirmed: 3 };

/**
 * `#/oos/<code>`: an out-of-specification investigation (FDA guidance "Investigating OOS Test
 * Results", 2022; issue 8 §5). Phase I is the laboratory check, answered item by item and
 * signed; then the QA manager concludes: a laboratory error invalidates the result and orders
 * a retest, no assignable cause confirms the OOS and the lot waits for its decision.
 */
export function OosPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const q = useCall('oos.get', { code }, { staleTime: 0, retry: false });
  const [trail, setTrail] = useState(false);

  if (q.isLoading) return <Loader />;
  if (!q.data) {
    const notFound = q.error instanceof ApiError && q.error.code === 'not_found';
    return (
      <Stack>
        <TestingTabs active="oos" />
        <Anchor href={href('/oos')} size="sm">
          ← {t('oos.backToList')}
        </Anchor>
        {notFound ? (
          <Alert color="red" data-testid="oos-not-found">
            {t('oos.notFound', { code })}
          </Alert>
        ) : (
          <ErrorAlert error={q.error} />
        )}
      </Stack>
    );
  }
  const { oos, result, signatures, lotStatus } = q.data;
  const closed = oos.status === 'invalidated' || oos.status === 'confirmed';

  return (
    <Stack data-testid="oos-page" data-oos={oos.code} data-status={oos.status}>
      <TestingTabs active="oos" />
      <Anchor href={href('/oos')} size="sm">
        ← {t('oos.backToList')}
      </Anchor>
      <Paper withBorder p="md" style={{ borderColor: closed ? undefined : 'var(--mantine-color-red-5)' }}>
        <Group justify="space-between" align="flex-start">
          <Stack gap={6}>
            <Text size="sm" c="dimmed">
              {t('oos.pageTitle')}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace" data-testid="oos-code">
                {oos.code}
              </Title>
              <OosStatusBadge status={oos.status} size="lg" />
              <OosAge days={oos.ageDays} closed={closed} />
            </Group>
            <Text fw={600}>
              {zh ? oos.itemName.zh : oos.itemName.en}{' '}
              <Text span size="sm" c="dimmed" ff="monospace">
                {oos.itemCode}
              </Text>
            </Text>
          </Stack>
          <Paper withBorder p="sm" bg="var(--mantine-color-red-0)" data-testid="oos-result-box">
            <Text size="xs" c="dimmed">
              {t('oos.reportedVsLimit')}
            </Text>
            <Group gap="xs" align="baseline">
              <Text size="xl" fw={800} ff="monospace" c="red.8" data-testid="oos-reported">
                {oos.reported ?? '—'}
              </Text>
              <Text size="sm">{result.unit}</Text>
            </Group>
            <Text size="sm">
              {t('oos.limit')}
              {t('resultReview.colon')}
              <Text span ff="monospace" fw={600} data-testid="oos-limit">
                {oos.limitText ?? '—'}
              </Text>
            </Text>
          </Paper>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} mt="md">
          <Fact label={t('oos.fields.sample')}>
            <SampleTestingLink code={oos.sampleCode} />
          </Fact>
          <Fact label={t('oos.fields.lot')}>
            {oos.lotCode ? (
              <Group gap={6}>
                <LotLink code={oos.lotCode} />
                <StatusBadge status={lotStatus} size="sm" />
              </Group>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label={t('oos.fields.opened')}>
            {formatTime(oos.openedAt)} · {oos.openedBy}
          </Fact>
          <Fact label={t('oos.fields.lotHeld')}>
            <Text size="sm" data-testid="oos-lot-held">
              {oos.lotHeld
                ? t('oos.lotHeldYes')
                : lotStatus === 'on_hold'
                  ? t('oos.lotOnHold')
                  : lotStatus
                    ? t('oos.lotNotHeld', { status: t(`lots.status.${lotStatus}`, { defaultValue: lotStatus }) })
                    : '—'}
            </Text>
          </Fact>
        </SimpleGrid>
      </Paper>

      <Stepper active={stepOf[oos.status]} size="sm" data-testid="oos-steps" allowNextStepsSelect={false}>
        <Stepper.Step label={t('oos.steps.phase1')} description={t('oos.steps.phase1Help')} />
        <Stepper.Step label={t('oos.steps.conclusion')} description={t('oos.steps.conclusionHelp')} />
        <Stepper.Step label={t('oos.steps.outcome')} description={t('oos.steps.outcomeHelp')} />
      </Stepper>

      <ResultPanel result={result} trail={trail} onTrail={() => setTrail(!trail)} />

      {oos.status === 'open' ? <Phase1Form oos={oos} /> : <Phase1View oos={oos} />}
      {oos.status === 'phase1_done' ? <ConclusionForm oos={oos} /> : null}
      {closed ? <ConclusionView oos={oos} lotStatus={lotStatus} /> : null}

      <Paper withBorder p="sm">
        <Title order={5} mb="xs">
          {t('oos.signaturesTitle')}
        </Title>
        <SignatureList signatures={signatures} testId="oos-signatures" />
      </Paper>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function ResultPanel({ result, trail, onTrail }: { result: ResultView; trail: boolean; onTrail: () => void }) {
  const { t } = useTranslation();
  const numeric = isDecimalText(result.reported);
  return (
    <Paper withBorder p="sm" data-testid="oos-result">
      <Group justify="space-between" mb="xs">
        <Title order={5}>{t('oos.resultTitle')}</Title>
        <Group gap="xs">
          {result.productCode && numeric ? (
            <Button
              size="xs"
              variant="subtle"
              component="a"
              href={trendHref(result.productCode, result.itemCode, result.id)}
              data-testid="oos-trend-link"
            >
              {t('oos.openTrend')}
            </Button>
          ) : null}
          <Button size="xs" variant={trail ? 'filled' : 'light'} onClick={onTrail} data-testid="oos-trail-toggle">
            {t('resultReview.trailButton')}
          </Button>
        </Group>
      </Group>
      <Table fz="sm" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('resultReview.col.raw')}</Table.Th>
            <Table.Th>{t('resultReview.col.value')}</Table.Th>
            <Table.Th>{t('resultReview.col.reported')}</Table.Th>
            <Table.Th>{t('resultReview.col.limit')}</Table.Th>
            <Table.Th>{t('resultReview.col.verdict')}</Table.Th>
            <Table.Th>{t('resultReview.col.source')}</Table.Th>
            <Table.Th>{t('resultReview.col.analyst')}</Table.Th>
            <Table.Th>{t('oos.fields.resultStatus')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td>
              <RawData result={result} />
            </Table.Td>
            <Table.Td ff="monospace">{result.value ?? '—'}</Table.Td>
            <Table.Td ff="monospace" fw={700}>
              {result.reported ?? '—'}{' '}
              <Text span size="xs" c="dimmed">
                {result.unit}
              </Text>
            </Table.Td>
            <Table.Td ff="monospace">{result.limitText}</Table.Td>
            <Table.Td>
              <VerdictBadge
                verdict={result.verdict}
                reason={result.verdictReason}
                details={result.verdictDetails}
                dash
                size="md"
                testId="result-verdict"
              />
            </Table.Td>
            <Table.Td>{result.externalLab ?? result.instrumentId ?? t('resultReview.noInstrument')}</Table.Td>
            <Table.Td>
              <Person id={result.analystId} />{' '}
              <Text span size="xs" c="dimmed">
                {result.methodCode}
              </Text>
            </Table.Td>
            <Table.Td>
              <ResultStatusBadge status={result.status} size="md" testId="result-status" />
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {trail ? <ResultTrail id={result.id} testId="oos-result-trail" /> : null}
    </Paper>
  );
}

function useRefreshOos() {
  const qc = useQueryClient();
  return () =>
    Promise.all(
      ['oos.get', 'oos.list', 'results.get', 'results.forSample', 'results.completeness', 'lots.get'].map((k) =>
        qc.invalidateQueries({ queryKey: [k] }),
      ),
    );
}

function Phase1Form({ oos }: { oos: OosView }) {
  const { t } = useTranslation();
  const session = useSession();
  const refresh = useRefreshOos();
  const can = hasPermission(session, 'oos.investigate') && !session.readOnly;
  const [answers, setAnswers] = useState<Answers>(blank);
  const [summary, setSummary] = useState('');
  const [touched, setTouched] = useState(false);
  const [signing, setSigning] = useState(false);

  const missing = oosChecks.filter((c) => answers[c].ok === null || answers[c].note.trim().length < 3);
  const summaryMissing = summary.trim().length < 3;
  const anyNotOk = oosChecks.some((c) => answers[c].ok === false);
  const set = (c: Check, patch: Partial<Answers[Check]>) =>
    setAnswers({ ...answers, [c]: { ...answers[c], ...patch } });

  return (
    <Paper withBorder p="md" data-testid="oos-phase1-form">
      <Title order={4}>{t('oos.phase1.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {can ? t('oos.phase1.intro') : t('oos.phase1.notAllowed')}
      </Text>
      <Stack gap="sm">
        {oosChecks.map((c, i) => {
          const a = answers[c];
          const err = touched && (a.ok === null || a.note.trim().length < 3);
          return (
            <Paper
              key={c}
              withBorder
              p="sm"
              data-testid={`oos-check-${c}`}
              style={err ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
            >
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2} style={{ flex: 1 }}>
                  <Text fw={600}>
                    {i + 1}. {t(`oos.checks.${c}`)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`oos.checkHelp.${c}`)}
                  </Text>
                </Stack>
                <SegmentedControl
                  disabled={!can}
                  value={a.ok === null ? '' : a.ok ? 'ok' : 'not_ok'}
                  onChange={(v) => set(c, { ok: v === 'ok' })}
                  color={a.ok === false ? 'red' : a.ok ? 'green' : undefined}
                  data={[
                    { value: 'ok', label: t('oos.phase1.ok') },
                    { value: 'not_ok', label: t('oos.phase1.notOk') },
                  ]}
                  data-testid={`oos-check-${c}-answer`}
                />
              </Group>
              <Textarea
                mt="xs"
                disabled={!can}
                label={t('oos.phase1.note')}
                placeholder={t(`oos.checkPlaceholder.${c}`)}
                autosize
                minRows={1}
                maxLength={1000}
                value={a.note}
                onChange={(e) => set(c, { note: e.currentTarget.value })}
                error={err ? (a.ok === null ? t('oos.phase1.answerRequired') : t('oos.phase1.noteRequired')) : null}
                required
                data-testid={`oos-check-${c}-note`}
              />
            </Paper>
          );
        })}
        {anyNotOk ? (
          <Alert color="orange" variant="light" data-testid="oos-phase1-error-hint">
            {t('oos.phase1.notOkHint')}
          </Alert>
        ) : null}
        <Textarea
          disabled={!can}
          label={t('oos.phase1.summary')}
          description={t('oos.phase1.summaryHelp')}
          autosize
          minRows={2}
          maxLength={2000}
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          error={touched && summaryMissing ? t('oos.phase1.summaryRequired') : null}
          required
          data-testid="oos-summary"
        />
        {touched && (missing.length > 0 || summaryMissing) ? (
          <Text size="sm" c="red.8" data-testid="oos-phase1-incomplete">
            {t('oos.phase1.incomplete', { count: missing.length + (summaryMissing ? 1 : 0) })}
          </Text>
        ) : null}
        {can ? (
          <Group justify="flex-end">
            <Button
              onClick={() => {
                setTouched(true);
                if (missing.length === 0 && !summaryMissing) setSigning(true);
              }}
              data-testid="oos-phase1-sign"
            >
              {t('oos.phase1.sign')}
            </Button>
          </Group>
        ) : null}
      </Stack>
      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['authored']}
        summary={
          <Stack gap={2}>
            <Text fw={700}>{t('oos.phase1.signSummary', { code: oos.code })}</Text>
            {oosChecks.map((c) => (
              <Text key={c} size="sm">
                {t(`oos.checks.${c}`)}
                {t('resultReview.colon')}
                <b>{answers[c].ok ? t('oos.phase1.ok') : t('oos.phase1.notOk')}</b>
              </Text>
            ))}
          </Stack>
        }
        onSign={async (v) => {
          const checklist = Object.fromEntries(
            oosChecks.map((c) => [c, { ok: answers[c].ok === true, note: answers[c].note.trim() }]),
          ) as Record<Check, { ok: boolean; note: string }>;
          await call('oos.phase1', {
            code: oos.code,
            checklist,
            summary: summary.trim(),
            signature: { password: v.password, meaning: 'authored', ...(v.comment ? { comment: v.comment } : {}) },
          });
          notifications.show({ color: 'green', message: t('oos.phase1.done', { code: oos.code }) });
          await refresh();
        }}
      />
    </Paper>
  );
}

function Phase1View({ oos }: { oos: OosView }) {
  const { t } = useTranslation();
  if (!oos.checklist) return null;
  const list = oos.checklist;
  return (
    <Paper withBorder p="md" data-testid="oos-phase1-view">
      <Group justify="space-between">
        <Title order={4}>{t('oos.phase1.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('oos.phase1.by', { user: oos.phase1By ?? '—', time: formatTime(oos.phase1At) })}
        </Text>
      </Group>
      <Table fz="sm" mt="xs" withTableBorder>
        <Table.Tbody>
          {oosChecks.map((c) => (
            <Table.Tr key={c} data-testid={`oos-answer-${c}`} data-ok={list[c].ok}>
              <Table.Td w={260} fw={600}>
                {t(`oos.checks.${c}`)}
              </Table.Td>
              <Table.Td w={110}>
                <Badge color={list[c].ok ? 'green' : 'red'} variant="light" tt="none">
                  {list[c].ok ? t('oos.phase1.ok') : t('oos.phase1.notOk')}
                </Badge>
              </Table.Td>
              <Table.Td>{list[c].note}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" mt="xs">
        <b>
          {t('oos.phase1.summary')}
          {t('resultReview.colon')}
        </b>
        <span data-testid="oos-phase1-summary">{oos.phase1Summary}</span>
      </Text>
    </Paper>
  );
}

function ConclusionForm({ oos }: { oos: OosView }) {
  const { t } = useTranslation();
  const session = useSession();
  const refresh = useRefreshOos();
  const can = hasPermission(session, 'oos.conclude') && !session.readOnly;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [signing, setSigning] = useState(false);
  const anyNotOk = oos.checklist ? oosChecks.some((c) => oos.checklist?.[c].ok === false) : false;

  return (
    <Paper withBorder p="md" data-testid="oos-conclusion-form">
      <Title order={4}>{t('oos.conclusion.title')}</Title>
      {!can ? (
        <Alert color="blue" variant="light" mt="xs" data-testid="oos-conclusion-waiting">
          {t('oos.conclusion.waiting')}
        </Alert>
      ) : (
        <Stack gap="sm" mt="xs">
          <Text size="sm" c="dimmed">
            {t('oos.conclusion.intro')}
          </Text>
          {anyNotOk ? (
            <Text size="sm" c="orange.8">
              {t('oos.conclusion.phase1FoundError')}
            </Text>
          ) : null}
          <Radio.Group
            value={outcome}
            onChange={(v) => setOutcome(v as Outcome)}
            error={touched && !outcome ? t('oos.conclusion.outcomeRequired') : null}
          >
            <Stack gap="xs">
              {oosOutcomes.map((o) => (
                <Radio.Card key={o} value={o} p="sm" radius="md" data-testid={`oos-outcome-${o}`} withBorder>
                  <Group wrap="nowrap" align="flex-start">
                    <Radio.Indicator />
                    <Stack gap={2}>
                      <Text fw={700}>{t(`oos.outcomes.${o}`)}</Text>
                      <Text size="sm" c="dimmed">
                        {t(`oos.outcomeHelp.${o}`)}
                      </Text>
                    </Stack>
                  </Group>
                </Radio.Card>
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('oos.conclusion.text')}
            description={t('oos.conclusion.textHelp')}
            autosize
            minRows={2}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={touched && text.trim().length < 3 ? t('oos.conclusion.textRequired') : null}
            required
            data-testid="oos-conclusion"
          />
          <Group justify="flex-end">
            <Button
              color={outcome === 'no_assignable_cause' ? 'grape' : undefined}
              onClick={() => {
                setTouched(true);
                if (outcome && text.trim().length >= 3) setSigning(true);
              }}
              data-testid="oos-conclude-sign"
            >
              {t('oos.conclusion.sign')}
            </Button>
          </Group>
        </Stack>
      )}
      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['oos_concluded']}
        summary={
          <Stack gap={2}>
            <Text fw={700}>{t('oos.conclusion.signSummary', { code: oos.code })}</Text>
            <Text size="sm">{outcome ? t(`oos.outcomes.${outcome}`) : ''}</Text>
            <Text size="sm" c="dimmed">
              {outcome ? t(`oos.outcomeHelp.${outcome}`) : ''}
            </Text>
          </Stack>
        }
        onSign={async (v) => {
          if (!outcome) return;
          await call('oos.conclude', {
            code: oos.code,
            outcome,
            conclusion: text.trim(),
            signature: { password: v.password, meaning: 'oos_concluded', ...(v.comment ? { comment: v.comment } : {}) },
          });
          notifications.show({ color: 'green', message: t('oos.conclusion.done', { code: oos.code }) });
          await refresh();
        }}
      />
    </Paper>
  );
}

function ConclusionView({ oos, lotStatus }: { oos: OosView; lotStatus: string | null }) {
  const { t } = useTranslation();
  const invalidated = oos.status === 'invalidated';
  return (
    <Paper
      withBorder
      p="md"
      data-testid="oos-conclusion-view"
      style={{ borderColor: invalidated ? undefined : 'var(--mantine-color-grape-5)' }}
    >
      <Group justify="space-between">
        <Title order={4}>{t('oos.conclusion.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('oos.conclusion.by', { user: oos.concludedBy ?? '—', time: formatTime(oos.concludedAt) })}
        </Text>
      </Group>
      <Text fw={700} mt="xs" data-testid="oos-outcome">
        {oos.outcome ? t(`oos.outcomes.${oos.outcome}`) : '—'}
      </Text>
      <Text size="sm" mt={4} data-testid="oos-conclusion-text">
        {oos.conclusion}
      </Text>
      {invalidated ? (
        <Alert color="blue" variant="light" mt="sm" data-testid="oos-retest">
          <Group justify="space-between">
            <Text size="sm">{t('oos.conclusion.retestOrdered')}</Text>
            <Button component="a" href={testingSampleHref(oos.sampleCode)} size="xs" data-testid="oos-retest-link">
              {t('oos.conclusion.openRetest', { code: oos.sampleCode })}
            </Button>
          </Group>
        </Alert>
      ) : (
        <Alert color="grape" variant="light" mt="sm" data-testid="oos-confirmed">
          <Group justify="space-between">
            <Text size="sm">
              {t('oos.conclusion.confirmedLot', {
                status: lotStatus ? t(`lots.status.${lotStatus}`, { defaultValue: lotStatus }) : '—',
              })}
            </Text>
            {oos.lotCode ? (
              <Button
                component="a"
                href={href(`/lots/${encodeURIComponent(oos.lotCode)}`)}
                size="xs"
                color="grape"
                data-testid="oos-lot-decision-link"
              >
                {t('oos.conclusion.openLot', { code: oos.lotCode })}
              </Button>
            ) : null}
          </Group>
        </Alert>
      )}
    </Paper>
  );
}
