import { useRef, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { fieldErrors } from '../../core/api/errors';
import { ErrorAlert } from '../../ui/error-alert';
import { navigate } from '../../core/router';
import { ScanDetector } from '../../core/scanner-detect';
import {
  directionLabel,
  groupLabel,
  productGroups,
  todayIso,
  type DrillDirection,
  type DrillMode,
  type ProductGroup,
} from './drills-format';
import { contractAccepts } from '../../ui/contract-form';

export interface StartDefaults {
  mode?: DrillMode;
  lotCode?: string;
  /** Unannounced drill: a random lot of this group (the programme's entries start this way). */
  productGroup?: ProductGroup;
  direction?: DrillDirection;
  planId?: string;
  /** Period of the random pick (defaults: 1 January of this year to today). */
  from?: string;
  to?: string;
}

/**
 * Starts a drill or a real recall (issue 12 §1, §5). The clock starts when the server creates
 * it, so everything is chosen here first: the root (typed, scanned into the field, or a random
 * lot of a product group and period for an unannounced drill), the direction, the target and
 * the mass-balance tolerance. A recall names its reason.
 */
export function StartDrillDialog({
  opened,
  onClose,
  defaults,
}: {
  opened: boolean;
  onClose: () => void;
  defaults?: StartDefaults;
}) {
  const { t } = useTranslation();
  const title = defaults?.mode === 'recall' ? t('drills.start.titleRecall') : t('drills.start.title');
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" centered>
      {/* Mounted only while open: every opening starts from its defaults. */}
      {opened ? <StartForm onClose={onClose} defaults={defaults ?? {}} /> : null}
    </Modal>
  );
}

