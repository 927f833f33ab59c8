import { useState } from 'react';
import { Anchor, Badge, Button, Divider, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CoaSigners, Readiness } from '../../../../shared/contract/channels/disposition';
import type { DocumentView } from '../../../../shared/contract/channels/documents';
import { call } from '../../core/api/client';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { formatReported } from '../../../../shared/rules/reporting';
import { reportedForReader } from '../../../../shared/rules/testing';
import { useHeldDocument, type HeldDocument } from '../../ui/document-actions';
import { DocumentLinks, DocumentLocalePicker, useDocumentLocale, type DocumentLocale } from '../../ui/printed-document';
import { Person } from '../../ui/person';

type DocLocale = DocumentLocale;

/** A generated PDF as the screen holds it (blob URL revoked when replaced or unmounted). */
function usePdf(): [
  HeldDocument | null,
  (p: { documentId?: string | null; id?: string; base64: string; fileName: string; sha256: string }) => void,
] {
  const [pdf, hold] = useHeldDocument();
  return [
    pdf,
    (p) => {
      const id = p.documentId ?? p.id ?? null;
      hold({
        // A certificate is a stored record; the dossier is a preview, kept by the server for this session.
        ref: id ? { kind: 'document', id } : { kind: 'preview', sha256: p.sha256 },
        fileName: p.fileName,
        sha256: p.sha256,
        base64: p.base64,
      });
    },
  ];
}

/**
 * The lot's documents (issue 11 §4–5): the certificate of analysis of a released finished lot
 * (QA manager; recorded with its hash and the ledger head, a second print recorded as a
 * reprint) and the lot dossier (everyone; a preview, changes nothing).
 */
export function LotDocuments({ readiness }: { readiness: Readiness }) {
  const { t } = useTranslation();
  const finished = readiness.lotKind === 'finished';
  return (
    <Stack>
      {finished ? <CoaPanel readiness={readiness} /> : null}
      <DossierPanel lotCode={readiness.lotCode} />
      {!finished ? (
        <Text size="xs" c="dimmed">
          {t('disposition.docs.coaFinishedOnly')}
        </Text>
      ) : null}
    </Stack>
  );
}

