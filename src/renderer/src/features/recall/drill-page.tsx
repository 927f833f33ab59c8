import { useState } from 'react';
import { findingText } from '../../../../shared/i18n/words';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { LotLink, traceHref } from '../../ui/lot';
import { DrillClock } from './drill-clock';
import {
  CustomersTable,
  DocumentsTable,
  DrillSignatures,
  LotsTable,
  MassBalanceTable,
  StepSection,
  ToleranceBand,
} from './drill-tables';
import {
  directionLabel,
  DrillStatusBadge,
  drillSteps,
  findingKindLabel,
  formatClock,
  groupLabel,
  lastSteps,
  ModeBadge,
  stepSummary,
  type DrillDetail,
  type DrillStep,
} from './drills-format';
import { useSetDetail } from './drills-hooks';
import { EvidencePanel } from './evidence-panel';
import { RecallPanel } from './recall-panel';
import { usePersonName } from '../../ui/person';

/** `#/drills/<code>`: one drill or recall, its clock, its guided steps, findings, completion and evidence. */
export function DrillPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const q = useCall('drills.get', { code }, { staleTime: 0, retry: false });
  if (q.isLoading) return <Loader />;
  if (q.error instanceof ApiError && q.error.code === 'not_found')
    return (
      <Alert color="red" variant="light" title={t('drills.view.notFoundTitle')} data-testid="drill-not-found">
        {t('drills.view.notFound', { code })}
      </Alert>
    );
  if (!q.data) return <ErrorAlert error={q.error} />;
  return <DrillView detail={q.data} fetchedAt={q.dataUpdatedAt} />;
}

