import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { declarationKeys, type Declarations } from '../../../../shared/contract/channels/intake';
import { ApiError } from '../../core/api/client';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { LotLink, StatusBadge } from '../../ui/lot';
import { SampleLink } from '../../ui/sample';
import { AuthorityReport } from './authority-report';
import { DecisionBox } from './decision-box';
import { nameOf, IntakeStatusBadge, IntakeTabs, refusingDeclarations, type IntakeDetail } from './intake-format';
import { SamplingLevelBadge } from '../../ui/supplier';
import { elapsedSince } from '../../ui/dates';
import { PanelEntry, useIntakeRefresh } from './panel-entry';
import { signatureTime } from '../../ui/format';
import { DocumentsFields, DocumentsPanel, emptyDocuments } from './tanker-documents';
import { SpotCheckStageBadge, spotCheckHref } from './spot-check-format';
import type { TankerDocumentInput } from '../../../../shared/contract/channels/intake';

function Fact({ label, value, testId, mono }: { label: string; value: string; testId?: string; mono?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text
        fw={500}
        ff={mono ? 'monospace' : undefined}
        style={{ fontVariantNumeric: 'tabular-nums' }}
        data-testid={testId}
      >
        {value || '—'}
      </Text>
    </Stack>
  );
}

/** Where the tanker stands: 0 declarations, 1 panel entry, 2 submission, 3 decision, 4 decided. */
function stepOf(d: IntakeDetail): number {
  const i = d.intake;
  if (!i) return 0;
  if (i.status === 'accepted' || i.status === 'rejected') return 4;
  if (i.status === 'refused') return 3;
  if (d.checks.some((c) => c.timing === 'gating' && c.status === 'pending')) return 1;
  if (d.unsubmitted.length > 0) return 2;
  return 3;
}