function CoaPanel({ readiness }: { readiness: Readiness }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const code = readiness.lotCode;
  const [locale, setLocale] = useDocumentLocale();
  const [pdf, setPdf] = usePdf();
  const lot = useCall('lots.get', { code }, { staleTime: 0 });
  const docs = useCall(
    'documents.list',
    { subjectEntity: 'lot', subjectId: lot.data?.lot.id ?? '-' },
    { enabled: !!lot.data, staleTime: 0 },
  );
  const coa = useMutationCall('disposition.coa');
  const reopen = useMutationCall('documents.get');
  const released = readiness.lotStatus === 'released';
  const canPrint = hasPermission(session, 'lots.decide') && !session.readOnly;
  const issued = (docs.data ?? []).filter((d) => d.kind === 'coa');
  const latest = issued.length ? issued.reduce((a, b) => (a.createdAt >= b.createdAt ? a : b)) : null;

  const print = () =>
    coa.mutate(
      { lotCode: code, locale },
      {
        onSuccess: (r) => {
          setPdf(r);
          void qc.invalidateQueries({ queryKey: ['documents.list'] });
          void qc.invalidateQueries({ queryKey: ['ledger.status'] });
        },
      },
    );

  return (
    <Paper withBorder p="md" data-testid="coa-panel">
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={2}>
          <Title order={4}>{t('disposition.docs.coaTitle')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {released ? t('disposition.docs.coaIntro') : t('disposition.docs.coaNotReleased')}
          </Text>
        </Stack>
        {issued.length > 0 ? (
          <Badge color="blue" variant="light" tt="none" data-testid="coa-issued-count">
            {t('disposition.docs.issuedCount', { count: issued.length })}
          </Badge>
        ) : null}
      </Group>
      {released && canPrint ? (
        <Group gap="sm" align="flex-end">
          <DocumentLocalePicker
            label={t('disposition.docs.language')}
            value={locale}
            onChange={setLocale}
            testId="coa-locale"
          />
          <Button onClick={print} loading={coa.isPending} data-testid="coa-print">
            {issued.length > 0 ? t('disposition.docs.coaReprint') : t('disposition.docs.coaPrint')}
          </Button>
        </Group>
      ) : released ? (
        <Text size="xs" c="dimmed">
          {t('disposition.docs.coaQaOnly')}
        </Text>
      ) : null}
      <ErrorAlert error={coa.error ?? reopen.error} testId="coa-error" />
      {coa.data && pdf ? (
        <Stack gap="xs" mt="sm">
          <Group gap="xs">
            <Badge
              color={coa.data.reprint ? 'orange' : 'green'}
              variant="light"
              tt="none"
              data-testid="coa-kind"
              data-reprint={String(coa.data.reprint)}
            >
              {coa.data.reprint ? t('disposition.docs.reprinted') : t('disposition.docs.printed')}
            </Badge>
            <Text size="xs" c="dimmed">
              {t('disposition.docs.printHint')}
            </Text>
          </Group>
          <DocumentLinks
            pdf={pdf}
            testId="coa-pdf"
            openLabel={t('disposition.docs.open')}
            downloadLabel={t('disposition.docs.download')}
          />
          {lot.data ? (
            <CoaView code={code} doc={latest} signers={coa.data.signers} locale={coa.variables?.locale ?? locale} />
          ) : null}
        </Stack>
      ) : null}
      {issued.length > 0 ? (
        <>
          <Divider my="sm" label={t('disposition.docs.issuedTitle')} labelPosition="left" />
          <Table fz="xs" verticalSpacing={2} data-testid="coa-issued">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('disposition.docs.when')}</Table.Th>
                <Table.Th>{t('disposition.docs.by')}</Table.Th>
                <Table.Th>{t('disposition.docs.language')}</Table.Th>
                <Table.Th>{t('disposition.docs.kind')}</Table.Th>
                <Table.Th>{t('disposition.docs.head')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...issued]
                .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                .map((d) => (
                  <Table.Tr key={d.id} data-testid="coa-issued-row" data-reprint={String(!!d.reprintOf)}>
                    <Table.Td>{formatTime(d.createdAt)}</Table.Td>
                    <Table.Td>
                      <Person id={d.createdBy} />
                    </Table.Td>
                    <Table.Td>{d.locale === 'en' ? <span lang="en">English</span> : '中文'}</Table.Td>
                    <Table.Td>
                      <Badge color={d.reprintOf ? 'orange' : 'green'} variant="light" tt="none" size="xs">
                        {d.reprintOf ? t('disposition.docs.reprint') : t('disposition.docs.original')}
                      </Badge>
                    </Table.Td>
                    <Table.Td ff="monospace">
                      #{d.headSeq} · {d.headHash.slice(0, 12)}
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        size="xs"
                        onClick={() => reopen.mutate({ id: d.id }, { onSuccess: (r) => setPdf(r) })}
                      >
                        {t('disposition.docs.open')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
          {reopen.data && pdf && !coa.data ? (
            <DocumentLinks
              pdf={pdf}
              testId="coa-reopened"
              openLabel={t('disposition.docs.open')}
              downloadLabel={t('disposition.docs.download')}
            />
          ) : null}
        </>
      ) : null}
    </Paper>
  );
}

/**
 * What the certificate just issued states, from the same records (the PDF itself opens in its
 * own window: the app's content security policy embeds no documents).
 */
function CoaView({
  code,
  doc,
  signers,
  locale,
}: {
  code: string;
  doc: DocumentView | null;
  signers: CoaSigners;
  locale: DocLocale;
}) {
  const { t } = useTranslation();
  const lt = i18nFixed(locale);
  const lot = useCall('lots.get', { code }, { staleTime: 0 });
  const c = useCall('results.completeness', { lotCode: code }, { staleTime: 0 });
  const settings = useCall('settings.get', {}, { staleTime: 60_000 });
  const company = useCall('site.company.get', {}, { staleTime: 60_000 });
  const products = useCall('catalog.products.list', {}, { staleTime: 60_000 });
  const versionId = c.data?.spec?.versionId ?? '';
  const spec = useCall('specs.get', { versionId }, { enabled: !!versionId, staleTime: 60_000 });
  if (!lot.data || !c.data) return null;
  const l = lot.data.lot;
  const zh = locale === 'zh-CN';
  const product = products.data?.find((p) => p.code === l.itemCode);
  const method = (item: string) => spec.data?.items.find((i) => i.code === item)?.method_code ?? '—';
  return (
    <Paper
      withBorder
      p="lg"
      bg="white"
      shadow="xs"
      maw={920}
      data-testid="coa-view"
      data-locale={locale}
      style={{ borderTop: '4px solid var(--mantine-color-blue-7)' }}
    >
      <Text ta="center" fw={800} size="lg">
        {lt('title')}
      </Text>
      <Text ta="center" size="xs" c="dimmed" mb="sm">
        {t('disposition.docs.viewNote')}
      </Text>
      <SimpleGrid cols={3} spacing="xs" mb="sm">
        <Fact
          label={lt('plant')}
          value={
            company.data
              ? `${zh ? company.data.name : (company.data.nameEn ?? company.data.name)} · ${company.data.scNumber}`
              : settings.data?.plantName || '—'
          }
        />
        <Fact
          label={lt('product')}
          value={`${l.itemCode} · ${product ? (zh ? product.nameZh : product.nameEn) : l.itemName}`}
        />
        <Fact label={lt('registration')} value={product?.registrationNo ?? '—'} mono />
        <Fact label={lt('lot')} value={l.code} mono />
        <Fact label={lt('quantity')} value={`${l.quantity} ${l.unit}`} mono />
        <Fact label={lt('production')} value={l.date.slice(0, 10)} mono />
        <Fact label={lt('expiry')} value={l.expiryDate?.slice(0, 10) ?? '—'} mono />
        <Fact label={lt('spec')} value={c.data.spec ? `${c.data.spec.code} v${c.data.spec.version}` : '—'} mono />
      </SimpleGrid>
      <Table fz="xs" verticalSpacing={3} withTableBorder withColumnBorders data-testid="coa-view-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{lt('item')}</Table.Th>
            <Table.Th ta="right">{lt('result')}</Table.Th>
            <Table.Th>{lt('limit')}</Table.Th>
            <Table.Th>{lt('unit')}</Table.Th>
            <Table.Th>{lt('method')}</Table.Th>
            <Table.Th>{lt('verdict')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.data.items.map((i) => (
            <Table.Tr key={i.code} data-testid={`coa-view-item-${i.code}`}>
              <Table.Td>{zh ? i.nameZh : i.nameEn}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {/* As the certificate prints it: its reporting rule, its language, the unit with its basis. */}
                {i.reported ? reportedForReader(formatReported(i.reported, i.reporting), zh ? 'zh-CN' : 'en') : '—'}
              </Table.Td>
              <Table.Td ff="monospace">{i.limitText}</Table.Td>
              <Table.Td>{i.reportUnit}</Table.Td>
              <Table.Td ff="monospace">{method(i.code)}</Table.Td>
              <Table.Td>
                <Badge
                  color={i.verdict === 'pass' ? 'green' : i.verdict === 'fail' ? 'red' : 'gray'}
                  variant="light"
                  tt="none"
                  size="sm"
                >
                  {i.verdict === 'pass' ? lt('pass') : i.verdict === 'fail' ? lt('fail') : '—'}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" fw={700} mt="sm">
        {lt('signatures')}
      </Text>
      {/* 检验 / 审核 / 批准 as the certificate prints them: printed names on one line, the role's latest
          time; never a user id, a signature's comment or the internal audit-trail review. */}
      <Stack gap={0} data-testid="coa-view-signatures">
        {(['tested', 'reviewed', 'approved'] as const).map((role) => {
          const people = signers[role];
          const last = people
            .map((p) => p.signedAt)
            .sort()
            .at(-1);
          return (
            <Group key={role} gap="xs" wrap="nowrap" data-testid={`coa-view-signers-${role}`}>
              <Text size="xs" fw={700} w={72} style={{ whiteSpace: 'nowrap' }}>
                {lt(`role.${role}`)}
              </Text>
              <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                {people.length ? people.map((p) => p.printedName).join(zh ? '、' : ', ') : '—'}
              </Text>
              {last ? (
                <Text size="xs" c="dimmed" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {formatTime(last)}
                </Text>
              ) : null}
            </Group>
          );
        })}
      </Stack>
      {doc ? (
        <Text size="xs" mt="sm" ff="monospace" data-testid="coa-view-head">
          {lt('head')}: #{doc.headSeq} · {doc.headHash.slice(0, 16)} · {formatTime(doc.createdAt)}
        </Text>
      ) : null}
    </Paper>
  );
}

/** The certificate's own words in its language (which may differ from the screen's). */
function i18nFixed(locale: DocLocale): (k: string, fallback?: string) => string {
  const words: Record<DocLocale, Record<string, string>> = {
    'zh-CN': {
      title: '产品检验报告',
      plant: '生产企业',
      registration: '产品配方注册号',
      method: '检验方法',
      pass: '合格',
      fail: '不合格',
      'role.tested': '检验',
      'role.reviewed': '审核',
      'role.approved': '批准',
      product: '产品',
      lot: '批号',
      quantity: '数量',
      production: '生产日期',
      expiry: '保质期至',
      spec: '执行标准（版本）',
      item: '检验项目',
      result: '结果',
      limit: '标准要求',
      unit: '单位',
      verdict: '判定',
      signatures: '电子签名',
      head: '审计追踪（签发时）',
    },
    en: {
      title: 'Certificate of analysis',
      plant: 'Manufacturer',
      registration: 'Formula registration no.',
      method: 'Method',
      pass: 'Pass',
      fail: 'Fail',
      'role.tested': 'Tested',
      'role.reviewed': 'Reviewed',
      'role.approved': 'Approved',
      product: 'Product',
      lot: 'Lot',
      quantity: 'Quantity',
      production: 'Production date',
      expiry: 'Best before',
      spec: 'Specification (version)',
      item: 'Item',
      result: 'Result',
      limit: 'Limit',
      unit: 'Unit',
      verdict: 'Verdict',
      signatures: 'Electronic signatures',
      head: 'Ledger head at issue',
    },
  };
  return (k, fallback) => words[locale][k] ?? fallback ?? k;
}

function Fact({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} ff={mono ? 'monospace' : undefined}>
        {value}
      </Text>
    </Stack>
  );
}

function DossierPanel({ lotCode }: { lotCode: string }) {
  const { t } = useTranslation();
  const [locale, setLocale] = useDocumentLocale();
  const [pdf, setPdf] = usePdf();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      setPdf(await call('disposition.dossier', { lotCode, locale }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="dossier-panel">
      <Title order={4}>{t('disposition.docs.dossierTitle')}</Title>
      <Text size="sm" c="dimmed" mb="xs" maw={760}>
        {t('disposition.docs.dossierIntro')}
      </Text>
      <Group gap="sm" align="flex-end">
        <DocumentLocalePicker
          label={t('disposition.docs.language')}
          value={locale}
          onChange={setLocale}
          testId="dossier-locale"
        />
        <Button variant="light" onClick={() => void make()} loading={busy} data-testid="dossier-make">
          {t('disposition.docs.dossierMake')}
        </Button>
      </Group>
      <ErrorAlert error={error} testId="dossier-error" />
      {pdf ? (
        <Stack mt="sm" gap={4}>
          <DocumentLinks
            pdf={pdf}
            testId="dossier-pdf"
            openLabel={t('disposition.docs.open')}
            downloadLabel={t('disposition.docs.download')}
          />
        </Stack>
      ) : null}
    </Paper>
  );
}
