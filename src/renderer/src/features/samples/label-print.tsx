import { useState } from 'react';
import { Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { showDocument, useHeldDocument } from '../../ui/document-actions';
import { DocumentLocalePicker, PrintedDocumentResult, useDocumentLocale } from '../../ui/printed-document';

type Size = '50x30' | '60x40' | '100x50';

/**
 * Print (or reprint) a sample's label: the server makes the PDF and records it with its
 * SHA-256 (documents/<sha256>.pdf). The desktop then opens the system print dialog on that
 * file (pick the label printer); the browser harness opens it in a tab, whose PDF viewer
 * prints it (D-041). Open and download stay available.
 */
export function LabelPrint({ code, testId = 'label-print', compact }: { code: string; testId?: string; compact?: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [size, setSize] = useState<Size>('50x30');
  const [locale, setLocale] = useDocumentLocale();
  const [doc, hold] = useHeldDocument();
  const [showError, setShowError] = useState<unknown>(null);
  const print = useMutationCall('samples.printLabel');

  const doPrint = () =>
    print.mutate(
      { code, size, locale },
      {
        onSuccess: (r) => {
          const held = hold({ ref: { kind: 'document', id: r.documentId }, fileName: r.fileName, sha256: r.sha256, base64: r.base64 });
          setShowError(null);
          showDocument(held, 'print').catch((e: unknown) => setShowError(e));
          void qc.invalidateQueries({ queryKey: ['samples.get'] });
          void qc.invalidateQueries({ queryKey: ['documents.list'] });
        },
      },
    );

  const r = print.data;
  return (
    <Paper withBorder p="sm" data-testid={testId} bg="white">
      <Stack gap="xs">
        {!compact ? (
          <Text size="sm" c="dimmed">
            {t('samples.label.help')}
          </Text>
        ) : null}
        <Group gap="sm" align="flex-end">
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('samples.label.size')}
            </Text>
            <SegmentedControl
              size="xs"
              value={size}
              onChange={(v) => setSize(v as Size)}
              data={['50x30', '60x40', '100x50'].map((s) => ({ value: s, label: `${s.replace('x', '×')} mm` }))}
              data-testid="label-size"
            />
          </Stack>
          <DocumentLocalePicker label={t('samples.label.language')} value={locale} onChange={setLocale} testId="label-locale" />
          <Button onClick={doPrint} loading={print.isPending} data-testid="label-print-button">
            {r ? t('samples.label.reprint') : t('samples.label.print')}
          </Button>
        </Group>
        <ErrorAlert error={print.error ?? showError} testId="label-error" />
        {r && doc ? (
          <Stack gap={4} data-testid="label-result">
            <PrintedDocumentResult
              doc={doc}
              reprint={r.reprint}
              testId="label"
              printedLabel={t('samples.label.printed')}
              reprintedLabel={t('samples.label.reprinted')}
              openLabel={t('samples.label.open')}
              downloadLabel={t('samples.label.download')}
              hint={t('samples.label.printHint')}
              openTestId="label-open"
              printTestId="label-print-again"
              downloadTestId="label-download"
            />
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
