import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { showDocument, useHeldDocument } from '../../ui/document-actions';
import { DocumentLocalePicker, PrintedDocumentResult, useDocumentLocale } from '../../ui/printed-document';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { VerdictBadge } from '../../ui/result';
import { causeText, nameOf, type IntakeDetail } from './intake-format';
import { limitLabel } from './panel-entry';
import { usePersonName } from '../../ui/person';

/**
 * The report to the county agriculture authority for a rejected tanker (第二十八条). The
 * server prints the PDF and records it with its SHA-256 (a second print is a reprint); it
 * opens in the system PDF viewer (desktop) or a browser tab (harness) to print or send, and
 * the page repeats what it says.
 */
export function AuthorityReport({ detail }: { detail: IntakeDetail }) {
  const { t, i18n } = useTranslation();
  const personName = usePersonName();
  const session = useSession();
  const qc = useQueryClient();
  const [locale, setLocale] = useDocumentLocale();
  const [doc, hold] = useHeldDocument();
  const [showError, setShowError] = useState<unknown>(null);
  const report = useMutationCall('intake.report');
  const canPrint = hasPermission(session, 'intake.accept') && !session.readOnly;
  const intake = detail.intake!;
  const late = intake.status === 'accepted';
  const lang = i18n.language;
  const failing = detail.checks.filter((c) => c.verdict === 'fail');
  const signature = detail.signatures.find((s) => s.meaning === intake.status && s.userId === intake.decidedBy);
  const decidedBy = signature ? signature.printedName : personName(intake.decidedBy);
  const checkName = (code: string) => {
    const c = detail.checks.find((x) => x.code === code);
    return c ? nameOf(c, lang) : code;
  };

  const open = () =>
    report.mutate(
      { lotCode: detail.lot.code, locale },
      {
        onSuccess: (r) => {
          const held = hold({ ref: { kind: 'document', id: r.documentId }, fileName: r.fileName, sha256: r.sha256, base64: r.base64 });
          setShowError(null);
          showDocument(held).catch((e: unknown) => setShowError(e));
          void qc.invalidateQueries({ queryKey: ['intake.get'] });
        },
      },
    );

  const r = report.data;
  return (
    <Paper withBorder p="md" data-testid="authority-report" style={{ borderColor: 'var(--mantine-color-red-4)' }}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={4}>{t('intake.report.title')}</Title>
          <Text size="sm" c="dimmed" maw={720}>
            {t('intake.report.intro')}
          </Text>
        </div>
        {intake.reportDocumentId ? (
          <Badge color="green" variant="light" tt="none" data-testid="authority-report-recorded">
            {t('intake.report.recorded')}
          </Badge>
        ) : (
          <Badge color="orange" variant="filled" tt="none" data-testid="authority-report-missing">
            {t('intake.report.notYet')}
          </Badge>
        )}
      </Group>

      <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)" data-testid="authority-report-view">
        <Text fw={700} ta="center" mb={4}>
          {t('intake.report.docTitle')}
        </Text>
        <Text size="xs" c="dimmed" ta="center" mb="sm">
          {t('intake.report.addressee')}
        </Text>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs" mb="xs">
          <ReportFact label={t('intake.fields.lot')} value={detail.lot.code} mono />
          <ReportFact label={t('intake.fields.supplier')} value={`${detail.supplier.code} ${detail.supplier.name}`} />
          <ReportFact label={t('intake.fields.vehicle')} value={detail.receipt?.vehicle ?? '—'} />
          <ReportFact label={t('intake.fields.quantity')} value={`${detail.lot.quantity} ${detail.lot.unit}`} mono />
          <ReportFact label={t('intake.fields.farms')} value={detail.receipt?.farms.join('、') || '—'} />
          <ReportFact label={t('intake.fields.receivedAt')} value={formatTime(detail.receipt?.receivedAt)} mono />
          <ReportFact
            label={late ? t('intakeClauses.acceptedBy') : t('intake.fields.decidedBy')}
            value={`${decidedBy} · ${formatTime(intake.decidedAt)}`}
          />
          <ReportFact
            label={t('intake.fields.causes')}
            value={
              (late ? failing.map((c) => c.code) : intake.rejectCauses.map((c) => causeText(t, c, checkName)))
                .map((c) => (late ? checkName(c) : c))
                .join('；') || '—'
            }
          />
        </SimpleGrid>
        {failing.length > 0 ? (
          <Table withTableBorder fz="sm" mb="xs" data-testid="authority-report-failing" bg="white">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('intake.panel.check')}</Table.Th>
                <Table.Th>{t('intake.panel.result')}</Table.Th>
                <Table.Th>{t('intake.panel.limit')}</Table.Th>
                <Table.Th>{t('intake.panel.verdict')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {failing.map((c) => (
                <Table.Tr key={c.code}>
                  <Table.Td>{nameOf(c, lang)}</Table.Td>
                  <Table.Td ff="monospace">
                    {c.screen
                      ? c.reported?.startsWith('present')
                        ? t('intake.panel.positive')
                        : t('intake.panel.negative')
                      : `${c.reported ?? '—'} ${c.unit}`}
                  </Table.Td>
                  <Table.Td>{limitLabel(t, c)}</Table.Td>
                  <Table.Td>
                    <VerdictBadge verdict={c.verdict} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        <Text size="sm">
          <b>{t('intake.report.decision')}</b>{' '}
          {late ? t('intakeClauses.reportLateText') : t('intake.report.decisionText')}
        </Text>
        {late ? null : (
          <Text size="sm" data-testid="authority-report-reason">
            <b>{t('intake.fields.reason')}:</b> {intake.decisionReason ?? '—'}
          </Text>
        )}
      </Paper>

      <Group gap="sm" align="flex-end" mt="sm">
        <DocumentLocalePicker
          label={t('intake.report.language')}
          value={locale}
          onChange={setLocale}
          testId="authority-report-locale"
        />
        {canPrint ? (
          <Button color="red" onClick={open} loading={report.isPending} data-testid="authority-report-open">
            {t('intake.report.open')}
          </Button>
        ) : null}
        {late ? (
          <Button
            variant="light"
            component="a"
            href={href(`/intake/late/${encodeURIComponent(detail.lot.code)}`)}
            data-testid="authority-report-late"
          >
            {t('lateFailure.open')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={report.error ?? showError} testId="authority-report-error" />
      {r && doc ? (
        <Alert color={r.reprint ? 'orange' : 'green'} variant="light" mt="sm" data-testid="authority-report-result">
          <Stack gap={4}>
            <PrintedDocumentResult
              doc={doc}
              reprint={r.reprint}
              testId="authority-report"
              printedLabel={t('intake.report.printed')}
              reprintedLabel={t('intake.report.reprinted')}
              openLabel={t('intake.report.openAgain')}
              downloadLabel={t('intake.report.download')}
              hint={t('intake.report.sendHint')}
              openTestId="authority-report-link"
              printTestId="authority-report-print"
              downloadTestId="authority-report-download"
            />
          </Stack>
        </Alert>
      ) : null}
    </Paper>
  );
}

function ReportFact({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} ff={mono ? 'monospace' : undefined}>
        {value}
      </Text>
    </Stack>
  );
}
