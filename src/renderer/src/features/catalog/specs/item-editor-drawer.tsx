import { memo, useState } from 'react';
import {
  Alert,
  Button,
  Divider,
  Drawer,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SpecItemView, SpecProblem, SpecVersionView } from '../../../../../shared/contract/channels/catalog';
import {
  bases,
  comparisonMethods,
  frequencies,
  itemGroups,
  limitForms,
  specItemSchema,
  verificationStates,
  type SpecItem,
} from '../../../../../shared/catalog/spec-schema';
import { call } from '../../../core/api/client';
import { fieldErrors } from '../../../core/api/errors';
import { ErrorAlert } from '../../../ui/error-alert';
import { validateReason } from '../../../ui/validators';
import { storeVersionView } from './spec-cache';
import { errorProblems, itemName, originPlace, problemMessage } from './spec-format';
import { VerificationBadge } from './spec-items-table';

type Values = {
  [K in keyof SpecItem]-?: SpecItem[K] extends boolean ? boolean : string;
} & { reason: string; reporting_param: string };

const decimals = ['min', 'max', 'target', 'lod', 'loq', 'm', 'big_m'] as const;
const integers = ['n', 'c', 'precision', 'frequency_n', 'period_days'] as const;
const nullableText = ['method_code', 'formula', 'clause', 'source', 'note'] as const;

/** Which limit fields each limit form uses; the others are cleared on save. */
const limitFieldsOf: Record<SpecItem['limit_form'], ReadonlyArray<keyof SpecItem>> = {
  range: ['min', 'max'],
  minimum: ['min'],
  maximum: ['max'],
  equals: ['target'],
  not_detected: ['lod'],
  sampling_plan: ['n', 'c', 'm', 'big_m'],
  report_only: [],
};
const limitFieldsAll = ['min', 'max', 'target', 'lod', 'n', 'c', 'm', 'big_m'] as const;
/** The limit forms whose results are numbers reported against a limit: these may state a limit of quantification (D-088). */
const loqForms = new Set<SpecItem['limit_form']>(['range', 'minimum', 'maximum', 'equals', 'report_only']);
/** What a complete limit needs before it can be confirmed (the server's approval rule). */
const requiredOf: Record<SpecItem['limit_form'], ReadonlyArray<keyof SpecItem>> = {
  range: ['min', 'max', 'precision'],
  minimum: ['min', 'precision'],
  maximum: ['max', 'precision'],
  equals: ['target', 'precision'],
  not_detected: [],
  sampling_plan: ['n', 'c', 'm'],
  report_only: [],
};

const emptyItem: SpecItem = {
  code: '',
  name_zh: '',
  name_en: '',
  group: 'other',
  method_code: null,
  unit: '',
  basis: 'per_100g',
  limit_form: 'range',
  min: null,
  max: null,
  target: null,
  lod: null,
  loq: null,
  n: null,
  c: null,
  m: null,
  big_m: null,
  precision: null,
  reporting: null,
  comparison: 'full_value',
  required_for_release: true,
  in_house_only: true,
  frequency: 'every_lot',
  frequency_n: null,
  period_days: null,
  formula: null,
  clause: null,
  source: null,
  verification: 'plant',
  note: null,
};

function toValues(item: SpecItem): Values {
  const out: Record<string, string | boolean> = { reason: '', reporting: '', reporting_param: '' };
  // Every field of the form, also those a view leaves out when empty (`loq`): a missing key
  // would reach toItem as undefined.
  for (const [k, v] of Object.entries({ ...emptyItem, ...item })) {
    if (k === 'reporting') continue;
    out[k] = typeof v === 'boolean' ? v : v === null || v === undefined ? '' : String(v);
  }
  // The reporting rule (issue 20 §2): '' = decimals (precision), else its kind and parameter.
  const r = item.reporting;
  if (r && r.kind !== 'decimals') {
    out['reporting'] = r.kind;
    out['reporting_param'] = r.kind === 'interval' ? r.interval : r.kind === 'figures' ? String(r.figures) : '';
  }
  return out as Values;
}

