import { useState } from 'react';
import { Badge, Code, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DocumentActions, type HeldDocument } from './document-actions';

/**
 * The printed-document panel's parts (labels, the authority report, COA, dossier, drill
 * evidence): the language it is printed in, and the issued PDF with its hash and the ways to
 * open, print and download it (ui/document-actions.tsx).
 */
export type DocumentLocale = 'en' | 'zh-CN';

/** The language a document is printed in, starting from the user's. */
export function useDocumentLocale(): [DocumentLocale, (l: DocumentLocale) => void] {
  const { i18n } = useTranslation();
  return useState<DocumentLocale>(i18n.language === 'en' ? 'en' : 'zh-CN');
}

/** 中文 / English under a small label: each choice written in its own language. */
export function DocumentLocalePicker({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: DocumentLocale;
  onChange: (l: DocumentLocale) => void;
  testId: string;
}) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        value={value}
        onChange={(v) => onChange(v as DocumentLocale)}
        data={[
          { value: 'zh-CN', label: '中文' },
          { value: 'en', label: <span lang="en">English</span> },
        ]}
        data-testid={testId}
      />
    </Stack>
  );
}

/**
 * A document just printed: printed or reprinted, its file, SHA-256, open · print · download and
 * a hint. Test ids: `<testId>-kind`, `-file`, `-sha256`; the actions' ids are given.
 */
export function PrintedDocumentResult({
  doc,
  reprint,
  testId,
  printedLabel,
  reprintedLabel,
  openLabel,
  downloadLabel,
  hint,
  openTestId,
  printTestId,
  downloadTestId,
}: {
  doc: HeldDocument;
  reprint: boolean;
  testId: string;
  printedLabel: string;
  reprintedLabel: string;
  openLabel: string;
  downloadLabel: string;
  hint: string;
  openTestId: string;
  printTestId: string;
  downloadTestId: string;
}) {
  return (
    <>
      <Group gap="xs">
        <Badge color={reprint ? 'orange' : 'green'} variant="light" tt="none" data-testid={`${testId}-kind`}>
          {reprint ? reprintedLabel : printedLabel}
        </Badge>
        <Text size="sm" ff="monospace" data-testid={`${testId}-file`}>
          {doc.fileName}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        SHA-256
      </Text>
      <Code data-testid={`${testId}-sha256`} style={{ wordBreak: 'break-all' }}>
        {doc.sha256}
      </Code>
      <DocumentActions
        doc={doc}
        openLabel={openLabel}
        downloadLabel={downloadLabel}
        openTestId={openTestId}
        printTestId={printTestId}
        downloadTestId={downloadTestId}
      />
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </>
  );
}

/** A held PDF's file name with open · print · download, and its hash below (`<testId>-file`, `-open` …). */
export function DocumentLinks({
  pdf,
  testId,
  openLabel,
  downloadLabel,
}: {
  pdf: HeldDocument;
  testId: string;
  openLabel: string;
  downloadLabel: string;
}) {
  return (
    <Stack gap={4} data-testid={testId}>
      <Group gap="xs" align="flex-start">
        <Text size="sm" ff="monospace" data-testid={`${testId}-file`}>
          {pdf.fileName}
        </Text>
        <DocumentActions
          doc={pdf}
          openLabel={openLabel}
          downloadLabel={downloadLabel}
          openTestId={`${testId}-open`}
          printTestId={`${testId}-print`}
          downloadTestId={`${testId}-download`}
        />
      </Group>
      <Code style={{ wordBreak: 'break-all' }} fz="xs">
        SHA-256 {pdf.sha256}
      </Code>
    </Stack>
  );
}
