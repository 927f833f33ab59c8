import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Code,
  Divider,
  Group,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { ErrorAlert } from '../../ui/error-alert';
import { hasPermission, useSession } from '../../core/session';
import { downloadText, type DrillDetail } from './drills-format';
import { DocumentActions, showDocument, useHeldDocument } from '../../ui/document-actions';
import { DocumentLocalePicker, useDocumentLocale, type DocumentLocale } from '../../ui/printed-document';

type DocLocale = DocumentLocale;

interface Pack {
  fileName: string;
  sha256: string;
  csv: string;
  csvFileName: string;
  locale: DocLocale;
  draft: boolean;
}

/**
 * The evidence pack (issue 12 §3): one recorded PDF — opened like every generated PDF, in
 * the system viewer on the desktop or a browser tab in the harness (the app's content
 * security policy embeds no documents) — and the same data
 * as a sortable CSV, one row per affected lot and shipment (the FDA 204 "within 24 hours"
 * form). Beside it the GS1 EPCIS 2.0 export of the root lot's trace (§6).
 */
export function EvidencePanel({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const d = detail.drill;
  const [locale, setLocale] = useDocumentLocale();
  const [pack, setPack] = useState<Pack | null>(null);
  const [doc, hold] = useHeldDocument();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [epcis, setEpcis] = useState<{ fileName: string; events: number } | null>(null);
  const [epcisBusy, setEpcisBusy] = useState(false);
  const [epcisError, setEpcisError] = useState<unknown>(null);
  const canMake = hasPermission(session, 'lots.decide') && !session.readOnly;

  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('drills.evidence', { code: d.code, locale });
      const held = hold({ ref: { kind: 'document', id: r.documentId }, fileName: r.fileName, sha256: r.sha256, base64: r.base64 });
      setPack({
        fileName: r.fileName,
        sha256: r.sha256,
        csv: r.csv,
        csvFileName: r.csvFileName,
        locale,
        draft: d.status === 'open',
      });
      void qc.invalidateQueries({ queryKey: ['documents.list'] });
      await showDocument(held);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const exportEpcis = async () => {
    setEpcisBusy(true);
    setEpcisError(null);
    try {
      const r = await call('trace.epcis', { lotCode: d.rootLot });
      downloadText(r.json, r.fileName, 'application/ld+json');
      setEpcis({ fileName: r.fileName, events: r.events });
    } catch (e) {
      setEpcisError(e);
    } finally {
      setEpcisBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="drill-evidence">
      <Title order={4}>{t('drills.evidence.title')}</Title>
      <Text size="xs" c="dimmed" mb="xs">
        {d.status === 'open' ? t('drills.evidence.introOpen') : t('drills.evidence.intro')}
      </Text>
      {canMake ? (
        <Group gap="sm" align="flex-end">
          <DocumentLocalePicker
            label={t('drills.evidence.language')}
            value={locale}
            onChange={setLocale}
            testId="drill-evidence-locale"
          />
          <Button
            onClick={() => void make()}
            loading={busy}
            variant={d.status === 'open' ? 'light' : 'filled'}
            data-testid="drill-evidence-make"
          >
            {t('drills.evidence.make')}
          </Button>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          {t('drills.evidence.qaOnly')}
        </Text>
      )}
      <ErrorAlert error={error} testId="drill-evidence-error" />
      {pack ? (
        <Stack gap={4} mt="sm" data-testid="drill-evidence-result" data-locale={pack.locale}>
          <Group gap="xs">
            <Badge color={pack.draft ? 'yellow' : 'green'} variant="light" tt="none" data-testid="drill-evidence-kind">
              {pack.draft ? t('drills.evidence.draft') : t('drills.evidence.recorded')}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('drills.evidence.printHint')}
            </Text>
          </Group>
          <Group gap="sm">
            <Text size="sm" ff="monospace" data-testid="drill-evidence-file">
              {pack.fileName}
            </Text>
            {doc ? (
              <DocumentActions
                doc={doc}
                openLabel={t('drills.evidence.open')}
                downloadLabel={t('drills.evidence.download')}
                openTestId="drill-evidence-open"
                printTestId="drill-evidence-print"
                downloadTestId="drill-evidence-download"
              />
            ) : null}
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => downloadText(pack.csv, pack.csvFileName, 'text/csv;charset=utf-8')}
              data-testid="drill-evidence-csv"
            >
              {t('drills.evidence.csv', { file: pack.csvFileName })}
            </Anchor>
          </Group>
          <Code style={{ wordBreak: 'break-all' }} fz="xs" data-testid="drill-evidence-sha256">
            SHA-256 {pack.sha256}
          </Code>
          <Text size="xs" c="dimmed">
            {t('drills.evidence.csvRows', { count: Math.max(0, pack.csv.trim().split(/\r?\n/).length - 1) })}
          </Text>
        </Stack>
      ) : null}
      <Divider my="sm" />
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Text fw={600} size="sm">
            {t('drills.epcis.title')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('drills.epcis.help', { lot: d.rootLot })}
          </Text>
        </Stack>
        <Button
          variant="default"
          size="xs"
          onClick={() => void exportEpcis()}
          loading={epcisBusy}
          data-testid="drill-epcis"
        >
          {t('drills.epcis.button')}
        </Button>
      </Group>
      <ErrorAlert error={epcisError} testId="drill-epcis-error" />
      {epcis ? (
        <Text size="xs" mt={4} data-testid="drill-epcis-result">
          {t('drills.epcis.done', { file: epcis.fileName, events: epcis.events })}
        </Text>
      ) : null}
    </Paper>
  );
}
