import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { isPlanItem } from '../../../../shared/rules';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { SignatureDialog } from '../../ui/signature-dialog';
import { allowedFor, liveCompute, normalizeFor } from './live-compute';
import { itemName, reasonText } from './testing-format';
import { num } from '../../ui/format';
import { VerdictBadge, type LiveVerdict } from '../../ui/result';
import { serverValues, type Entry, type ForSample } from './use-entry';
import { useReportedText } from './reported';

/**
 * A change to a submitted or reviewed result (issue 8 §4): the previous values are shown,
 * the new ones previewed with the same rules, and a reason is required. The original stays
 * in the history and the result goes back for submission and review.
 */
export function CorrectDialog({ row, entry, onClose }: { row: ResultView | null; entry: Entry; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={!!row}
      onClose={onClose}
      title={row ? t('testing.correct.title', { item: row.itemCode }) : ''}
      size="lg"
    >
      {row ? <CorrectForm key={row.id} row={row} entry={entry} onClose={onClose} /> : null}
    </Modal>
  );
}

function CorrectForm({ row, entry, onClose }: { row: ResultView; entry: Entry; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const shownReported = useReportedText();
  const plan = isPlanItem(row.item);
  const previous = serverValues(row, entry.rules);
  const [vals, setVals] = useState<string[]>(previous);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const normalized = vals.map((x) => normalizeFor(row.item, x));
  const bad = normalized.find((v) => !allowedFor(row.item, v));
  const preview = liveCompute(
    entry.results.map((r) => {
      const own = r.id === row.id;
      return {
        id: r.id,
        itemCode: r.itemCode,
        status: r.status,
        calculated: r.calculated,
        item: r.item,
        replicates: own && !plan ? normalized : r.replicates,
        unitValues: own && plan ? normalized : r.unitValues,
      };
    }),
    entry.rules,
  ).get(row.id);
  const unchanged = normalized.every((v, i) => v === previous[i]);
  const reasonError = touched && reason.trim().length < 3 ? t('validation.reasonRequired') : null;

  const submit = async () => {
    setTouched(true);
    if (reason.trim().length < 3 || bad !== undefined || unchanged) return;
    setBusy(true);
    setError(null);
    try {
      const out = await call('results.correct', {
        id: row.id,
        ...(plan ? { unitValues: normalized } : { replicates: normalized }),
        reason: reason.trim(),
        expectedRev: row.rev,
      });
      entry.merge(out.changed);
      notifications.show({
        color: 'orange',
        message: t('testing.correct.done', { item: itemName(row, i18n.language) }),
      });
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack data-testid="correct-form">
      <Text size="sm">{t('testing.correct.intro')}</Text>
      <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
        <Text size="xs" c="dimmed">
          {t('testing.correct.previous')}
        </Text>
        <Group gap="md" align="baseline">
          <Text fw={600}>{itemName(row, i18n.language)}</Text>
          <Text ff="monospace" style={num} data-testid="correct-previous">
            {previous.filter((v) => v).join(' · ') || '—'} {row.entryUnit}
          </Text>
          <Text size="sm" style={num}>
            → {shownReported(row.reported, row.item.reporting)} {row.reportUnit}
          </Text>
          <VerdictBadge verdict={row.verdict as LiveVerdict} />
        </Group>
      </Paper>
      <SimpleGrid cols={Math.min(vals.length, 5)}>
        {vals.map((v, k) => (
          <TextInput
            key={k}
            label={t(plan ? 'testing.grid.unitShort' : 'testing.grid.replicateShort', { n: k + 1 })}
            value={v}
            onChange={(e) => {
              const next = vals.slice();
              next[k] = e.currentTarget.value;
              setVals(next);
            }}
            error={v.trim() && !allowedFor(row.item, normalizeFor(row.item, v)) ? t('testing.grid.badValueShort') : null}
            rightSection={plan ? null : <Text size="xs">{row.entryUnit}</Text>}
            rightSectionWidth={plan ? undefined : 70}
            styles={{ input: num }}
            data-testid={`correct-input-${k}`}
          />
        ))}
      </SimpleGrid>
      {preview ? (
        <Group gap="sm" data-testid="correct-preview">
          <Text size="sm" c="dimmed">
            {t('testing.correct.newResult')}
          </Text>
          <Text fw={700} style={num}>
            {shownReported(preview.reported, row.item.reporting)} {row.reportUnit}
          </Text>
          <VerdictBadge verdict={preview.verdict} waiting={preview.waitingFor.length > 0} />
          <Text size="xs" c="dimmed">
            {reasonText(t, preview.reason, preview.details)}
          </Text>
        </Group>
      ) : null}
      <Textarea
        label={t('testing.correct.reason')}
        description={t('testing.correct.reasonHelp')}
        withAsterisk
        autosize
        minRows={2}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={reasonError}
        data-testid="correct-reason"
      />
      {touched && unchanged ? (
        <Text size="sm" c="orange.8">
          {t('testing.correct.unchanged')}
        </Text>
      ) : null}
      <ErrorAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button color="orange" loading={busy} onClick={() => void submit()} data-testid="correct-submit">
          {t('testing.correct.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The result comes from another laboratory: its name and report number are kept with it. */
export function ExternalLabDialog({
  row,
  entry,
  onClose,
}: {
  row: ResultView | null;
  entry: Entry;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [lab, setLab] = useState('');
  const [reportNo, setReportNo] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [rowKey, setRowKey] = useState<string | null>(null);
  if ((row?.id ?? null) !== rowKey) {
    setRowKey(row?.id ?? null);
    setLab(row?.externalLab ?? '');
    setReportNo(row?.externalReportNo ?? '');
    setTouched(false);
  }
  const save = async () => {
    setTouched(true);
    if (!row || lab.trim().length < 2 || !reportNo.trim()) return;
    setBusy(true);
    const ok = await entry.saveFields(row.id, { external: { lab: lab.trim(), reportNo: reportNo.trim() } });
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Modal
      opened={!!row}
      onClose={onClose}
      title={row ? t('testing.external.title', { item: itemName(row, i18n.language) }) : ''}
    >
      <Stack data-testid="external-form">
        <Text size="sm">{t('testing.external.intro')}</Text>
        {row?.item.in_house_only ? (
          <Alert color="orange" variant="light" data-testid="external-in-house-only">
            {t('testing.external.inHouseOnly')}
          </Alert>
        ) : null}
        <TextInput
          label={t('testing.external.lab')}
          withAsterisk
          value={lab}
          onChange={(e) => setLab(e.currentTarget.value)}
          error={touched && lab.trim().length < 2 ? t('validation.required') : null}
          data-testid="external-lab"
        />
        <TextInput
          label={t('testing.external.reportNo')}
          withAsterisk
          value={reportNo}
          onChange={(e) => setReportNo(e.currentTarget.value)}
          error={touched && !reportNo.trim() ? t('validation.required') : null}
          data-testid="external-report-no"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => void save()} data-testid="external-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** An item of the sample's specification that was not due (frequency), added with a reason. */
export function AddTestModal({
  opened,
  onClose,
  data,
  entry,
}: {
  opened: boolean;
  onClose: () => void;
  data: ForSample;
  entry: Entry;
}) {
  const { t, i18n } = useTranslation();
  const versionId = data.sample.spec?.versionId ?? '';
  const spec = useCall(
    'specs.get',
    { versionId: versionId || '-' },
    { enabled: opened && !!versionId, staleTime: 60_000 },
  );
  const [item, setItem] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSample = new Set(data.results.filter((r) => r.status !== 'invalidated').map((r) => r.itemCode));
  const zh = i18n.language.startsWith('zh');
  const options = (spec.data?.items ?? [])
    .filter((i) => !onSample.has(i.code))
    .map((i) => ({ value: i.code, label: `${zh ? i.name_zh : i.name_en} (${i.code})` }));
  const close = () => {
    setItem(null);
    setReason('');
    setTouched(false);
    setError(null);
    onClose();
  };
  const submit = async () => {
    setTouched(true);
    if (!item || reason.trim().length < 3) return;
    setBusy(true);
    setError(null);
    try {
      const view = await call('results.addTest', {
        sampleCode: data.sample.code,
        itemCode: item,
        reason: reason.trim(),
      });
      entry.merge([view]);
      notifications.show({
        color: 'green',
        message: t('testing.addTest.done', { item: itemName(view, i18n.language) }),
      });
      close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={t('testing.addTest.title', { code: data.sample.code })} size="lg">
      <Stack data-testid="add-test-form">
        <Text size="sm">{t('testing.addTest.intro')}</Text>
        <Select
          label={t('testing.addTest.item')}
          placeholder={spec.isLoading ? t('common.loading') : t('testing.addTest.itemPlaceholder')}
          searchable
          data={options}
          value={item}
          onChange={setItem}
          nothingFoundMessage={t('testing.addTest.noItems')}
          error={touched && !item ? t('validation.required') : null}
          data-testid="add-test-item"
        />
        <Textarea
          label={t('testing.addTest.reason')}
          withAsterisk
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={touched && reason.trim().length < 3 ? t('validation.reasonRequired') : null}
          data-testid="add-test-reason"
        />
        <ErrorAlert error={error ?? spec.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => void submit()} data-testid="add-test-submit">
            {t('testing.addTest.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Submission (meaning `authored`): what is signed, item by item; failing results open OOS investigations. */
export function SubmitDialog({
  opened,
  onClose,
  data,
  rows,
  onDone,
}: {
  opened: boolean;
  onClose: () => void;
  data: ForSample;
  rows: ResultView[];
  onDone: (r: { submitted: number; oos: string[] }) => void;
}) {
  const { t, i18n } = useTranslation();
  const shownReported = useReportedText();
  const fails = rows.filter((r) => r.verdict === 'fail');
  return (
    <SignatureDialog
      opened={opened}
      onClose={onClose}
      meanings={['authored']}
      summary={
        <Stack gap={6}>
          <Text fw={700} data-testid="submit-summary">
            {t('testing.submit.summary', {
              count: rows.length,
              code: data.sample.code,
              lot: data.sample.lotCode ?? '—',
            })}
          </Text>
          <Table fz="xs" withTableBorder>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{itemName(r, i18n.language)}</Table.Td>
                  <Table.Td style={num}>
                    {shownReported(r.reported, r.item.reporting)} {r.reportUnit}
                  </Table.Td>
                  <Table.Td>
                    <VerdictBadge verdict={r.verdict as LiveVerdict} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {fails.length > 0 ? (
            <Alert color="red" variant="light" p="xs" data-testid="submit-oos-warning">
              {t('testing.submit.oosWarning', { items: fails.map((r) => itemName(r, i18n.language)).join(', ') })}
            </Alert>
          ) : null}
        </Stack>
      }
      onSign={async (v) => {
        const out = await call('results.submit', {
          sampleCode: data.sample.code,
          // What the analyst sees is what is signed: a result changed since is refused (issue 19 §7).
          expectedRevs: Object.fromEntries(rows.map((r) => [r.id, r.rev])),
          signature: { password: v.password, meaning: 'authored', ...(v.comment ? { comment: v.comment } : {}) },
        });
        onDone(out);
      }}
    >
      <Badge variant="light" tt="none" w="fit-content">
        {t('testing.submit.meaningHelp')}
      </Badge>
    </SignatureDialog>
  );
}
