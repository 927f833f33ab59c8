import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useCall, useEvent } from '../../core/api/hooks';
import { shippedFormats } from '../../../../shared/domain/print-formats';
import { lockReasons, useInstrumentStatusSync } from './instrument-format';
import { shippedOf } from './print-config-editor';

type Outcome = ChannelOutput<'instruments.capture'>['outcome'];

/** The printing instrument last used on this workstation for records. */
const LAST_KEY = 'lotseal.capture.recordInstrument';

function remembered(): string | null {
  try {
    return localStorage.getItem(LAST_KEY);
  } catch {
    return null;
  }
}

const EDITABLE = new Set(['pending', 'entered', 'returned']);

/**
 * Records from printing instruments — milk analysers, cryoscopes, pH meters (issue 20 §1,
 * D-057): pick the instrument; when it prints a record (its print key, or at the end of its
 * measurement), the record is shown with the result each of its fields fills on this sample,
 * and one click fills them all, with the record's raw bytes kept behind each value. A refused
 * record shows why (and is kept as evidence when it is used).
 */
export function RecordCapture({ sampleCode, results }: { sampleCode: string; results: ResultView[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  useInstrumentStatusSync();
  const list = useCall('instruments.list', { includeInactive: false }, { staleTime: 30_000 });
  const printers = (list.data ?? []).filter((i) => i.driver === 'print');
  const [picked, setPicked] = useState<string | null>(remembered);
  const [offer, setOffer] = useState<{ readingId: string; outcome: Outcome } | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState<{ count: number; code: string } | null>(null);
  const usable = (i: InstrumentView) => i.state === 'connected' && !i.lock.locked;
  const current = printers.find((i) => i.id === picked) ?? printers.find(usable) ?? null;

  useEvent('instruments.reading', (p) => {
    if (!current || p.id !== current.id) return;
    setOffer({ readingId: p.readingId, outcome: p.outcome });
    setRefusal(null);
    setDone(null);
  });

  if (printers.length === 0) return null;
  // A shipped template not confirmed from the vendor's manual (D-060) is said so at the bench.
  const shipped = current ? shippedOf(current.printConfig) : null;
  const template = shipped ? shippedFormats[shipped].verification === 'unverified' : false;

  const byItem = new Map(results.filter((r) => r.status !== 'invalidated').map((r) => [r.itemCode, r]));
  const fields = current?.printConfig?.fields ?? [];
  const rows = offer?.outcome.record
    ? Object.entries(offer.outcome.record.fields).map(([analyte, v]) => {
        const f = fields.find((x) => x.analyte === analyte);
        const r = f?.item ? byItem.get(f.item) : undefined;
        return { analyte, v, item: f?.item ?? null, result: r };
      })
    : [];
  const targets = rows.filter((x) => x.result);
  // The first replicate position that is empty in every result the record fills.
  let k = 0;
  while (k < 9 && targets.some((x) => (x.result!.replicates[k] ?? '').trim() !== '')) k++;
  const blocked = targets.filter((x) => !EDITABLE.has(x.result!.status));
  const name = (r: ResultView) => (i18n.language.startsWith('zh') ? r.nameZh : r.nameEn);

  const use = () => {
    if (!current || !offer) return;
    setBusy(true);
    setRefusal(null);
    try {
      localStorage.setItem(LAST_KEY, current.id);
    } catch {
      /* private mode */
    }
    call('instruments.capture', { instrumentId: current.id, sampleCode, replicateIndex: k, readingId: offer.readingId })
      .then((out) => {
        if (out.queued) {
          // Kept at the bench, signed (D-096): written back when the server returns.
          setOffer(null);
          notifications.show({
            color: 'orange',
            autoClose: false,
            message: t('instruments.capture.queued', {
              code: current.code,
              value: out.outcome.value ?? '',
              unit: out.outcome.unit ?? '',
              seq: out.queued.seq,
            }),
          });
          return;
        }
        if (!out.outcome.ok) {
          setRefusal(out.outcome.message ?? out.outcome.error ?? '');
          return;
        }
        const changed = new Map(out.changed.map((r) => [r.id, r]));
        qc.setQueriesData<{ results: ResultView[] }>({ queryKey: ['results.forSample'] }, (old) =>
          old ? { ...old, results: old.results.map((r) => changed.get(r.id) ?? r) } : old,
        );
        void qc.invalidateQueries({ queryKey: ['results.forSample'] });
        void qc.invalidateQueries({ queryKey: ['intake.get'] });
        void qc.invalidateQueries({ queryKey: ['instruments.get'] });
        const msg = t('instruments.record.done', {
          count: out.captures.length,
          code: current.code,
          sample: sampleCode,
        });
        setDone({ count: out.captures.length, code: current.code });
        setOffer(null);
        notifications.show({ color: 'green', message: msg });
      })
      .catch((e: unknown) => setRefusal(errorMessage(t, e)))
      .finally(() => setBusy(false));
  };

  return (
    <Paper withBorder p="sm" data-testid="record-capture" data-instrument={current?.code ?? ''}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <Group gap="sm" align="flex-end">
            <Select
              size="xs"
              w={300}
              label={t('instruments.record.instrument')}
              value={current?.id ?? null}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
              data={printers.map((i) => ({
                value: i.id,
                label: `${i.code} · ${t(`instruments.kinds.${i.kind}`)}${
                  i.lock.locked
                    ? ` — ${t('instruments.lock.locked')}`
                    : i.state !== 'connected'
                      ? ` — ${t(`instruments.state.${i.state}`)}`
                      : ''
                }`,
              }))}
              onChange={(v) => {
                setPicked(v);
                setOffer(null);
              }}
              data-testid="record-instrument"
            />
            {template ? (
              <Badge color="orange" variant="light" tt="none" data-testid="record-template">
                {t('instruments.record.template')}
              </Badge>
            ) : null}
            {current ? (
              <Text size="sm" c={usable(current) ? 'dimmed' : 'red.8'} data-testid="record-state">
                {current.lock.locked
                  ? lockReasons(t, current.lock).join('; ')
                  : current.state !== 'connected'
                    ? t('instruments.record.connect', { code: current.code })
                    : offer
                      ? null
                      : t('instruments.record.waiting', { code: current.code })}
              </Text>
            ) : null}
          </Group>
        </Group>
        {offer && !offer.outcome.ok ? (
          <Alert color="red" variant="light" data-testid="record-offer-refused">
            {offer.outcome.message}
          </Alert>
        ) : null}
        {offer?.outcome.ok && offer.outcome.record ? (
          <Stack gap="xs" data-testid="record-offer">
            <Text size="sm" fw={600}>
              {t('instruments.record.printed', {
                code: current?.code ?? '',
                sample: offer.outcome.record.sampleId ?? '—',
              })}
            </Text>
            <Table withTableBorder verticalSpacing={2} fz="sm" data-testid="record-fields">
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th>{t('instruments.record.field')}</Table.Th>
                  <Table.Th>{t('instruments.record.value')}</Table.Th>
                  <Table.Th>{t('instruments.record.fills')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((x) => (
                  <Table.Tr
                    key={x.analyte}
                    data-testid={`record-field-${x.analyte}`}
                    data-fills={x.result?.itemCode ?? ''}
                  >
                    <Table.Td ff="monospace">{x.analyte}</Table.Td>
                    <Table.Td ff="monospace">
                      {x.v.value} {x.v.unit}
                    </Table.Td>
                    <Table.Td>
                      {x.result ? (
                        <Text size="sm">
                          {name(x.result)}{' '}
                          <Text span size="xs" c="dimmed" ff="monospace">
                            {x.result.itemCode} · {t('instruments.record.replicate', { n: k + 1 })}
                          </Text>
                        </Text>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {x.item
                            ? t('instruments.record.notOnSample', { item: x.item })
                            : t('instruments.record.notMapped')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {blocked.length > 0 ? (
              <Text size="xs" c="red.8" data-testid="record-blocked">
                {t('instruments.record.blocked', { items: blocked.map((x) => x.result!.itemCode).join(', ') })}
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" size="xs" onClick={() => setOffer(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                size="xs"
                loading={busy}
                disabled={targets.length === 0 || blocked.length > 0 || !current || !usable(current)}
                onClick={use}
                data-testid="record-use"
              >
                {t('instruments.record.use', { count: targets.length })}
              </Button>
            </Group>
          </Stack>
        ) : null}
        {refusal ? (
          <Text size="sm" c="red.8" role="alert" data-testid="record-refusal">
            {refusal}
          </Text>
        ) : null}
        {done ? (
          <Badge color="green" variant="light" tt="none" data-testid="record-done">
            {t('instruments.record.done', { count: done.count, code: done.code, sample: sampleCode })}
          </Badge>
        ) : null}
      </Stack>
    </Paper>
  );
}
