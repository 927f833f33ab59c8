import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PanelItem } from '../../../../shared/contract/channels/intake';
import { limitText } from '../../../../shared/rules';
import { fieldErrors } from '../../core/api/errors';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { isDecimalText } from '../../../../shared/contract/formats';
import { contractIssues } from '../../ui/contract-form';
import { EditableRows, textColumn } from '../../ui/editable-rows';
import { rowErrors, withAddedRow, withoutRow, withRow } from '../../ui/editable-rows-model';
import { ErrorAlert } from '../../ui/error-alert';
import { hasPermission, useSession } from '../../core/session';
import { IntakeTabs, isZhLang, type Panel } from './intake-format';
import { readableRange } from './panel-entry';

interface Draft {
  id?: string;
  code: string;
  nameZh: string;
  nameEn: string;
  supplierCode: string | null;
  items: PanelItem[];
  active: boolean;
  reason: string;
}

function itemLimit(it: PanelItem, t: (k: string) => string): string {
  if (it.screen) return t('intake.panel.limitNegative');
  const l = readableRange(limitText(it));
  return it.unit && l !== '—' && l !== '?' ? `${l} ${it.unit}` : l;
}

/**
 * Problems of one item's limit, by field: the contract's format issues for min / max (`format`,
 * from the channel's schema) and the screen's rules (the bound the limit form needs, min ≤ max).
 */
function itemErrors(it: PanelItem, format: Record<string, string> | undefined): { min?: boolean; max?: boolean } {
  if (it.screen) return {};
  const out: { min?: boolean; max?: boolean } = {};
  if (format?.['min'] || ((it.limit_form === 'range' || it.limit_form === 'minimum') && !it.min)) out.min = true;
  if (format?.['max'] || ((it.limit_form === 'range' || it.limit_form === 'maximum') && !it.max)) out.max = true;
  if (it.limit_form === 'range' && isDecimalText(it.min) && isDecimalText(it.max) && Number(it.min) > Number(it.max))
    out.max = true;
  return out;
}

/**
 * `#/intake/panels` (QA): the tanker panels. The built-in one (GB 19301-2010 and the usual
 * bench screens) applies until the plant saves its own; a supplier may have its own. Each
 * item belongs to the normal level (every tanker) or only to the tightened level (after a
 * failure, until the supplier's consecutive passes restore normal sampling).
 */
export function PanelsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const panels = useCall('intake.panels.list', {}, { staleTime: 0 });
  const [draft, setDraft] = useState<Draft | null>(null);
  const canConfigure = hasPermission(session, 'intake.configure') && !session.readOnly;
  const zh = isZhLang(i18n.language);

  const copy = (p: Panel) =>
    setDraft({
      code: p.builtIn ? 'PLANT' : `${p.code}-COPY`.slice(0, 40),
      nameZh: p.builtIn ? '本厂生鲜乳进厂检验项目' : `${p.nameZh}（副本）`,
      nameEn: p.builtIn ? 'Plant raw milk intake panel' : `${p.nameEn} (copy)`,
      supplierCode: null,
      items: p.items.map((i) => ({ ...i })),
      active: true,
      reason: '',
    });
  const edit = (p: Panel) =>
    setDraft({
      id: p.id!,
      code: p.code,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      supplierCode: p.supplierCode,
      items: p.items.map((i) => ({ ...i })),
      active: p.active,
      reason: '',
    });

  return (
    <Stack data-testid="panels-page">
      <IntakeTabs active="panels" />
      <div>
        <Title order={2}>{t('intake.panels.title')}</Title>
        <Text c="dimmed" size="sm" maw={900}>
          {t('intake.panels.intro')}
        </Text>
      </div>
      <ErrorAlert error={panels.error} />
      {panels.isLoading ? <Loader /> : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {(panels.data ?? []).map((p) => {
          const normal = p.items.filter((i) => i.level === 'normal').length;
          return (
            <Paper
              key={p.code}
              withBorder
              p="md"
              data-testid={`panel-card-${p.code}`}
              style={p.active ? undefined : { opacity: 0.7 }}
            >
              <Group justify="space-between" align="flex-start">
                <div>
                  <Group gap="xs">
                    <Text fw={700} ff="monospace">
                      {p.code}
                    </Text>
                    {p.builtIn ? (
                      <Badge color="blue" variant="light" tt="none" data-testid="panel-builtin">
                        {t('intake.panels.builtIn')}
                      </Badge>
                    ) : null}
                    <Badge color={p.active ? 'green' : 'gray'} variant="light" tt="none">
                      {p.active ? t('intake.panels.active') : t('intake.panels.inactive')}
                    </Badge>
                  </Group>
                  <Text size="sm">{zh ? p.nameZh : p.nameEn}</Text>
                  <Text size="xs" c="dimmed">
                    {p.supplierCode
                      ? t('intake.panels.forSupplier', { supplier: p.supplierCode })
                      : t('intake.panels.forPlant')}
                  </Text>
                </div>
                {canConfigure ? (
                  <Group gap="xs">
                    <Button size="xs" variant="light" onClick={() => copy(p)} data-testid={`panel-copy-${p.code}`}>
                      {p.builtIn ? t('intake.panels.copyBuiltIn') : t('intake.panels.copy')}
                    </Button>
                    {!p.builtIn ? (
                      <Button size="xs" onClick={() => edit(p)} data-testid={`panel-edit-${p.code}`}>
                        {t('intake.panels.edit')}
                      </Button>
                    ) : null}
                  </Group>
                ) : null}
              </Group>
              <Text size="sm" mt="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {t('intake.panels.counts', { normal, tightened: p.items.length })}
              </Text>
              <Group gap={4} mt={6}>
                {p.items.map((i) => (
                  <Badge
                    key={i.code}
                    size="sm"
                    tt="none"
                    variant={i.level === 'normal' ? 'light' : 'outline'}
                    color={i.level === 'normal' ? 'blue' : 'orange'}
                  >
                    {zh ? i.name_zh.replace(/（.*）/, '') : i.name_en.replace(/ \(.*\)/, '')}
                  </Badge>
                ))}
              </Group>
            </Paper>
          );
        })}
      </SimpleGrid>
      <Drawer
        opened={!!draft}
        onClose={() => setDraft(null)}
        position="right"
        size="min(1180px, 96vw)"
        title={draft?.id ? t('intake.panels.editTitle', { code: draft.code }) : t('intake.panels.newTitle')}
        data-testid="panel-drawer"
      >
        {draft ? (
          <PanelEditor draft={draft} setDraft={setDraft} builtIn={(panels.data ?? []).find((p) => p.builtIn)} />
        ) : null}
      </Drawer>
    </Stack>
  );
}

