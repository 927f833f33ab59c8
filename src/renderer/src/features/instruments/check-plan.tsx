import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Paper, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { hasPermission, useSession } from '../../core/session';
import { contractIssues } from '../../ui/contract-form';
import { EditableRows } from '../../ui/editable-rows';
import { anyRowError, rowErrors, withAddedRow, withoutRow, withRow } from '../../ui/editable-rows-model';
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

/** The contract's points: what the save sends and the schema checks. */
const pointsOf = (rows: PointDraft[]) =>
  rows.map((p) => ({
    standard: p.standard.trim(),
    certificateNo: p.certificateNo.trim(),
    certificateValidUntil: p.certificateValidUntil.trim() || null,
    nominal: p.nominal.trim(),
    tolerance: p.tolerance.trim(),
    unit: p.unit.trim(),
  }));

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
  const set = (k: number, patch: Partial<PointDraft>) => setDraft((d) => withRow(d ?? rows, k, patch));
  // Each point as the channel's schema sees it (decimals, dates, required text), plus the
  // screen's own rule that a tolerance is not negative.
  const bad = editing
    ? rowErrors(
        contractIssues(t, 'instruments.checkPlan.save', { id: instrument.id, points: pointsOf(rows) }),
        'points',
        rows.length,
      ).map((e, k) => (rows[k]!.tolerance.trim().startsWith('-') ? { tolerance: t('zod.too_small'), ...e } : e))
    : [];
  const valid = editing && rows.length > 0 && !anyRowError(bad);

  const save = (reason?: string) => {
    setBusy(true);
    setError(null);
    return call('instruments.checkPlan.save', {
      id: instrument.id,
      points: pointsOf(rows),
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

  const input = (key: keyof PointDraft, w: number, placeholder?: string) => ({
    key,
    label: t(`instruments.plan.${key}`),
    edit: (p: PointDraft, k: number, error: ReactNode) => (
      <TextInput
        size="xs"
        w={w}
        value={p[key]}
        placeholder={placeholder}
        aria-label={t(`instruments.plan.${key}`)}
        error={error ? true : undefined}
        title={typeof error === 'string' ? error : undefined}
        onChange={(e) => set(k, { [key]: e.currentTarget.value })}
        data-testid={`plan-${key}-${k}`}
      />
    ),
  });
  const mono =
    (key: keyof PointDraft, prefix = '') =>
    (p: PointDraft) => (
      <Text span size="sm" ff="monospace">
        {p[key] ? `${prefix}${p[key]}` : '—'}
      </Text>
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
        <EditableRows
          testId="plan-points"
          rows={rows}
          readOnly={!editing}
          numbered
          columns={[
            input('standard', 220, t('instruments.plan.standardPlaceholder')),
            { ...input('certificateNo', 140), view: mono('certificateNo') },
            { ...input('certificateValidUntil', 110, 'YYYY-MM-DD'), view: mono('certificateValidUntil') },
            { ...input('nominal', 90, '100.00'), view: mono('nominal') },
            { ...input('tolerance', 80, '0.05'), view: mono('tolerance', '± ') },
            input('unit', 70),
          ]}
          errors={(_, k) => bad[k]}
          rowTestId={(_, k) => `plan-point-${k}`}
          max={12}
          onRemove={(k) => setDraft(withoutRow(rows, k))}
          removeLabel={t('instruments.plan.remove')}
          onAdd={() => setDraft(withAddedRow(rows, { ...blank(instrument), unit: rows.at(-1)?.unit ?? '' }, 12))}
          addLabel={t('instruments.plan.add')}
          addTestId="plan-add"
          actions={
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
          }
        />
      )}
      {editing ? <ErrorAlert error={error} testId="plan-error" /> : null}
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