function reportingOf(v: Values): SpecItem['reporting'] {
  const p = v.reporting_param.trim();
  switch (v.reporting) {
    case 'interval':
      return { kind: 'interval', interval: p };
    case 'figures':
      return { kind: 'figures', figures: /^\d+$/.test(p) ? Number(p) : Number.NaN };
    case 'colony_count':
      return { kind: 'colony_count' };
    default:
      return null;
  }
}

function toItem(v: Values): SpecItem {
  const raw: Record<string, unknown> = {};
  for (const k of Object.keys(emptyItem) as Array<keyof SpecItem>) {
    if (k === 'reporting') {
      raw[k] = reportingOf(v);
      continue;
    }
    const x = v[k];
    if (typeof x === 'boolean') raw[k] = x;
    else if ((integers as readonly string[]).includes(k)) {
      const s = x.trim();
      raw[k] = s === '' ? null : /^-?\d+$/.test(s) ? Number(s) : s;
    } else if ((decimals as readonly string[]).includes(k) || (nullableText as readonly string[]).includes(k))
      raw[k] = x.trim() === '' ? null : x.trim();
    else raw[k] = x.trim();
  }
  const form = raw['limit_form'] as SpecItem['limit_form'];
  for (const f of limitFieldsAll) if (!limitFieldsOf[form]?.includes(f)) raw[f] = null;
  if (!loqForms.has(form)) raw['loq'] = null;
  if (raw['frequency'] !== 'every_nth_lot') raw['frequency_n'] = null;
  if (raw['frequency'] !== 'periodic') raw['period_days'] = null;
  return raw as SpecItem;
}

function schemaErrors(t: TFunction, item: SpecItem): Record<string, string> {
  const r = specItemSchema.safeParse(item);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const f = String(issue.path[0] ?? '');
    if (f && !out[f])
      out[f] =
        t(`zod.${issue.message}`, { defaultValue: '' }) || t(`zod.${issue.code}`, { defaultValue: t('zod.custom') });
  }
  return out;
}

function problemErrors(t: TFunction, problems: SpecProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) if (p.field && !out[p.field]) out[p.field] = problemMessage(t, p);
  return out;
}

/**
 * The toast of the last item saved, confirmed or removed. Each new one replaces it: a QA
 * manager confirming 50 values otherwise stacked 50 toasts (4 s each, paused while the
 * pointer is over them) over the top right of the page, where the Approve button is.
 */
let lastItemNotice: string | null = null;

function notifyItem(message: string): void {
  if (lastItemNotice) notifications.hide(lastItemNotice);
  lastItemNotice = notifications.show({ color: 'green', message });
}

/** Open and close quickly: the drawer is opened once per value, about 50 times per pack. */
const drawerTransition = { duration: 100 } as const;

export interface ItemEditorProps {
  version: SpecVersionView;
  /** The item to edit, or null for a new item. */
  item: SpecItemView | null;
  /** The standard the specification follows (GB 10765-2021…), named in the confirmation help. */
  standard: string | null;
  opened: boolean;
  onClose: () => void;
}

/**
 * Every field of a specification item; confirming a flagged value records who checked it.
 * Memoised: the editor page re-renders on every ledger event, the drawer only on its props.
 */
export const ItemEditorDrawer = memo(function ItemEditorDrawer(props: ItemEditorProps) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={props.opened}
      onClose={props.onClose}
      position="right"
      size="xl"
      transitionProps={drawerTransition}
      title={
        <Title order={4}>
          {props.item ? t('itemEditor.editTitle', { code: props.item.code }) : t('itemEditor.newTitle')}
        </Title>
      }
    >
      {props.opened ? <ItemForm key={props.item?.id ?? 'new'} {...props} /> : null}
    </Drawer>
  );
});

