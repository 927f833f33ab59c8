import { useState } from 'react';
import { ActionIcon, Alert, Button, Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import { ReasonModal } from '../../ui/reason-modal';

export type CheckPlan = NonNullable<ChannelOutput<'instruments.get'>['checkPlan']>;
type PointDraft = {
  standard: string;
  certificateNo: string;
  certificateValidUntil: string;
  nominal: string;
  tolerance: string;
  unit: string;
};

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const defaultUnit: Partial<Record<InstrumentView['kind'], string>> = {
  balance: 'g',
  moisture_analyser: 'g',
  ph_meter: 'pH',
  cryoscope: '°C',
  milk_analyser: '%',
};

function blank(i: InstrumentView): PointDraft {
  return {
    standard: '',
    certificateNo: '',
    certificateValidUntil: '',
    nominal: '',
    tolerance: '',
    unit: defaultUnit[i.kind] ?? '',
  };
}

function problems(p: PointDraft): string[] {
  const out: string[] = [];
  if (!p.standard.trim()) out.push('standard');
  if (!p.certificateNo.trim()) out.push('certificateNo');
  if (p.certificateValidUntil.trim() && !DATE.test(p.certificateValidUntil.trim())) out.push('certificateValidUntil');
  if (!DECIMAL.test(p.nominal.trim())) out.push('nominal');
  if (!DECIMAL.test(p.tolerance.trim()) || p.tolerance.trim().startsWith('-')) out.push('tolerance');
  if (!p.unit.trim()) out.push('unit');
  return out;
}

/**
 * The instrument's daily-check plan (issue 19 §5, D-059): the standards a check reads —
 * reference weights, buffers, reference samples — with their certificate numbers and expiry,
 * nominal values and tolerances. Fixed by a QA manager (a change needs a reason); the check
 * uses them and nobody types them at the bench.
 */
export function CheckPlanPanel({ instrument, plan }: { instrument: InstrumentView; plan: CheckPlan | null }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const canEdit = hasPermission(session, 'instruments.qualify') && !session.readOnly;
  const [draft, setDraft] = useState<PointDraft[] | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editing = draft !== null;
  const rows: PointDraft[] =
    draft ??
    (plan?.points.map((p) => ({ ...p, certificateValidUntil: p.certificateValidUntil ?? '' })) as PointDraft[]) ??
    [];
  const set = (k: number, patch: Partial<PointDraft>) =>
    setDraft((d) => (d ?? rows).map((p, i) => (i === k ? { ...p, ...patch } : p)));
  const bad = editing ? rows.map(problems) : [];
  const valid = editing && rows.length > 0 && bad.every((b) => b.length === 0);

  const save = (reason?: string) => {
    setBusy(true);
    setError(null);
    return call('instruments.checkPlan.save', {
      id: instrument.id,
      points: rows.map((p) => ({
        standard: p.standard.trim(),
        certificateNo: p.certificateNo.trim(),
        certificateValidUntil: p.certificateValidUntil.trim() || null,
        nominal: p.nominal.trim(),
        tolerance: p.tolerance.trim(),
        unit: p.unit.trim(),
      })),
      ...(reason ? { reason } : {}),
    })
      .then(() => {
        notifications.show({ color: 'green', message: t('instruments.plan.saved', { code: instrument.code }) });
        setDraft(null);
        setAsking(false);
        void qc.invalidateQueries({ queryKey: ['instruments.get'] });
      })
      .catch((e: unknown) => {
        setError(e);
        throw e;
      })
      .finally(() => setBusy(false));
  };

  const input = (k: number, key: keyof PointDraft, w: number, placeholder?: string) => (
    <TextInput
      size="xs"
      w={w}
      value={rows[k]![key]}
      placeholder={placeholder}
      aria-label={t(`instruments.plan.${key}`)}
      error={bad[k]?.includes(key) ? true : undefined}
      onChange={(e) => set(k, { [key]: e.currentTarget.value })}
      data-testid={`plan-${key}-${k}`}
    />
  );

  return (
    <Paper withBorder p="md" data-testid="check-plan">
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={4}>{t('instruments.plan.title')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('instruments.plan.intro')}
          </Text>
        </div>
        {canEdit && !editing ? (
          <Button
            variant="light"
            onClick={() => setDraft(rows.length ? rows : [blank(instrument)])}
            data-testid="plan-edit"
          >
            {plan ? t('instruments.plan.edit') : t('instruments.plan.create')}
          </Button>
        ) : null}
      </Group>
      {!plan && !editing ? (
        <Alert color="orange" variant="light" data-testid="plan-missing">
          {canEdit ? t('instruments.plan.missingQa') : t('instruments.plan.missing')}
        </Alert>
      ) : (
        <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="plan-points">
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              <Table.Th w={30}>#</Table.Th>
              <Table.Th>{t('instruments.plan.standard')}</Table.Th>
              <Table.Th>{t('instruments.plan.certificateNo')}</Table.Th>
              <Table.Th>{t('instruments.plan.certificateValidUntil')}</Table.Th>
              <Table.Th>{t('instruments.plan.nominal')}</Table.Th>
              <Table.Th>{t('instruments.plan.tolerance')}</Table.Th>
              <Table.Th>{t('instruments.plan.unit')}</Table.Th>
              {editing ? <Table.Th w={30} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p, k) => (
              <Table.Tr key={k} data-testid={`plan-point-${k}`}>
                <Table.Td>{k + 1}</Table.Td>
                {editing ? (
                  <>
                    <Table.Td>{input(k, 'standard', 220, t('instruments.plan.standardPlaceholder'))}</Table.Td>
                    <Table.Td>{input(k, 'certificateNo', 140)}</Table.Td>
                    <Table.Td>{input(k, 'certificateValidUntil', 110, 'YYYY-MM-DD')}</Table.Td>
                    <Table.Td>{input(k, 'nominal', 90, '100.00')}</Table.Td>
                    <Table.Td>{input(k, 'tolerance', 80, '0.05')}</Table.Td>
                    <Table.Td>{input(k, 'unit', 70)}</Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        disabled={rows.length <= 1}
                        aria-label={t('instruments.plan.remove')}
                        onClick={() => setDraft(rows.filter((_, i) => i !== k))}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  </>
                ) : (
                  <>
                    <Table.Td>{p.standard}</Table.Td>
                    <Table.Td ff="monospace">{p.certificateNo}</Table.Td>
                    <Table.Td ff="monospace">{p.certificateValidUntil || '—'}</Table.Td>
                    <Table.Td ff="monospace">{p.nominal}</Table.Td>
                    <Table.Td ff="monospace">± {p.tolerance}</Table.Td>
                    <Table.Td>{p.unit}</Table.Td>
                  </>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing ? (
        <>
          <ErrorAlert error={error} testId="plan-error" />
          <Group justify="space-between" mt="xs">
            <Button
              size="compact-sm"
              variant="subtle"
              disabled={rows.length >= 12}
              onClick={() => setDraft([...rows, { ...blank(instrument), unit: rows.at(-1)?.unit ?? '' }])}
              data-testid="plan-add"
            >
              + {t('instruments.plan.add')}
            </Button>
            <Group>
              <Button variant="default" onClick={() => setDraft(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                disabled={!valid}
                loading={busy}
                onClick={() => (plan ? setAsking(true) : void save().catch(() => undefined))}
                data-testid="plan-save"
              >
                {t('instruments.plan.save')}
              </Button>
            </Group>
          </Group>
        </>
      ) : null}
      <ReasonModal
        opened={asking}
        title={t('instruments.plan.reasonTitle', { code: instrument.code })}
        help={t('instruments.plan.reasonHelp')}
        confirmLabel={t('instruments.plan.save')}
        onClose={() => setAsking(false)}
        onConfirm={({ reason }) => save(reason)}
      />
    </Paper>
  );
}