function StartForm({ onClose, defaults }: { onClose: () => void; defaults: StartDefaults }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const year = new Date().getFullYear();
  const [mode, setMode] = useState<DrillMode>(defaults.mode ?? 'drill');
  const [source, setSource] = useState<'lot' | 'random'>(defaults.productGroup && !defaults.lotCode ? 'random' : 'lot');
  const [lotCode, setLotCode] = useState(defaults.lotCode ?? '');
  const [scanned, setScanned] = useState(false);
  const [group, setGroup] = useState<ProductGroup | null>(defaults.productGroup ?? null);
  const [from, setFrom] = useState<string | null>(defaults.from ?? `${year}-01-01`);
  const [to, setTo] = useState<string | null>(defaults.to ?? todayIso());
  const [direction, setDirection] = useState<DrillDirection>(defaults.direction ?? 'both');
  const [target, setTarget] = useState<number | string>(240);
  const [tolMin, setTolMin] = useState('95');
  const [tolMax, setTolMax] = useState('100');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const detector = useRef(new ScanDetector());
  const recall = mode === 'recall';
  const random = source === 'random' && !recall;

  const errs = fieldErrors(t, error);
  const local = {
    lotCode: touched && !random && !lotCode.trim() ? t('validation.required') : null,
    group: touched && random && !group ? t('validation.required') : null,
    reason: touched && recall && reason.trim().length < 3 ? t('validation.reasonRequired') : null,
    tolerance:
      !contractAccepts('drills.start', { toleranceMin: tolMin }, 'toleranceMin') ||
      !contractAccepts('drills.start', { toleranceMax: tolMax }, 'toleranceMax')
        ? t('drills.start.toleranceFormat')
        : Number(tolMin) > Number(tolMax)
          ? t('drills.start.toleranceOrder')
          : null,
  };
  const targetOk = typeof target === 'number' && Number.isInteger(target) && target >= 5 && target <= 1440;

  const submit = async () => {
    setTouched(true);
    const ok =
      (random ? !!group && !!from && !!to : !!lotCode.trim()) &&
      (!recall || reason.trim().length >= 3) &&
      !local.tolerance &&
      targetOk;
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      const d = await call('drills.start', {
        mode,
        ...(random
          ? { random: { productGroup: group!, from: from!.slice(0, 10), to: to!.slice(0, 10) } }
          : { lotCode: lotCode.trim() }),
        direction,
        targetMinutes: target as number,
        toleranceMin: tolMin,
        toleranceMax: tolMax,
        ...(recall ? { reason: reason.trim() } : {}),
        ...(defaults.planId ? { planId: defaults.planId } : {}),
        scanned: !random && scanned,
      });
      void qc.invalidateQueries({ queryKey: ['drills.list'] });
      void qc.invalidateQueries({ queryKey: ['drills.plan'] });
      onClose();
      navigate(`/drills/${encodeURIComponent(d.drill.code)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="drill-start-form"
    >
      <Stack>
        <SegmentedControl
          fullWidth
          value={mode}
          onChange={(v) => setMode(v as DrillMode)}
          color={recall ? 'red' : 'indigo'}
          data={[
            { value: 'drill', label: t('drills.start.modeDrill') },
            { value: 'recall', label: t('drills.start.modeRecall') },
          ]}
          data-testid="drill-start-mode"
        />
        {recall ? (
          <Alert color="red" variant="filled" p="xs" data-testid="drill-start-recall-warning">
            <Text size="sm" fw={600}>
              {t('drills.start.recallWarning')}
            </Text>
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            {t('drills.start.drillHelp')}
          </Text>
        )}
        {!recall ? (
          <SegmentedControl
            value={source}
            onChange={(v) => setSource(v as 'lot' | 'random')}
            data={[
              { value: 'lot', label: t('drills.start.sourceLot') },
              { value: 'random', label: t('drills.start.sourceRandom') },
            ]}
            data-testid="drill-start-source"
          />
        ) : null}
        {random ? (
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t('drills.start.randomHelp')}
            </Text>
            <SimpleGrid cols={3}>
              <Select
                label={t('drills.fields.productGroup')}
                data={productGroups.map((g) => ({ value: g, label: groupLabel(t, g) }))}
                value={group}
                onChange={(v) => setGroup(v as ProductGroup | null)}
                error={local.group}
                required
                data-testid="drill-start-group"
              />
              <DateInput
                label={t('drills.fields.from')}
                valueFormat="YYYY-MM-DD"
                value={from}
                onChange={setFrom}
                data-testid="drill-start-from"
              />
              <DateInput
                label={t('drills.fields.to')}
                valueFormat="YYYY-MM-DD"
                value={to}
                onChange={setTo}
                data-testid="drill-start-to"
              />
            </SimpleGrid>
          </Stack>
        ) : (
          <TextInput
            label={t('drills.fields.rootLot')}
            description={t('drills.start.lotHelp')}
            placeholder={t('drills.start.lotPlaceholder')}
            size="md"
            value={lotCode}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { fontFamily: 'monospace' } }}
            onKeyDown={(e) => {
              // A scanner types the code in a burst and ends with Enter: record how the lot was
              // named, and let the person check the dialog rather than starting the clock at once.
              if (detector.current.key(e.key, e.timeStamp || performance.now())) {
                e.preventDefault();
                setScanned(true);
              }
            }}
            onChange={(e) => {
              setLotCode(e.currentTarget.value);
              if (e.currentTarget.value === '') setScanned(false);
            }}
            error={local.lotCode ?? errs['lotCode']}
            required
            rightSectionWidth={90}
            rightSection={
              scanned ? (
                <Badge color="teal" variant="light" size="sm" tt="none" data-testid="drill-start-scanned">
                  {t('drills.start.scanned')}
                </Badge>
              ) : null
            }
            data-testid="drill-start-lot"
          />
        )}
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('drills.fields.direction')}
          </Text>
          <SegmentedControl
            value={direction}
            onChange={(v) => setDirection(v as DrillDirection)}
            data={(['backward', 'forward', 'both'] as const).map((d) => ({ value: d, label: directionLabel(t, d) }))}
            data-testid="drill-start-direction"
          />
        </Stack>
        <SimpleGrid cols={3}>
          <NumberInput
            label={t('drills.fields.targetMinutes')}
            min={5}
            max={1440}
            step={15}
            allowDecimal={false}
            value={target}
            onChange={setTarget}
            error={!targetOk ? t('drills.start.targetRange') : null}
            data-testid="drill-start-target"
          />
          <TextInput
            label={t('drills.fields.toleranceMin')}
            rightSection="%"
            value={tolMin}
            onChange={(e) => setTolMin(e.currentTarget.value.trim())}
            error={local.tolerance ?? errs['toleranceMin']}
            data-testid="drill-start-tol-min"
          />
          <TextInput
            label={t('drills.fields.toleranceMax')}
            rightSection="%"
            value={tolMax}
            onChange={(e) => setTolMax(e.currentTarget.value.trim())}
            error={local.tolerance ? ' ' : errs['toleranceMax']}
            data-testid="drill-start-tol-max"
          />
        </SimpleGrid>
        {recall ? (
          <Textarea
            label={t('drills.fields.recallReason')}
            description={t('drills.start.recallReasonHelp')}
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={local.reason ?? errs['reason']}
            required
            data-testid="drill-start-reason"
          />
        ) : null}
        {defaults.planId ? (
          <Text size="xs" c="dimmed" data-testid="drill-start-plan">
            {t('drills.start.fromPlan')}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {t('drills.start.clockNote')}
        </Text>
        <ErrorAlert error={error} testId="drill-start-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color={recall ? 'red' : 'indigo'} loading={busy} data-testid="drill-start-submit">
            {recall ? t('drills.start.submitRecall') : t('drills.start.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