function ItemForm({ version, item, standard, onClose }: ItemEditorProps) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<'save' | 'confirm' | 'remove' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [otherProblems, setOtherProblems] = useState<SpecProblem[]>([]);
  const ownProblems = item ? version.problems.filter((p) => p.itemCode === item.code) : [];
  const form = useForm<Values>({
    initialValues: toValues(item ?? emptyItem),
    initialErrors: problemErrors(t, ownProblems),
  });
  const v = form.values;
  const limitForm = v.limit_form as SpecItem['limit_form'];
  const flagged = item?.verification === 'missing' || item?.verification === 'unverified';

  // The returned view is what the ledger recorded: it goes straight into the cache (no refetch).
  const done = (view: SpecVersionView, message: string) => {
    onClose();
    storeVersionView(qc, view);
    notifyItem(message);
  };

  const fail = (e: unknown) => {
    setError(e);
    const problems = errorProblems(e);
    const code = v.code.trim();
    const mine = problems.filter((p) => p.itemCode === code || p.itemCode === null);
    setOtherProblems(problems.filter((p) => p.itemCode !== null && p.itemCode !== code));
    form.setErrors({ ...fieldErrors(t, e), ...problemErrors(t, mine) });
  };

  const submit = async (mode: 'save' | 'confirm') => {
    setError(null);
    setOtherProblems([]);
    const next = toItem(v);
    if (mode === 'confirm') next.verification = 'confirmed';
    const errors = schemaErrors(t, next);
    if (mode === 'confirm')
      for (const f of requiredOf[next.limit_form]) if (next[f] === null) errors[f] ??= t('itemEditor.limitRequired');
    // A change to an existing item states its reason; confirming has a recorded default reason.
    const reasonError = item && mode === 'save' ? validateReason(t, v.reason) : null;
    if (reasonError) errors['reason'] = reasonError;
    if (Object.keys(errors).length) {
      form.setErrors(errors);
      return;
    }
    setBusy(mode);
    try {
      const reason = v.reason.trim();
      const view = await call('specs.saveItem', {
        versionId: version.id,
        ...(item ? { itemId: item.id, expectedRev: item.rev } : {}),
        item: next,
        ...(reason.length >= 3 ? { reason } : {}),
      });
      // Toasts name the item as the lab does ("已确认 蛋白质。"), never by its code.
      done(
        view,
        t(mode === 'confirm' ? 'itemEditor.confirmed' : 'itemEditor.saved', { code: itemName(i18n.language, next) }),
      );
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!item) return;
    const reasonError = validateReason(t, v.reason);
    if (reasonError) {
      form.setFieldError('reason', reasonError);
      return;
    }
    setBusy('remove');
    try {
      const view = await call('specs.removeItem', {
        versionId: version.id,
        itemId: item.id,
        reason: v.reason.trim(),
        expectedRev: item.rev,
      });
      done(view, t('itemEditor.removed', { code: itemName(i18n.language, item) }));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const text = (field: keyof Values, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={t(`itemEditor.${field}`)}
      data-testid={`item-${field}`}
      {...extra}
      {...form.getInputProps(field)}
    />
  );
  const decimal = (field: keyof Values) =>
    text(field, {
      inputMode: 'decimal',
      placeholder: '0.00',
      styles: { input: { fontFamily: 'var(--mantine-font-family-monospace)' } },
    });
  const integer = (field: keyof Values, min: number, max: number) => (
    <NumberInput
      label={t(`itemEditor.${field}`)}
      min={min}
      max={max}
      allowDecimal={false}
      data-testid={`item-${field}`}
      value={v[field] as string}
      onChange={(x) => form.setFieldValue(field, x === '' ? '' : String(x))}
      error={form.errors[field]}
    />
  );
  const select = (
    field: keyof Values,
    data: Array<{ value: string; label: string }>,
    extra: Record<string, unknown> = {},
  ) => (
    <Select
      label={t(`itemEditor.${field}`)}
      data={data}
      allowDeselect={false}
      data-testid={`item-${field}`}
      {...extra}
      {...form.getInputProps(field)}
    />
  );

  return (
    <Stack data-testid="item-editor">
      {item ? (
        <Group gap="sm">
          <Text fw={600}>{itemName(i18n.language, item)}</Text>
          <VerificationBadge item={item} />
        </Group>
      ) : null}

      {item && flagged ? (
        <Paper withBorder p="sm" bg="var(--mantine-color-orange-0)" data-testid="item-confirm-panel">
          <Stack gap="xs">
            <Text fw={700}>{t('itemEditor.confirmTitle')}</Text>
            {item.verification === 'missing' ? (
              <Text size="sm" c="red.8" fw={600}>
                {t('itemEditor.confirmMissing')}
              </Text>
            ) : null}
            <Text size="sm">
              {t('itemEditor.confirmHelp', {
                standard: item.origin?.standard ?? standard ?? '—',
                clause: item.origin ? originPlace(t, item.origin) : (item.clause ?? '—'),
              })}
            </Text>
            {item.note ? (
              <Text size="xs" c="dimmed">
                {t('itemEditor.note')}: {item.note}
              </Text>
            ) : null}
            {item.source ? (
              <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                {t('itemEditor.source')}: {item.source}
              </Text>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      <Divider label={t('specs.cols.limit')} labelPosition="left" />
      <SimpleGrid cols={2}>
        {select(
          'limit_form',
          limitForms.map((f) => ({ value: f, label: t(`specs.limitForms.${f}`) })),
        )}
        {select(
          'basis',
          bases.map((b) => ({ value: b, label: t(`specs.bases.${b}`) })),
        )}
      </SimpleGrid>
      <SimpleGrid cols={limitForm === 'sampling_plan' ? 4 : 3}>
        {limitFieldsOf[limitForm].includes('min') ? decimal('min') : null}
        {limitFieldsOf[limitForm].includes('max') ? decimal('max') : null}
        {limitFieldsOf[limitForm].includes('target') ? decimal('target') : null}
        {limitFieldsOf[limitForm].includes('lod') ? decimal('lod') : null}
        {limitForm === 'sampling_plan' ? (
          <>
            {integer('n', 1, 60)}
            {integer('c', 0, 60)}
            {decimal('m')}
            {decimal('big_m')}
          </>
        ) : null}
        {text('unit')}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt={-8}>
        {t('itemEditor.decimalHint')}
      </Text>
      {loqForms.has(limitForm)
        ? text('loq', {
            description: t('itemEditor.loqHelp'),
            inputMode: 'decimal',
            placeholder: '0.1',
            styles: { input: { fontFamily: 'var(--mantine-font-family-monospace)' } },
          })
        : null}
      <SimpleGrid cols={3}>
        <Select
          label={t('itemEditor.reporting')}
          description={t('itemEditor.reportingHelp')}
          data={(['', 'interval', 'figures', 'colony_count'] as const).map((k) => ({
            value: k,
            label: t(`itemEditor.reportingKinds.${k || 'decimals'}`),
          }))}
          allowDeselect={false}
          data-testid="item-reporting"
          {...form.getInputProps('reporting')}
        />
        {v.reporting === 'interval' || v.reporting === 'figures' ? (
          <TextInput
            label={t(`itemEditor.reportingParam.${v.reporting}`)}
            data-testid="item-reporting-param"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('reporting_param')}
            error={form.errors['reporting_param'] ?? form.errors['reporting']}
          />
        ) : v.reporting === 'colony_count' ? (
          <Text size="xs" c="dimmed" mt="lg">
            {t('itemEditor.reportingColonyNote')}
          </Text>
        ) : (
          integer('precision', 0, 8)
        )}
        {select(
          'comparison',
          comparisonMethods.map((c) => ({ value: c, label: t(`specs.comparisons.${c}`) })),
          { description: t('specs.comparisonHelp') },
        )}
      </SimpleGrid>
      <Textarea
        label={t('itemEditor.formula')}
        description={t('itemEditor.formulaHelp')}
        autosize
        minRows={1}
        data-testid="item-formula"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        {...form.getInputProps('formula')}
      />

      <Divider label={t('specs.cols.name')} labelPosition="left" />
      <SimpleGrid cols={3}>
        {text('code', { disabled: item !== null, withAsterisk: true })}
        {text('name_zh', { withAsterisk: true })}
        {text('name_en', { withAsterisk: true })}
      </SimpleGrid>
      <SimpleGrid cols={2}>
        {select(
          'group',
          itemGroups.map((g) => ({ value: g, label: t(`specs.groups.${g}`) })),
        )}
        {text('method_code')}
      </SimpleGrid>

      <Divider label={t('specs.cols.frequency')} labelPosition="left" />
      <SimpleGrid cols={3}>
        {select(
          'frequency',
          frequencies.map((f) => ({ value: f, label: t(`specs.frequencyLabels.${f}`) })),
        )}
        {v.frequency === 'every_nth_lot' ? integer('frequency_n', 2, 1000) : null}
        {v.frequency === 'periodic' ? integer('period_days', 1, 3660) : null}
      </SimpleGrid>
      <Group>
        <Switch
          label={t('itemEditor.required_for_release')}
          data-testid="item-required_for_release"
          {...form.getInputProps('required_for_release', { type: 'checkbox' })}
        />
        <Switch
          label={t('itemEditor.in_house_only')}
          data-testid="item-in_house_only"
          {...form.getInputProps('in_house_only', { type: 'checkbox' })}
        />
      </Group>

      <Divider label={t('itemEditor.source')} labelPosition="left" />
      <SimpleGrid cols={2}>
        {text('clause')}
        {select(
          'verification',
          verificationStates
            .filter((s) => s !== 'confirmed' || v.verification === 'confirmed')
            .map((s) => ({ value: s, label: t(`specs.verification.${s}`) })),
          { description: t(`specs.verificationHelp.${v.verification}`) },
        )}
      </SimpleGrid>
      {text('source')}
      <Textarea
        label={t('itemEditor.note')}
        autosize
        minRows={2}
        data-testid="item-note"
        {...form.getInputProps('note')}
      />

      {item ? (
        <Textarea
          label={t('itemEditor.reason')}
          description={t('itemEditor.reasonHelp')}
          autosize
          minRows={2}
          data-testid="item-reason"
          {...form.getInputProps('reason')}
        />
      ) : null}

      {otherProblems.length ? (
        <Alert color="red" variant="light">
          {otherProblems.map((p, n) => (
            <Text key={n} size="sm">
              {p.itemCode}: {problemMessage(t, p)}
            </Text>
          ))}
        </Alert>
      ) : null}
      <ErrorAlert error={error} testId="item-error" />

      <Group justify="space-between">
        {item ? (
          <Button
            variant="subtle"
            color="red"
            loading={busy === 'remove'}
            onClick={() => void remove()}
            data-testid="item-remove"
          >
            {t('itemEditor.remove')}
          </Button>
        ) : (
          <span />
        )}
        <Group>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            variant={flagged ? 'default' : 'filled'}
            loading={busy === 'save'}
            onClick={() => void submit('save')}
            data-testid="item-save"
          >
            {t('itemEditor.save')}
          </Button>
          {item && item.verification !== 'confirmed' ? (
            <Button
              color="teal"
              loading={busy === 'confirm'}
              onClick={() => void submit('confirm')}
              data-testid="item-confirm"
            >
              {t('itemEditor.confirm')}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Stack>
  );
}
