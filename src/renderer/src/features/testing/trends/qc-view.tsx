import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { westgardWarnings } from '../../../../../shared/rules/control-chart';
import { call } from '../../../core/api/client';
import { errorMessage } from '../../../core/api/errors';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { navigate, useRoute } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { BaselinePanel } from './baseline-panel';
import { ControlChart, pointLevel } from './control-chart';
import { contractAccepts } from '../../../ui/contract-form';

/**
 * `#/trends?view=qc&material=&method=&instrument=`: QC check samples (reference materials,
 * spiked samples) charted per method and instrument (issue 20 §6) — reference materials as
 * measured, spiked samples as recovery % — each against its own signed baseline.
 */
export function QcView() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const route = useRoute();
  const session = useSession();
  const material = route.params.get('material') ?? '';
  const method = route.params.get('method') ?? '';
  const instrument = route.params.get('instrument') ?? '';
  const go = (p: Record<string, string>) => navigate('/trends', { view: 'qc', material, method, instrument, ...p });
  const charts = useCall('qc.charts', {}, { staleTime: 0 });
  const materials = useCall('qc.materials', {}, { staleTime: 0 });
  const series = useCall(
    'qc.series',
    { materialCode: material, methodCode: method, instrumentId: instrument },
    { enabled: !!material && !!method && !!instrument, staleTime: 0 },
  );
  const [recording, setRecording] = useState(false);
  const [adding, setAdding] = useState(false);
  const canRecord = hasPermission(session, 'results.enter') && !session.readOnly;
  const canManage = hasPermission(session, 'catalog.manage') && !session.readOnly;
  const key = (c: { materialCode: string; methodCode: string; instrumentId: string }) =>
    `${c.materialCode}|${c.methodCode}|${c.instrumentId}`;

  return (
    <Stack data-testid="qc-view">
      <Paper withBorder p="sm">
        <Group align="flex-end" justify="space-between">
          <Select
            label={t('trends.qc.chart')}
            placeholder={t('trends.qc.choose')}
            w={520}
            searchable
            data={(charts.data ?? []).map((c) => ({
              value: key(c),
              label: `${c.materialCode} · ${c.methodCode} · ${c.instrumentCode} (${c.count})`,
            }))}
            value={material ? key({ materialCode: material, methodCode: method, instrumentId: instrument }) : null}
            onChange={(v) => {
              const [m, me, i] = (v ?? '||').split('|');
              go({ material: m ?? '', method: me ?? '', instrument: i ?? '' });
            }}
            data-testid="qc-chart-picker"
          />
          <Group gap="xs">
            {canRecord ? (
              <Button size="xs" onClick={() => setRecording(true)} data-testid="qc-record-open">
                {t('trends.qc.record')}
              </Button>
            ) : null}
            {canManage ? (
              <Button size="xs" variant="light" onClick={() => setAdding(true)} data-testid="qc-material-open">
                {t('trends.qc.addMaterial')}
              </Button>
            ) : null}
          </Group>
        </Group>
        <ErrorAlert error={charts.error ?? materials.error} />
      </Paper>
      {!material ? (
        <Text c="dimmed" data-testid="qc-choose">
          {t('trends.qc.intro')}
        </Text>
      ) : null}
      {series.isLoading ? <Loader /> : null}
      <ErrorAlert error={series.error} />
      {series.data ? (
        <Stack>
          <Paper withBorder p="sm">
            <Title order={4}>
              {zh ? series.data.material.nameZh : series.data.material.nameEn} ({series.data.material.code})
            </Title>
            <Text size="sm" c="dimmed">
              {t(`trends.qc.kinds.${series.data.material.kind}`)} ·{' '}
              {t('trends.qc.assigned', {
                value: series.data.material.assignedValue,
                unit: series.data.material.unit,
                u: series.data.material.uncertainty ?? '—',
              })}
              {series.data.material.certificateNo
                ? ` · ${t('trends.qc.certificate', { no: series.data.material.certificateNo })}`
                : ''}
              {series.data.material.kind === 'spiked' ? ` · ${t('trends.qc.recoveryNote')}` : ''}
            </Text>
          </Paper>
          <BaselinePanel
            key={`${material}|${method}|${instrument}`}
            chart={{ kind: 'qc', materialCode: material, methodCode: method, instrumentId: instrument }}
            baseline={series.data.baseline}
            defaultFrom={series.data.points[0]?.lotDate ?? null}
            defaultTo={series.data.points.at(-1)?.lotDate ?? null}
          />
          {series.data.points.length > 0 ? (
            <ControlChart
              // A QC run is named by its local time on the chart's axis and tooltip.
              series={{
                ...series.data,
                points: series.data.points.map((p) => ({ ...p, lotCode: formatTime(p.lotCode) })),
              }}
              includeSpec={false}
              highlight={null}
              onPick={() => undefined}
            />
          ) : (
            <Alert color="gray">{t('trends.noPoints')}</Alert>
          )}
          <Table withTableBorder fz="sm" data-testid="qc-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('trends.qc.runAt')}</Table.Th>
                <Table.Th>{t('trends.qc.analyst')}</Table.Th>
                <Table.Th ta="right">{t('trends.qc.measured')}</Table.Th>
                <Table.Th ta="right">{t('trends.qc.plotted')}</Table.Th>
                <Table.Th ta="right">z</Table.Th>
                <Table.Th>{t('trends.table.rules')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {series.data.points.map((p) => (
                <Table.Tr
                  key={p.resultId}
                  bg={
                    pointLevel(p.rules) === 'violation'
                      ? 'var(--mantine-color-red-0)'
                      : pointLevel(p.rules) === 'warning'
                        ? 'var(--mantine-color-orange-0)'
                        : undefined
                  }
                >
                  <Table.Td>{formatTime(p.lotCode)}</Table.Td>
                  <Table.Td>{p.sampleCode}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {p.measured}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {Number.isFinite(Number(p.reported)) && p.reported.includes('.') && p.reported.length > 10
                      ? `≈ ${p.reported.slice(0, p.reported.indexOf('.') + 3)}`
                      : p.reported}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {p.z ?? '—'}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {p.rules.map((r) => (
                        <Badge
                          key={r}
                          size="sm"
                          tt="none"
                          color={westgardWarnings.has(r) ? 'orange' : 'red'}
                          variant={westgardWarnings.has(r) ? 'light' : 'filled'}
                        >
                          {t(`trends.rules.${r}.short`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ) : null}
      <RecordDialog opened={recording} onClose={() => setRecording(false)} defaultMaterial={material} />
      <MaterialDialog opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}

function RecordDialog({
  opened,
  onClose,
  defaultMaterial,
}: {
  opened: boolean;
  onClose: () => void;
  defaultMaterial: string;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const materials = useCall('qc.materials', {}, { enabled: opened });
  const instruments = useCall('instruments.list', {}, { enabled: opened });
  const [material, setMaterial] = useState<string | null>(defaultMaterial || null);
  const [instrument, setInstrument] = useState<string | null>(null);
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!material || !instrument) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('qc.record', {
        materialCode: material,
        instrumentId: instrument,
        value: value.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      notifications.show({ color: 'green', message: t('trends.qc.recorded', { recovery: r.recovery.slice(0, 6) }) });
      setValue('');
      setNote('');
      onClose();
      await qc.invalidateQueries({ queryKey: ['qc.series'] });
      await qc.invalidateQueries({ queryKey: ['qc.charts'] });
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };
  const list = instruments.data ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title={t('trends.qc.record')} data-testid="qc-record-dialog">
      <Stack>
        <Select
          label={t('trends.qc.material')}
          data={(materials.data ?? [])
            .filter((m) => m.active)
            .map((m) => ({
              value: m.code,
              label: `${m.code} · ${i18n.language.startsWith('zh') ? m.nameZh : m.nameEn} · ${m.methodCode}`,
            }))}
          value={material}
          onChange={setMaterial}
          data-testid="qc-record-material"
        />
        <Select
          label={t('trends.qc.instrument')}
          data={list.map((i) => ({ value: i.id, label: `${i.code} · ${i.name}` }))}
          value={instrument}
          onChange={setInstrument}
          searchable
          data-testid="qc-record-instrument"
        />
        <TextInput
          label={t('trends.qc.measured')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          inputMode="decimal"
          data-testid="qc-record-value"
        />
        <TextInput label={t('trends.qc.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={busy}
            disabled={!material || !instrument || !contractAccepts('qc.record', { value: value.trim() }, 'value')}
            onClick={() => void save()}
            data-testid="qc-record-save"
          >
            {t('trends.qc.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MaterialDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [f, setF] = useState({
    code: '',
    nameZh: '',
    nameEn: '',
    kind: 'reference_material' as 'reference_material' | 'spiked',
    methodCode: '',
    itemCode: '',
    unit: '',
    assignedValue: '',
    uncertainty: '',
    certificateNo: '',
    lotNo: '',
    expiresOn: '',
    active: true,
  });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  const nul = (s: string) => (s.trim() ? s.trim() : null);
  const save = async () => {
    setError(null);
    try {
      await call('qc.materialSave', {
        code: f.code.trim(),
        nameZh: f.nameZh.trim(),
        nameEn: f.nameEn.trim(),
        kind: f.kind,
        methodCode: f.methodCode.trim(),
        itemCode: nul(f.itemCode),
        unit: f.unit.trim(),
        assignedValue: f.assignedValue.trim(),
        uncertainty: nul(f.uncertainty),
        certificateNo: nul(f.certificateNo),
        lotNo: nul(f.lotNo),
        expiresOn: nul(f.expiresOn),
        note: null,
        active: f.active,
      });
      notifications.show({ color: 'green', message: t('trends.qc.materialSaved', { code: f.code }) });
      onClose();
      await qc.invalidateQueries({ queryKey: ['qc.materials'] });
    } catch (e) {
      setError(errorMessage(t, e));
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('trends.qc.addMaterial')}
      size="lg"
      data-testid="qc-material-dialog"
    >
      <Stack>
        <SimpleGrid cols={2}>
          <TextInput label={t('trends.qc.fields.code')} value={f.code} onChange={set('code')} withAsterisk />
          <Select
            label={t('trends.qc.fields.kind')}
            data={(['reference_material', 'spiked'] as const).map((k) => ({
              value: k,
              label: t(`trends.qc.kinds.${k}`),
            }))}
            value={f.kind}
            allowDeselect={false}
            onChange={(v) => setF({ ...f, kind: (v ?? 'reference_material') as typeof f.kind })}
          />
          <TextInput label={t('trends.qc.fields.nameZh')} value={f.nameZh} onChange={set('nameZh')} withAsterisk />
          <TextInput label={t('trends.qc.fields.nameEn')} value={f.nameEn} onChange={set('nameEn')} withAsterisk />
          <TextInput
            label={t('trends.qc.fields.methodCode')}
            value={f.methodCode}
            onChange={set('methodCode')}
            withAsterisk
          />
          <TextInput label={t('trends.qc.fields.itemCode')} value={f.itemCode} onChange={set('itemCode')} />
          <TextInput
            label={t('trends.qc.fields.assignedValue')}
            value={f.assignedValue}
            onChange={set('assignedValue')}
            withAsterisk
          />
          <TextInput label={t('trends.qc.fields.unit')} value={f.unit} onChange={set('unit')} />
          <TextInput label={t('trends.qc.fields.uncertainty')} value={f.uncertainty} onChange={set('uncertainty')} />
          <TextInput
            label={t('trends.qc.fields.certificateNo')}
            value={f.certificateNo}
            onChange={set('certificateNo')}
          />
          <TextInput label={t('trends.qc.fields.lotNo')} value={f.lotNo} onChange={set('lotNo')} />
          <TextInput
            label={t('trends.qc.fields.expiresOn')}
            placeholder="YYYY-MM-DD"
            value={f.expiresOn}
            onChange={set('expiresOn')}
          />
        </SimpleGrid>
        <Switch
          label={t('trends.qc.fields.active')}
          checked={f.active}
          onChange={(e) => setF({ ...f, active: e.currentTarget.checked })}
        />
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void save()} data-testid="qc-material-save">
            {t('trends.qc.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