function PanelEditor({
  draft,
  setDraft,
  builtIn,
}: {
  draft: Draft;
  setDraft: (d: Draft | null) => void;
  builtIn: Panel | undefined;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const zh = isZhLang(i18n.language);
  const suppliers = useCall('catalog.suppliers.list', {});
  const [touched, setTouched] = useState(false);
  const save = useMutationCall('intake.panels.save', {
    onSuccess: (p) => {
      notifications.show({ color: 'green', message: t('intake.panels.saved', { code: p.code }) });
      void qc.invalidateQueries({ queryKey: ['intake.panels.list'] });
      setDraft(null);
    },
  });
  const server = fieldErrors(t, save.error);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setItem = (k: number, patch: Partial<PanelItem>) => set({ items: withRow(draft.items, k, patch) });
  const fields = {
    code: draft.code,
    nameZh: draft.nameZh,
    nameEn: draft.nameEn,
    supplierCode: draft.supplierCode,
    items: draft.items,
    active: draft.active,
  };
  const issues = contractIssues(t, 'intake.panels.save', { fields });
  const format = rowErrors(issues, 'fields.items', draft.items.length);
  const bad = draft.items.map((it, k) => itemErrors(it, format[k]));
  const anyBad = bad.some((b) => b.min || b.max);
  const codeBad = issues.some((i) => i.path === 'fields.code');
  const reasonBad = !!draft.id && draft.reason.trim().length < 3;
  // A bound the item's limit form has no use for shows a dash (a maximum has no min).
  const limitColumn = (key: 'min' | 'max', without: string) =>
    textColumn<PanelItem>({
      key,
      label: t(`intake.panels.${key}`),
      w: 110,
      numeric: true,
      applies: (it) => !it.screen && it.limit_form !== without,
      value: (it) => it[key] ?? '',
      onChange: (k, v) => setItem(k, { [key]: v.trim() || null }),
      testId: (it) => `panel-item-${key}-${it.code}`,
    });
  const missingBuiltIn = (builtIn?.items ?? []).filter((b) => !draft.items.some((i) => i.code === b.code));

  const submit = () => {
    setTouched(true);
    if (anyBad || codeBad || reasonBad || !draft.nameZh.trim() || !draft.nameEn.trim() || draft.items.length === 0)
      return;
    save.mutate({
      ...(draft.id ? { id: draft.id } : {}),
      fields: { ...fields, code: draft.code.trim(), nameZh: draft.nameZh.trim(), nameEn: draft.nameEn.trim() },
      ...(draft.reason.trim() ? { reason: draft.reason.trim() } : {}),
    });
  };

  return (
    <Stack data-testid="panel-editor">
      <SimpleGrid cols={{ base: 1, md: 4 }}>
        <TextInput
          label={t('intake.panels.code')}
          value={draft.code}
          disabled={!!draft.id}
          onChange={(e) => set({ code: e.currentTarget.value })}
          error={(touched && codeBad ? t('intake.panels.codeFormat') : null) ?? server['code']}
          data-testid="panel-code"
        />
        <TextInput
          label={t('intake.panels.nameZh')}
          value={draft.nameZh}
          onChange={(e) => set({ nameZh: e.currentTarget.value })}
          data-testid="panel-name-zh"
        />
        <TextInput
          label={t('intake.panels.nameEn')}
          value={draft.nameEn}
          onChange={(e) => set({ nameEn: e.currentTarget.value })}
          data-testid="panel-name-en"
        />
        <Select
          label={t('intake.panels.appliesTo')}
          placeholder={t('intake.panels.forPlant')}
          clearable
          searchable
          value={draft.supplierCode}
          onChange={(v) => set({ supplierCode: v })}
          data={(suppliers.data ?? [])
            .filter((s) => !s.retired && (s.kind === 'farm' || s.kind === 'other'))
            .map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))}
          data-testid="panel-supplier"
        />
      </SimpleGrid>
      <Switch
        checked={draft.active}
        onChange={(e) => set({ active: e.currentTarget.checked })}
        label={t('intake.panels.activeLabel')}
        description={t('intake.panels.activeHelp')}
        data-testid="panel-active"
      />
      <Text size="sm" c="dimmed">
        {t('intake.panels.itemsHelp')}
      </Text>
      <EditableRows
        testId="panel-items"
        rows={draft.items}
        rowKey={(it) => it.code}
        rowTestId={(it) => `panel-item-${it.code}`}
        removeTestId={(it) => `panel-item-remove-${it.code}`}
        errors={(_, k) => (touched ? { min: bad[k]?.min, max: bad[k]?.max } : undefined)}
        columns={[
          {
            key: 'check',
            label: t('intake.panel.check'),
            edit: (it) => (
              <>
                <Text size="sm" fw={600}>
                  {zh ? it.name_zh : it.name_en}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {it.code}
                  {it.method_code ? ` · ${it.method_code}` : ''}
                  {it.screen ? ` · ${t('intake.panels.screen')}` : ''}
                </Text>
              </>
            ),
          },
          { key: 'unit', label: t('intake.panels.unit'), edit: (it) => it.unit || '—' },
          limitColumn('min', 'maximum'),
          limitColumn('max', 'minimum'),
          {
            key: 'limit',
            label: t('intake.panel.limit'),
            edit: (it, k) =>
              bad[k]?.min || bad[k]?.max ? (
                <Text size="xs" c="red">
                  {t('intake.panels.limitBad')}
                </Text>
              ) : (
                <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {itemLimit(it, t)}
                </Text>
              ),
          },
          {
            key: 'level',
            label: t('intake.panels.level'),
            w: 230,
            edit: (it, k) => (
              <SegmentedControl
                size="xs"
                value={it.level}
                onChange={(v) => setItem(k, { level: v as PanelItem['level'] })}
                data={[
                  { value: 'normal', label: t('intake.panels.levelNormal') },
                  { value: 'tightened', label: t('intake.panels.levelTightened') },
                ]}
                color={it.level === 'tightened' ? 'orange' : 'blue'}
                data-testid={`panel-item-level-${it.code}`}
              />
            ),
          },
        ]}
        max={60}
        onRemove={(k) => set({ items: withoutRow(draft.items, k) })}
        removeLabel={t('intake.panels.remove')}
        addControl={
          missingBuiltIn.length > 0 ? (
            <Select
              label={t('intake.panels.addItem')}
              placeholder={t('intake.panels.addItemPlaceholder')}
              value={null}
              searchable
              data={missingBuiltIn.map((b) => ({ value: b.code, label: `${zh ? b.name_zh : b.name_en} (${b.code})` }))}
              onChange={(v) => {
                const b = missingBuiltIn.find((x) => x.code === v);
                if (b) set({ items: withAddedRow(draft.items, { ...b }, 60) });
              }}
              maw={420}
              w="100%"
              data-testid="panel-add-item"
            />
          ) : undefined
        }
      />
      {draft.id ? (
        <Textarea
          label={t('common.reason')}
          description={t('common.reasonHelp')}
          withAsterisk
          autosize
          minRows={2}
          value={draft.reason}
          onChange={(e) => set({ reason: e.currentTarget.value })}
          error={touched && reasonBad ? t('validation.reasonRequired') : server['reason']}
          data-testid="panel-reason"
        />
      ) : null}
      {touched && anyBad ? (
        <Alert color="red" variant="light">
          {t('intake.panels.fixLimits')}
        </Alert>
      ) : null}
      <ErrorAlert error={save.error} testId="panel-error" />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => setDraft(null)}>
          {t('common.cancel')}
        </Button>
        <Button onClick={submit} loading={save.isPending} data-testid="panel-save">
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