/** `#/intake/<lotCode>`: one tanker at the bench, from its declarations to the signed decision. */
export function TankerIntakePage({ lotCode }: { lotCode: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  // Always read afresh when the page opens: spot checks, late failures and documents change from other screens.
  const detail = useCall('intake.get', { lotCode }, { staleTime: 0, retry: false, refetchOnMount: 'always' });

  if (detail.isLoading) return <Loader />;
  if (!detail.data) {
    const notFound =
      detail.error instanceof ApiError && (detail.error.code === 'not_found' || detail.error.code === 'invalid_input');
    return (
      <Stack>
        <IntakeTabs active={null} />
        {notFound ? (
          <Alert color="red" title={t('intake.page.notFoundTitle')} data-testid="intake-not-found">
            <ErrorAlert error={detail.error} />
            <Anchor href={href('/intake')} size="sm">
              {t('intake.page.backToQueue')}
            </Anchor>
          </Alert>
        ) : (
          <ErrorAlert error={detail.error} />
        )}
      </Stack>
    );
  }
  const d = detail.data;
  const intake = d.intake;
  const canEnter = hasPermission(session, 'results.enter') && !session.readOnly;
  const canStart = hasPermission(session, 'intake.record') && !session.readOnly;
  const step = stepOf(d);
  const lotOpen = d.lot.status === 'quarantine';

  return (
    <Stack data-testid="intake-page" data-lot={d.lot.code} maw={1280}>
      <IntakeTabs active={null} />
      <Anchor href={href('/intake')} size="sm">
        ← {t('intake.page.backToQueue')}
      </Anchor>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={6}>
            <Text size="sm" c="dimmed">
              {t('intake.page.kicker')}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace" data-testid="intake-lot-code">
                {d.lot.code}
              </Title>
              <IntakeStatusBadge status={intake?.status ?? null} size="lg" />
              <StatusBadge status={d.lot.status} size="lg" />
            </Group>
            <Group gap="xs">
              <Text size="sm">{t('intake.fields.supplier')}:</Text>
              <Text size="sm" fw={600} ff="monospace">
                {d.supplier.code}
              </Text>
              <Text size="sm">{d.supplier.name}</Text>
              <Anchor
                href={href('/suppliers', { history: d.supplier.code })}
                underline="never"
                data-testid="intake-sampling-link"
              >
                <SamplingLevelBadge
                  level={d.sampling.level}
                  passes={d.sampling.consecutivePasses}
                  required={d.sampling.passesRequired}
                />
              </Anchor>
              {intake && intake.samplingLevel !== d.sampling.level ? (
                <Text size="xs" c="dimmed">
                  {t('intake.page.levelAtStart', { level: t(`suppliers.levels.${intake.samplingLevel}`) })}
                </Text>
              ) : null}
            </Group>
          </Stack>
          <Stack gap={2} align="flex-end">
            <Text size="xs" c="dimmed">
              {t('intake.fields.waiting')}
            </Text>
            <Text fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {step >= 4 ? '—' : elapsedSince(t, d.receipt?.receivedAt)}
            </Text>
          </Stack>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }} mt="md" data-testid="intake-facts">
          <Fact label={t('intake.fields.vehicle')} value={d.receipt?.vehicle ?? ''} testId="intake-vehicle" />
          <Fact label={t('intake.fields.farms')} value={d.receipt?.farms.join('、') ?? ''} />
          <Fact label={t('intake.fields.quantity')} value={`${d.lot.quantity} ${d.lot.unit}`} mono />
          <Fact
            label={t('intake.fields.temperature')}
            value={d.receipt?.temperature ? `${d.receipt.temperature} °C` : ''}
            mono
            testId="intake-temperature"
          />
          <Fact label={t('intake.fields.receivedAt')} value={formatTime(d.receipt?.receivedAt)} mono />
          <Fact
            label={t('intake.fields.condition')}
            value={
              d.receipt?.condition
                ? t(`lots.receipt.conditions.${d.receipt.condition}`, { defaultValue: d.receipt.condition })
                : ''
            }
          />
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('intake.fields.sample')}
            </Text>
            {intake?.sampleCode ? <SampleLink code={intake.sampleCode} /> : <Text fw={500}>—</Text>}
          </Stack>
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="sm">
        <Stepper active={step} size="sm" allowNextStepsSelect={false} data-testid="intake-steps" data-step={step}>
          <Stepper.Step label={t('intake.steps.declarations')} description={t('intake.steps.declarationsHelp')} />
          <Stepper.Step label={t('intake.steps.panel')} description={t('intake.steps.panelHelp')} />
          <Stepper.Step label={t('intake.steps.submit')} description={t('intake.steps.submitHelp')} />
          <Stepper.Step label={t('intake.steps.decision')} description={t('intake.steps.decisionHelp')} />
        </Stepper>
        <Alert color={step >= 4 ? 'gray' : 'blue'} variant="light" mt="sm" data-testid="intake-next-step">
          <Text fw={600} size="sm">
            {nextStepText(t, d, canStart, hasPermission(session, 'intake.reject'))}
          </Text>
        </Alert>
      </Paper>

      {!intake ? (
        lotOpen ? (
          canStart ? (
            <DeclarationsForm lotCode={d.lot.code} />
          ) : (
            <Alert color="gray" data-testid="intake-not-started">
              {t('intake.page.notStartedReadOnly')}
            </Alert>
          )
        ) : (
          <Alert color="gray" data-testid="intake-lot-decided">
            {t('intake.page.lotDecided', { status: t(`lots.status.${d.lot.status}`, { defaultValue: d.lot.status }) })}
          </Alert>
        )
      ) : (
        <>
          <DeclarationsSummary d={d} />
          <DocumentsPanel key={`${intake.id}-${d.documents.recordedAt ?? ''}`} detail={d} />
        </>
      )}

      {d.lateFailures.length > 0 ? (
        <Alert
          color="red"
          variant={d.lateFailures.some((f) => f.status === 'open') ? 'filled' : 'light'}
          title={t('lateFailure.bannerTitle')}
          data-testid="intake-late-failure"
        >
          <Text size="sm">
            {t(d.lateFailures.some((f) => f.status === 'open') ? 'lateFailure.bannerOpen' : 'lateFailure.bannerHeld', {
              items: d.lateFailures
                .flatMap((f) => f.items)
                .map((c) => nameOf(d.checks.find((x) => x.code === c) ?? { nameZh: c, nameEn: c }, i18n.language))
                .join('、'),
            })}
          </Text>
          <Anchor
            href={href(`/intake/late/${encodeURIComponent(d.lot.code)}`)}
            c={d.lateFailures.some((f) => f.status === 'open') ? 'white' : undefined}
            fw={700}
            size="sm"
            data-testid="intake-late-failure-link"
          >
            {t('lateFailure.open')}
          </Anchor>
        </Alert>
      ) : null}

      {intake?.sampleCode ? <PanelEntry detail={d} canEnter={canEnter} /> : null}

      <DecisionBox detail={d} />

      {d.reportRequired ? <AuthorityReport detail={d} /> : null}

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="sm" data-testid="intake-signatures">
          <Title order={5} mb="xs">
            {t('intake.page.signaturesTitle')}
          </Title>
          {d.signatures.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('intake.page.noSignatures')}
            </Text>
          ) : (
            d.signatures.map((sig) => (
              <Group key={sig.id} gap="xs" data-testid="intake-signature" data-meaning={sig.meaning}>
                <Text size="sm" fw={600}>
                  {sig.printedName}
                </Text>
                <Text size="sm">/</Text>
                <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {signatureTime(sig)}
                </Text>
                <Text size="sm">/</Text>
                <Badge variant="light" tt="none" color={sig.meaning === 'rejected' ? 'red' : 'green'}>
                  {t(`meanings.${sig.meaning}`)}
                </Badge>
                {!sig.valid ? (
                  <Badge color="red" variant="outline" tt="none">
                    {t('intake.page.signatureInvalidated')}
                  </Badge>
                ) : null}
                {sig.comment ? (
                  <Text size="sm" c="dimmed">
                    — {sig.comment}
                  </Text>
                ) : null}
              </Group>
            ))
          )}
          <Text size="xs" c="dimmed" mt="xs">
            {t('intake.page.resultSignaturesHint')}
          </Text>
        </Paper>
        <Paper withBorder p="sm" data-testid="intake-spot-checks">
          <Group justify="space-between" mb="xs">
            <Title order={5}>{t('spotChecks.onTankerTitle')}</Title>
            <Anchor href={href('/appeals', { lot: d.lot.code })} size="sm" data-testid="intake-spot-checks-link">
              {t('spotChecks.openRegister')}
            </Anchor>
          </Group>
          {d.spotChecks.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('spotChecks.noneOnTanker')}
            </Text>
          ) : (
            <Table fz="sm" withTableBorder>
              <Table.Tbody>
                {d.spotChecks.map((sc) => (
                  <Table.Tr key={sc.id} bg={sc.overdue ? 'var(--mantine-color-red-0)' : undefined}>
                    <Table.Td>
                      <Anchor href={spotCheckHref(sc.code)} ff="monospace" size="sm">
                        {sc.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <SpotCheckStageBadge stage={sc.stage} closure={sc.closure} />
                    </Table.Td>
                    <Table.Td c={sc.overdue ? 'red.7' : undefined} fw={sc.overdue ? 700 : undefined}>
                      {sc.nextDeadline
                        ? `${t(`spotChecks.deadlineKind.${sc.nextDeadlineKind}`)}: ${sc.nextDeadline}`
                        : '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {d.appeals.length > 0 ? (
            <Alert color="yellow" variant="light" mt="xs" data-testid="intake-legacy-appeals">
              {t('spotChecks.legacyOnTanker', { count: d.appeals.length })}{' '}
              <Anchor href={href('/appeals', { legacy: '1' })} size="sm">
                {t('spotChecks.legacyReview')}
              </Anchor>
            </Alert>
          ) : null}
        </Paper>
      </SimpleGrid>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('intake.page.lotPage')}
        </Text>
        <LotLink code={d.lot.code} />
      </Group>
    </Stack>
  );
}

function nextStepText(
  t: (k: string, o?: Record<string, unknown>) => string,
  d: IntakeDetail,
  canStart: boolean,
  isQa: boolean,
): string {
  const i = d.intake;
  if (!i)
    return d.lot.status === 'quarantine'
      ? canStart
        ? t('intake.next.declarations')
        : t('intake.next.waitTech')
      : t('intake.next.none');
  if (i.status === 'accepted')
    return d.lateFailures.some((f) => f.status === 'open')
      ? t('lateFailure.next')
      : d.pendingRetrospective.length > 0
        ? t('intake.next.acceptedRetrospective', { count: d.pendingRetrospective.length })
        : t('intake.next.accepted');
  if (i.status === 'rejected') {
    if (!d.reportRequired) return t('intake.next.rejectedPlantRule');
    return i.reportDocumentId ? t('intake.next.rejectedReported') : t('intake.next.rejectedReport');
  }
  if (i.status === 'refused') return isQa ? t('intake.next.refusedQa') : t('intake.next.refusedTech');
  const pending = d.checks.filter((c) => c.timing === 'gating' && c.status === 'pending').length;
  if (d.proposal === 'reject') {
    if (isQa) return t('intake.next.rejectQa');
    return pending > 0 || d.unsubmitted.length > 0 ? t('intake.next.rejectTechFinish') : t('intake.next.rejectTech');
  }
  if (pending > 0) return t('intake.next.enter', { count: pending });
  if (d.unsubmitted.length > 0) return t('intake.next.submit');
  if (d.proposal === 'accept')
    return d.documents.blocking ? t('intake.next.documentsMissing') : t('intake.next.accept');
  return t('intake.next.incomplete');
}

/** Step 1: the driver's receipt declarations (第二十四条), then the sample and its panel. */
function DeclarationsForm({ lotCode }: { lotCode: string }) {
  const { t } = useTranslation();
  const refresh = useIntakeRefresh();
  const [values, setValues] = useState<Declarations>({
    noColostrum: false,
    noTreatment: false,
    withdrawalRespected: false,
    healthCertificates: false,
  });
  const [samplingPoint, setSamplingPoint] = useState(t('intake.start.samplingPointDefault'));
  const [note, setNote] = useState('');
  const [confirmRefusal, setConfirmRefusal] = useState(false);
  const [documents, setDocuments] = useState<TankerDocumentInput[]>(emptyDocuments);
  /** Nothing ticked yet: no warning until the technician has gone through the papers. */
  const [touched, setTouched] = useState(false);
  const start = useMutationCall('intake.start', { onSuccess: refresh });
  const refusing = refusingDeclarations.filter((k) => !values[k]);
  const refused = refusing.length > 0;
  const noCertificates = !values.healthCertificates;

  return (
    <Paper withBorder p="md" data-testid="intake-declarations-form">
      <Title order={4}>{t('intake.start.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('intake.start.intro')}
      </Text>
      <Stack gap="sm">
        {declarationKeys.map((k) => (
          <Checkbox
            key={k}
            size="md"
            checked={values[k]}
            onChange={(e) => {
              const checked = e.currentTarget.checked;
              setValues((v) => ({ ...v, [k]: checked }));
              setConfirmRefusal(false);
              setTouched(true);
            }}
            label={<Text fw={600}>{t(`intake.declarations.${k}`)}</Text>}
            description={t(`intake.declarationHelp.${k}`)}
            data-testid={`declaration-${k}`}
          />
        ))}
        {!touched ? (
          <Alert color="blue" variant="light" data-testid="intake-declarations-todo">
            {t('intake.start.todo')}
          </Alert>
        ) : refused ? (
          <Alert color="red" variant="filled" title={t('intake.start.refuseTitle')} data-testid="intake-refuse-warning">
            <Text size="sm">
              {t('intake.start.refuseText', { items: refusing.map((k) => t(`intake.declarations.${k}`)).join('、') })}
            </Text>
            <Checkbox
              mt="xs"
              color="white"
              iconColor="red"
              checked={confirmRefusal}
              onChange={(e) => setConfirmRefusal(e.currentTarget.checked)}
              label={
                <Text size="sm" c="white" fw={600}>
                  {t('intake.start.refuseConfirm')}
                </Text>
              }
              data-testid="intake-refuse-confirm"
            />
          </Alert>
        ) : noCertificates ? (
          <Alert color="orange" variant="light" data-testid="intake-certificates-warning">
            {t('intake.start.certificatesWarning')}
          </Alert>
        ) : (
          <Alert color="green" variant="light" data-testid="intake-declarations-ok">
            {t('intake.start.allConfirmed')}
          </Alert>
        )}
        <Title order={5} mt="xs">
          {t('tankerDocs.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('tankerDocs.intro')}
        </Text>
        <DocumentsFields value={documents} onChange={setDocuments} />
        {documents.some((x) => !x.present) ? (
          <Alert color="orange" variant="light" data-testid="intake-documents-warning">
            {t('tankerDocs.startWarning')}
          </Alert>
        ) : null}
        <Group grow align="flex-start">
          <TextInput
            label={t('intake.start.samplingPoint')}
            description={t('intake.start.samplingPointHelp')}
            value={samplingPoint}
            onChange={(e) => setSamplingPoint(e.currentTarget.value)}
            disabled={touched && refused}
            data-testid="intake-sampling-point"
          />
          <Textarea
            label={t('intake.start.note')}
            autosize
            minRows={2}
            maxLength={1000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-testid="intake-note"
          />
        </Group>
        <ErrorAlert error={start.error} testId="intake-start-error" />
        <Group justify="flex-end">
          <Button
            color={refused ? 'red' : 'blue'}
            size="md"
            disabled={!touched || (refused && !confirmRefusal) || (!refused && !samplingPoint.trim())}
            loading={start.isPending}
            onClick={() =>
              start.mutate({
                lotCode,
                declarations: values,
                documents,
                samplingPoint: samplingPoint.trim() || 'Tanker outlet',
                ...(note.trim() ? { note: note.trim() } : {}),
              })
            }
            data-testid="intake-start"
          >
            {refused ? t('intake.start.refuse') : t('intake.start.submit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function DeclarationsSummary({ d }: { d: IntakeDetail }) {
  const { t } = useTranslation();
  const i = d.intake!;
  return (
    <Paper withBorder p="sm" data-testid="intake-declarations">
      <Group justify="space-between" mb={4}>
        <Title order={5}>{t('intake.start.summaryTitle')}</Title>
        <Text size="xs" c="dimmed">
          {t('intake.start.openedBy', { by: i.openedBy, at: formatTime(i.openedAt) })}
        </Text>
      </Group>
      <Group gap="lg">
        {declarationKeys.map((k) => (
          <Group key={k} gap={6} data-testid={`declaration-summary-${k}`} data-value={String(i.declarations[k])}>
            <Badge color={i.declarations[k] ? 'green' : 'red'} variant="filled" circle size="lg">
              {i.declarations[k] ? '✓' : '✗'}
            </Badge>
            <Text size="sm" fw={i.declarations[k] ? 400 : 700} c={i.declarations[k] ? undefined : 'red.8'}>
              {t(`intake.declarations.${k}`)}
            </Text>
          </Group>
        ))}
      </Group>
      {i.status === 'refused' ? (
        <Alert color="red" variant="filled" mt="sm" title={t('intake.start.refusedTitle')} data-testid="intake-refused">
          {t('intake.start.refusedText')}
        </Alert>
      ) : null}
    </Paper>
  );
}