function DrillView({ detail, fetchedAt }: { detail: DrillDetail; fetchedAt: number }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const session = useSession();
  const d = detail.drill;
  const recall = d.mode === 'recall';
  const canRun = hasPermission(session, 'lots.decide') && !session.readOnly;
  const steps = lastSteps(detail);
  const open = d.status === 'open';
  return (
    <Stack data-testid="drill-page" data-code={d.code} data-mode={d.mode} data-status={d.status}>
      <Group gap="xs">
        <Anchor href={href('/drills')} size="sm">
          {t('drills.view.back')}
        </Anchor>
        <Text c="dimmed" size="sm">
          ·
        </Text>
        <Anchor href={href('/drills/programme')} size="sm">
          {t('drills.programme.title')}
        </Anchor>
      </Group>
      <Paper
        withBorder
        p="md"
        style={
          recall
            ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2, background: 'var(--mantine-color-red-0)' }
            : undefined
        }
        data-testid="drill-header"
      >
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={6}>
            <Group gap="sm">
              <ModeBadge mode={d.mode} size="lg" />
              <Title order={2} ff="monospace" c={recall ? 'red.8' : undefined} data-testid="drill-code">
                {d.code}
              </Title>
              <DrillStatusBadge status={d.status} size="lg" />
            </Group>
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {t('drills.fields.rootLot')}
              </Text>
              <LotLink code={d.rootLot} />
              <Anchor href={traceHref(d.rootLot)} size="xs">
                {t('drills.view.openTrace')}
              </Anchor>
            </Group>
            <Group gap="lg">
              <Fact
                label={t('drills.fields.direction')}
                value={directionLabel(t, d.direction)}
                testId="drill-direction"
              />
              <Fact
                label={t('drills.fields.selection')}
                value={
                  d.selection === 'random' && d.selectionCriteria
                    ? t('drills.selection.randomOf', {
                        group: groupLabel(t, d.selectionCriteria['productGroup'] ?? ''),
                        from: d.selectionCriteria['from'] ?? '',
                        to: d.selectionCriteria['to'] ?? '',
                      })
                    : t(`drills.selection.${d.selection}`)
                }
              />
              <Fact
                label={t('drills.fields.started')}
                value={`${formatTime(d.startedAt)} · ${personName(d.startedBy)}`}
              />
              <Fact label={t('drills.fields.tolerance')} value={`${d.toleranceMin}–${d.toleranceMax} %`} />
              {d.completedAt ? (
                <Fact
                  label={t('drills.fields.completed')}
                  value={`${formatTime(d.completedAt)} · ${d.completedBy ?? ''}`}
                />
              ) : null}
            </Group>
            {recall && d.reason ? (
              <Text size="sm" c="red.9" fw={600} data-testid="drill-reason">
                {t('drills.fields.recallReason')}: {d.reason}
              </Text>
            ) : null}
          </Stack>
          <DrillClock drill={d} fetchedAt={fetchedAt} />
        </Group>
      </Paper>
      {recall ? <RecallPanel detail={detail} /> : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <StepsChecklist detail={detail} canRun={canRun && open} />
        <Stack>
          <ResultPanel detail={detail} />
          <FindingsPanel detail={detail} canEdit={canRun && open} />
          <CompletePanel detail={detail} canSign={canRun} />
          <EvidencePanel detail={detail} />
        </Stack>
      </SimpleGrid>
      <StepSection
        title={t('drills.steps.affected_lots.title')}
        help={t('drills.lots.help', { count: detail.lots.length })}
        ready={!!steps.affected_lots || !!steps.stock || !open}
        testId="drill-section-lots"
      >
        <LotsTable detail={detail} showStock={!!steps.stock || !open} />
      </StepSection>
      <StepSection
        title={t('drills.steps.customers.title')}
        help={t('drills.customers.help')}
        ready={!!steps.customers || !open}
        testId="drill-section-customers"
      >
        <CustomersTable detail={detail} />
      </StepSection>
      <StepSection
        title={t('drills.steps.mass_balance.title')}
        help={t('drills.massBalance.help', { lot: d.rootLot })}
        ready={!!steps.mass_balance || !open}
        testId="drill-section-mass-balance"
      >
        <MassBalanceTable detail={detail} />
      </StepSection>
      <StepSection
        title={t('drills.steps.documents.title')}
        help={t('drills.documents.help')}
        ready={!!steps.documents || !open}
        testId="drill-section-documents"
      >
        <DocumentsTable detail={detail} />
      </StepSection>
    </Stack>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** The five steps as a checklist: the next one to run is highlighted; each records who and when. */
function StepsChecklist({ detail, canRun }: { detail: DrillDetail; canRun: boolean }) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(detail.drill.code);
  const [running, setRunning] = useState<DrillStep | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = lastSteps(detail);
  const next = drillSteps.find((s) => !done[s]) ?? null;
  const run = async (step: DrillStep) => {
    setRunning(step);
    setError(null);
    try {
      setDetail(await call('drills.step', { code: detail.drill.code, step }));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(null);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="drill-steps">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('drills.steps.title')}</Title>
        <Badge variant="light" color={next ? 'gray' : 'green'} tt="none" data-testid="drill-steps-count">
          {t('drills.steps.count', { done: drillSteps.filter((s) => done[s]).length, total: drillSteps.length })}
        </Badge>
      </Group>
      <Stack gap="xs">
        {drillSteps.map((s, i) => {
          const rec = done[s];
          const isNext = s === next && detail.drill.status === 'open';
          return (
            <Paper
              key={s}
              p="sm"
              withBorder
              bg={rec ? 'green.0' : isNext ? 'blue.0' : undefined}
              style={isNext ? { borderColor: 'var(--mantine-color-blue-5)', borderWidth: 2 } : undefined}
              data-testid={`drill-step-${s}`}
              data-done={String(!!rec)}
            >
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <ThemeIcon
                  radius="xl"
                  size={30}
                  color={rec ? 'green' : isNext ? 'blue' : 'gray'}
                  variant={rec || isNext ? 'filled' : 'light'}
                >
                  <Text fw={700} size="sm" c="inherit">
                    {rec ? '✓' : i + 1}
                  </Text>
                </ThemeIcon>
                <Stack gap={2} style={{ flex: 1 }}>
                  <Text fw={700}>{t(`drills.steps.${s}.title`)}</Text>
                  {!rec ? (
                    <Text size="xs" c="dimmed">
                      {t(`drills.steps.${s}.help`)}
                    </Text>
                  ) : null}
                  {rec ? (
                    <>
                      <Text size="sm" data-testid={`drill-step-${s}-summary`}>
                        {stepSummary(t, s, rec.summary)}
                      </Text>
                      <Text size="xs" c="dimmed" data-testid={`drill-step-${s}-by`}>
                        {t('drills.steps.doneBy', { by: rec.doneBy, at: formatTime(rec.doneAt) })}
                      </Text>
                    </>
                  ) : null}
                </Stack>
                {canRun ? (
                  <Button
                    size="xs"
                    variant={rec ? 'subtle' : isNext ? 'filled' : 'light'}
                    loading={running === s}
                    disabled={running !== null && running !== s}
                    onClick={() => void run(s)}
                    data-testid={`drill-run-${s}`}
                  >
                    {rec ? t('drills.steps.runAgain') : t('drills.steps.run')}
                  </Button>
                ) : null}
              </Group>
            </Paper>
          );
        })}
      </Stack>
      <ErrorAlert error={error} testId="drill-step-error" />
    </Paper>
  );
}

/** Result at a glance: time against target, accounted against tolerance, findings. */
function ResultPanel({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  const d = detail.drill;
  const open = detail.findings.filter((f) => !f.explanation).length;
  return (
    <Paper withBorder p="md" data-testid="drill-result">
      <Title order={4} mb="xs">
        {t('drills.result.title')}
      </Title>
      <SimpleGrid cols={2} spacing="md">
        <ToleranceBand pct={d.accountedPct} min={d.toleranceMin} max={d.toleranceMax} />
        <Stack gap={6}>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('drills.result.time')}
            </Text>
            <Badge color={d.withinTarget ? 'green' : 'red'} variant="light" tt="none" data-testid="drill-within-target">
              {d.withinTarget ? t('drills.result.withinTarget') : t('drills.result.overTarget')}
            </Badge>
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('drills.result.findings')}
            </Text>
            <Badge
              color={detail.findings.length === 0 ? 'green' : open > 0 ? 'orange' : 'blue'}
              variant="light"
              tt="none"
              data-testid="drill-findings-count"
            >
              {t('drills.result.findingsCount', { count: detail.findings.length, open })}
            </Badge>
          </Group>
          {d.status === 'completed' ? (
            <Text size="sm" fw={600} c="green.9" data-testid="drill-completed-note">
              {t('drills.result.completedIn', { time: formatClock(d.elapsedMs) })}
            </Text>
          ) : null}
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

/** What the records cannot account for, each with its explanation (required before completion). */
function FindingsPanel({ detail, canEdit }: { detail: DrillDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Paper withBorder p="md" data-testid="drill-findings">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('drills.findings.title')}</Title>
        {canEdit && !adding ? (
          <Button size="xs" variant="subtle" onClick={() => setAdding(true)} data-testid="drill-finding-add">
            {t('drills.findings.add')}
          </Button>
        ) : null}
      </Group>
      {detail.findings.length === 0 && !adding ? (
        <Text size="sm" c="dimmed" data-testid="drill-findings-none">
          {detail.steps.length === 0 ? t('drills.findings.noneYet') : t('drills.findings.none')}
        </Text>
      ) : null}
      <Stack gap="sm">
        {detail.findings.map((f) => (
          <FindingRow key={f.id} code={detail.drill.code} finding={f} canEdit={canEdit} />
        ))}
        {adding ? <AddFinding code={detail.drill.code} onDone={() => setAdding(false)} /> : null}
      </Stack>
    </Paper>
  );
}

function FindingRow({
  code,
  finding,
  canEdit,
}: {
  code: string;
  finding: DrillDetail['findings'][number];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(code);
  const [editing, setEditing] = useState(!finding.explanation);
  const [text, setText] = useState(finding.explanation ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      setDetail(await call('drills.finding', { code, findingId: finding.id, explanation: text.trim() }));
      setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const explained = !!finding.explanation;
  return (
    <Paper
      withBorder
      p="sm"
      bg={explained ? undefined : 'orange.0'}
      style={{ borderLeft: `4px solid var(--mantine-color-${explained ? 'blue' : 'orange'}-6)` }}
      data-testid={`drill-finding-${finding.kind}-${finding.ref}`}
      data-explained={String(explained)}
    >
      <Group gap="xs" mb={4}>
        <Badge color={explained ? 'blue' : 'orange'} variant="light" tt="none">
          {findingKindLabel(t, finding.kind)}
        </Badge>
        {finding.ref ? (
          <Text size="sm" ff="monospace" fw={600}>
            {finding.ref}
          </Text>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed" mb={4}>
        {findingDetail(t, finding)}
      </Text>
      {canEdit && editing ? (
        <Stack gap={6}>
          <Textarea
            label={t('drills.findings.explanation')}
            description={t('drills.findings.explanationHelp')}
            autosize
            minRows={2}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="drill-finding-explanation"
          />
          <Group gap="xs">
            <Button
              size="xs"
              onClick={() => void save()}
              loading={busy}
              disabled={text.trim().length < 3}
              data-testid="drill-finding-save"
            >
              {t('drills.findings.save')}
            </Button>
            {explained ? (
              <Button size="xs" variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
            ) : null}
          </Group>
          <ErrorAlert error={error} />
        </Stack>
      ) : (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Text
            size="sm"
            style={{ flex: 1 }}
            fs={explained ? undefined : 'italic'}
            c={explained ? undefined : 'orange.9'}
            data-testid="drill-finding-text"
          >
            {finding.explanation ?? t('drills.findings.unexplained')}
          </Text>
          {canEdit ? (
            <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
              {t('drills.findings.edit')}
            </Button>
          ) : null}
        </Group>
      )}
    </Paper>
  );
}

/** Findings whose whole content is the kind and the ref read in the screen's language; others carry figures. */
const plainFindings = new Set([
  'customer_no_contact',
  'customer_unknown',
  'lot_without_record',
  'depth_limit',
  'no_batch_record',
]);

function findingDetail(t: TFunction, f: DrillDetail['findings'][number]): string {
  return plainFindings.has(f.kind)
    ? t(`drills.findingDetails.${f.kind}`, { ref: f.ref })
    : findingText(t, f.kind, f.detail);
}

/** A finding a person adds (something the records do not show: a phone call that failed, a missing paper). */
function AddFinding({ code, onDone }: { code: string; onDone: () => void }) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(code);
  const [ref, setRef] = useState('');
  const [detail, setDetailText] = useState('');
  const [explanation, setExplanation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      setDetail(
        await call('drills.finding', {
          code,
          kind: 'manual',
          ref: ref.trim(),
          detail: detail.trim(),
          explanation: explanation.trim(),
        }),
      );
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="drill-finding-new">
      <Stack gap={6}>
        <TextInput
          label={t('drills.findings.ref')}
          value={ref}
          onChange={(e) => setRef(e.currentTarget.value)}
          maxLength={80}
        />
        <Textarea
          label={t('drills.findings.detail')}
          autosize
          minRows={2}
          value={detail}
          onChange={(e) => setDetailText(e.currentTarget.value)}
          maxLength={1000}
        />
        <Textarea
          label={t('drills.findings.explanation')}
          autosize
          minRows={2}
          value={explanation}
          onChange={(e) => setExplanation(e.currentTarget.value)}
          maxLength={2000}
          required
        />
        <Group gap="xs">
          <Button size="xs" onClick={() => void save()} loading={busy} disabled={explanation.trim().length < 3}>
            {t('drills.findings.save')}
          </Button>
          <Button size="xs" variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
      </Stack>
    </Paper>
  );
}

/** Completion with a signature (`drill_completed`): only when every step is run and every finding explained. */
function CompletePanel({ detail, canSign }: { detail: DrillDetail; canSign: boolean }) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(detail.drill.code);
  const [signing, setSigning] = useState(false);
  const d = detail.drill;
  const done = lastSteps(detail);
  const missing = drillSteps.filter((s) => !done[s]);
  const unexplained = detail.findings.filter((f) => !f.explanation).length;
  if (d.status === 'completed')
    return (
      <Paper
        withBorder
        p="md"
        bg="green.0"
        style={{ borderColor: 'var(--mantine-color-green-6)' }}
        data-testid="drill-complete-done"
      >
        <Title order={4} mb={4} c="green.9">
          {d.mode === 'recall' ? t('drills.complete.doneRecall') : t('drills.complete.done')}
        </Title>
        <Text size="sm" mb={6}>
          {t('drills.complete.frozen')}
        </Text>
        <DrillSignatures detail={detail} />
      </Paper>
    );
  const reasons = [
    ...(!canSign ? [t('drills.complete.qaOnly')] : []),
    ...(missing.length
      ? [t('drills.complete.stepsMissing', { steps: missing.map((s) => t(`drills.steps.${s}.title`)).join('、') })]
      : []),
    ...(unexplained ? [t('drills.complete.unexplained', { count: unexplained })] : []),
  ];
  return (
    <Paper withBorder p="md" data-testid="drill-complete">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2} style={{ flex: 1 }}>
          <Title order={4}>{t('drills.complete.title')}</Title>
          <Text size="xs" c="dimmed">
            {t('drills.complete.help')}
          </Text>
        </Stack>
        <Button
          color={d.mode === 'recall' ? 'red' : 'green'}
          disabled={reasons.length > 0}
          onClick={() => setSigning(true)}
          data-testid="drill-complete-button"
        >
          {d.mode === 'recall' ? t('drills.complete.buttonRecall') : t('drills.complete.button')}
        </Button>
      </Group>
      {reasons.length > 0 ? (
        <List size="sm" mt="xs" c="orange.9" data-testid="drill-complete-reasons">
          {reasons.map((r) => (
            <List.Item key={r}>{r}</List.Item>
          ))}
        </List>
      ) : null}
      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['drill_completed']}
        commentLabel={t('drills.complete.comment')}
        summary={
          <Stack gap={2}>
            <Group gap="xs">
              <ModeBadge mode={d.mode} />
              <Text fw={700} data-testid="drill-complete-summary">
                {t('drills.complete.summary', { code: d.code, lot: d.rootLot })}
              </Text>
            </Group>
            <Text size="sm" c="dimmed">
              {t('drills.complete.summaryFacts', {
                lots: detail.lots.length,
                customers: detail.customers.length,
                pct: d.accountedPct ?? '—',
                findings: detail.findings.length,
              })}
            </Text>
          </Stack>
        }
        onSign={async (v) => {
          const r = await call('drills.complete', { code: d.code, signature: v });
          setDetail(r);
          notifications.show({ color: 'green', message: t('drills.complete.signed', { code: d.code }) });
        }}
      />
    </Paper>
  );
}
