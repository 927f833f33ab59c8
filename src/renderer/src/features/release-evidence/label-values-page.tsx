import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { LabelValueView } from '../../../../shared/contract/channels/release-evidence';
import { bases } from '../../../../shared/catalog/spec-schema';
import { quantityUnits } from '../../../../shared/domain/units';
import { GB13432_SOURCE_EN, GB13432_SOURCE_ZH } from '../../../../shared/rules/label-values';
import { fieldErrors } from '../../core/api/errors';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href, navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { contractAccepts } from '../../ui/contract-form';
import { Person } from '../../ui/person';

type Labels = ChannelOutput<'labels.list'>;

/** "≥ 80 %", "80–180 %" of the declared value. */
export function ruleText(minPct: string | null, maxPct: string | null): string {
  if (minPct !== null && maxPct !== null) return `${minPct}–${maxPct} %`;
  if (minPct !== null) return `≥ ${minPct} %`;
  if (maxPct !== null) return `≤ ${maxPct} %`;
  return '—';
}

/** The rule's verification: an unverified rule is never shown as checked. */
export function RuleVerificationBadge({
  v,
}: {
  v: Pick<LabelValueView, 'ruleVerification' | 'confirmReference' | 'ruleSource'>;
}) {
  const { t } = useTranslation();
  const confirmed = v.ruleVerification === 'confirmed';
  return (
    <Tooltip label={confirmed ? (v.confirmReference ?? '') : v.ruleSource} multiline maw={380} withArrow>
      <Badge
        color={confirmed ? 'teal' : 'orange'}
        variant="light"
        tt="none"
        data-testid="label-rule-verification"
        data-verification={v.ruleVerification}
      >
        {t(`labels.verification.${v.ruleVerification}`)}
      </Badge>
    </Tooltip>
  );
}

/**
 * `#/labels?product=<code>`: a product's release evidence settings — the declared label values
 * (标示值, from the label and the registered formula) with the rule the plant applies to each
 * (GB 13432: not below 80 % of the declared value, unverified until a QA manager confirms it
 * against the standard's text), and the retention profile (quantity the re-tests need,
 * storage conditions, observation schedule).
 */
export function LabelValuesPage() {
  const { t, i18n } = useTranslation();
  const route = useRoute();
  const session = useSession();
  const product = route.params.get('product') ?? '';
  const products = useCall('catalog.products.list', {}, { staleTime: 60_000 });
  const labels = useCall('labels.list', { productCode: product }, { enabled: !!product, staleTime: 0 });
  const canManage = hasPermission(session, 'catalog.manage') && !session.readOnly;
  const canConfirm = hasPermission(session, 'specs.approve') && !session.readOnly;
  const [editing, setEditing] = useState<LabelValueView | 'new' | null>(null);
  const zh = i18n.language.startsWith('zh');
  const options = (products.data ?? []).map((p) => ({
    value: p.code,
    label: `${p.code} · ${zh ? p.nameZh : p.nameEn}`,
  }));

  return (
    <Stack data-testid="labels-page" maw={1280}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('labels.title')}</Title>
          <Text size="sm" c="dimmed" maw={900}>
            {t('labels.intro')}
          </Text>
        </div>
        <Select
          w={360}
          searchable
          label={t('labels.product')}
          data={options}
          value={product || null}
          onChange={(v) => navigate('/labels', v ? { product: v } : {})}
          data-testid="labels-product"
        />
      </Group>
      {!product ? (
        <Alert color="gray" variant="light">
          {t('labels.pickProduct')}
        </Alert>
      ) : labels.isLoading ? (
        <Loader />
      ) : !labels.data ? (
        <ErrorAlert error={labels.error} />
      ) : (
        <>
          <Paper withBorder p="md" data-testid="label-values">
            <Group justify="space-between" mb="xs">
              <div>
                <Title order={4}>
                  {t('labels.valuesTitle', { product: zh ? labels.data.product.nameZh : labels.data.product.nameEn })}
                </Title>
                <Text size="xs" c="dimmed">
                  {t('labels.valuesHelp')}
                </Text>
              </div>
              {canManage ? (
                <Button onClick={() => setEditing('new')} data-testid="label-new">
                  {t('labels.add')}
                </Button>
              ) : null}
            </Group>
            {labels.data.items.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="label-values-none">
                {t('labels.none')}
              </Text>
            ) : (
              <Table fz="sm" withTableBorder striped data-testid="label-values-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('labels.item')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('labels.declared')}</Table.Th>
                    <Table.Th>{t('labels.rule')}</Table.Th>
                    <Table.Th>{t('labels.ruleSource')}</Table.Th>
                    <Table.Th>{t('labels.verificationCol')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {labels.data.items.map((l) => (
                    <Table.Tr key={l.id} data-testid={`label-row-${l.itemCode}`}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {(zh ? l.nameZh : l.nameEn) ?? l.itemCode}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {l.itemCode}
                        </Text>
                      </Table.Td>
                      <Table.Td ff="monospace" ta="right">
                        {l.declared} {l.unit} ({t(`specs.bases.${l.basis}`, { defaultValue: l.basis })})
                      </Table.Td>
                      <Table.Td ff="monospace">{ruleText(l.minPct, l.maxPct)}</Table.Td>
                      <Table.Td maw={320}>
                        <Text size="xs">{l.ruleSource}</Text>
                      </Table.Td>
                      <Table.Td>
                        <RuleVerificationBadge v={l} />
                        {l.confirmedBy ? (
                          <Text size="xs" c="dimmed">
                            <Person id={l.confirmedBy} /> · {formatTime(l.confirmedAt)}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} justify="flex-end">
                          {canConfirm && l.ruleVerification !== 'confirmed' ? <ConfirmRule l={l} /> : null}
                          {canManage ? (
                            <Button
                              size="xs"
                              variant="light"
                              onClick={() => setEditing(l)}
                              data-testid={`label-edit-${l.itemCode}`}
                            >
                              {t('labels.edit')}
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
          <RetentionProfile productCode={product} canManage={canManage} />
          <Drawer
            opened={!!editing}
            onClose={() => setEditing(null)}
            position="right"
            size="lg"
            title={editing === 'new' ? t('labels.add') : t('labels.edit')}
            data-testid="label-drawer"
          >
            {editing ? (
              <LabelForm
                key={editing === 'new' ? 'new' : editing.id}
                data={labels.data}
                current={editing === 'new' ? null : editing}
                onDone={() => setEditing(null)}
              />
            ) : null}
          </Drawer>
        </>
      )}
    </Stack>
  );
}

function ConfirmRule({ l }: { l: LabelValueView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reference, setReference] = useState('');
  const c = useMutationCall('labels.confirmRule', {
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['labels.list'] });
    },
  });
  if (!open)
    return (
      <Button
        size="xs"
        variant="subtle"
        color="teal"
        onClick={() => setOpen(true)}
        data-testid={`label-confirm-${l.itemCode}`}
      >
        {t('labels.confirm')}
      </Button>
    );
  return (
    <Group gap={4} wrap="nowrap">
      <TextInput
        size="xs"
        w={260}
        placeholder={t('labels.confirmPlaceholder')}
        value={reference}
        onChange={(e) => setReference(e.currentTarget.value)}
        error={c.error ? true : undefined}
        data-testid={`label-confirm-reference-${l.itemCode}`}
      />
      <Button
        size="xs"
        color="teal"
        disabled={reference.trim().length < 5}
        loading={c.isPending}
        onClick={() => c.mutate({ id: l.id, reference: reference.trim() })}
        data-testid={`label-confirm-submit-${l.itemCode}`}
      >
        {t('labels.confirmSubmit')}
      </Button>
    </Group>
  );
}

function LabelForm({ data, current, onDone }: { data: Labels; current: LabelValueView | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const zh = i18n.language.startsWith('zh');
  const [itemCode, setItemCode] = useState<string | null>(current?.itemCode ?? null);
  const spec = data.specItems.find((i) => i.code === itemCode);
  const [declared, setDeclared] = useState(current?.declared ?? '');
  const [unit, setUnit] = useState(current?.unit ?? '');
  const [basis, setBasis] = useState<string | null>(current?.basis ?? 'per_100g');
  const [minPct, setMinPct] = useState(current?.minPct ?? '80');
  const [maxPct, setMaxPct] = useState(current?.maxPct ?? '');
  const [ruleSource, setRuleSource] = useState(current?.ruleSource ?? (zh ? GB13432_SOURCE_ZH : GB13432_SOURCE_EN));
  const [note, setNote] = useState(current?.note ?? '');
  const [reason, setReason] = useState('');
  const save = useMutationCall('labels.save', {
    onSuccess: (l) => {
      notifications.show({ color: 'green', message: t('labels.saved', { item: l.itemCode }) });
      void qc.invalidateQueries({ queryKey: ['labels.list'] });
      void qc.invalidateQueries({ queryKey: ['labels.compare'] });
      onDone();
    },
  });
  const retire = useMutationCall('labels.retire', {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['labels.list'] });
      onDone();
    },
  });
  const errs = fieldErrors(t, save.error);
  const used = new Set(data.items.map((i) => i.itemCode));
  const ruleChanged =
    !!current &&
    current.ruleVerification === 'confirmed' &&
    (current.minPct !== (minPct || null) || current.maxPct !== (maxPct || null) || current.ruleSource !== ruleSource);
  return (
    <Stack data-testid="label-form">
      <Select
        label={t('labels.item')}
        description={t('labels.itemHelp')}
        searchable
        disabled={!!current}
        data={data.specItems
          .filter((i) => !used.has(i.code) || i.code === current?.itemCode)
          .map((i) => ({ value: i.code, label: `${zh ? i.nameZh : i.nameEn} (${i.code})` }))}
        value={itemCode}
        onChange={(v) => {
          setItemCode(v);
          const s = data.specItems.find((i) => i.code === v);
          if (s && !current) {
            setUnit(s.unit);
            setBasis(s.basis);
          }
        }}
        error={errs['itemCode']}
        data-testid="label-item"
      />
      <SimpleGrid cols={3}>
        <TextInput
          label={t('labels.declared')}
          withAsterisk
          value={declared}
          onChange={(e) => setDeclared(e.currentTarget.value)}
          error={errs['declared']}
          data-testid="label-declared"
        />
        <TextInput
          label={t('labels.unit')}
          value={unit}
          onChange={(e) => setUnit(e.currentTarget.value)}
          data-testid="label-unit"
        />
        <Select
          label={t('labels.basis')}
          data={bases.map((b) => ({ value: b, label: t(`specs.bases.${b}`, { defaultValue: b }) }))}
          value={basis}
          onChange={setBasis}
          data-testid="label-basis"
        />
      </SimpleGrid>
      {spec && basis && spec.basis !== basis ? (
        <Alert color="blue" variant="light">
          {t('labels.basisNote', { spec: t(`specs.bases.${spec.basis}`, { defaultValue: spec.basis }) })}
        </Alert>
      ) : null}
      <SimpleGrid cols={2}>
        <TextInput
          label={t('labels.minPct')}
          value={minPct}
          onChange={(e) => setMinPct(e.currentTarget.value)}
          error={errs['minPct']}
          data-testid="label-min-pct"
        />
        <TextInput
          label={t('labels.maxPct')}
          value={maxPct}
          onChange={(e) => setMaxPct(e.currentTarget.value)}
          error={errs['maxPct']}
          data-testid="label-max-pct"
        />
      </SimpleGrid>
      <Textarea
        label={t('labels.ruleSource')}
        description={t('labels.ruleSourceHelp')}
        autosize
        minRows={2}
        value={ruleSource}
        onChange={(e) => setRuleSource(e.currentTarget.value)}
        data-testid="label-rule-source"
      />
      <Alert color="orange" variant="light" data-testid="label-unverified-note">
        {ruleChanged ? t('labels.ruleChangedNote') : t('labels.unverifiedNote')}
      </Alert>
      <Textarea
        label={t('appeals.fields.note')}
        autosize
        minRows={1}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      {current ? (
        <Textarea
          label={t('common.reason')}
          withAsterisk
          autosize
          minRows={1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="label-reason"
        />
      ) : null}
      <ErrorAlert error={save.error ?? retire.error} testId="label-error" />
      <Group justify="space-between">
        {current ? (
          <Button
            variant="subtle"
            color="red"
            disabled={reason.trim().length < 3}
            onClick={() => retire.mutate({ id: current.id, reason: reason.trim() })}
            data-testid="label-retire"
          >
            {t('labels.retire')}
          </Button>
        ) : (
          <span />
        )}
        <Group>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={
              !itemCode ||
              !declared.trim() ||
              (!minPct.trim() && !maxPct.trim()) ||
              ruleSource.trim().length < 2 ||
              (!!current && reason.trim().length < 3)
            }
            loading={save.isPending}
            onClick={() =>
              save.mutate({
                ...(current ? { id: current.id, reason: reason.trim() } : {}),
                productCode: data.product.code,
                itemCode: itemCode!,
                declared: declared.trim(),
                unit: unit.trim(),
                basis: basis as (typeof bases)[number],
                minPct: minPct.trim() || null,
                maxPct: maxPct.trim() || null,
                ruleSource: ruleSource.trim(),
                note: note.trim() || null,
              })
            }
            data-testid="label-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** The product's retention profile: quantity the re-tests need, storage conditions, observation days. */
function RetentionProfile({ productCode, canManage }: { productCode: string; canManage: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const p = useCall('retention.profile.get', { productCode }, { staleTime: 0 });
  const [editing, setEditing] = useState(false);
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<string | null>('g');
  const [basisNote, setBasisNote] = useState('');
  const [storage, setStorage] = useState('');
  const [days, setDays] = useState<string[]>(['90', '180', '360']);
  const [reason, setReason] = useState('');
  const save = useMutationCall('retention.profile.save', {
    onSuccess: () => {
      setEditing(false);
      void qc.invalidateQueries({ queryKey: ['retention.profile.get'] });
    },
  });
  const start = () => {
    const cur = p.data;
    setQuantity(cur?.requiredQuantity ?? '');
    setUnit(cur?.unit ?? 'g');
    setBasisNote(cur?.basisNote ?? '');
    setStorage(cur?.storageConditions ?? '');
    setDays(cur ? cur.observationDays.map(String) : ['90', '180', '360']);
    setEditing(true);
  };
  return (
    <Paper withBorder p="md" data-testid="retention-profile">
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={4}>{t('labels.retentionTitle')}</Title>
          <Text size="xs" c="dimmed">
            {t('labels.retentionHelp')}
          </Text>
        </div>
        {canManage && !editing ? (
          <Button size="xs" variant="light" onClick={start} data-testid="retention-profile-edit">
            {p.data ? t('labels.edit') : t('labels.retentionSet')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={p.error} />
      {editing ? (
        <Stack gap="xs">
          <SimpleGrid cols={3}>
            <TextInput
              label={t('labels.requiredQuantity')}
              withAsterisk
              value={quantity}
              onChange={(e) => setQuantity(e.currentTarget.value)}
              data-testid="retention-profile-quantity"
            />
            <Select
              label={t('retentionEvidence.unit')}
              data={quantityUnits.map((u) => ({ value: u, label: u }))}
              value={unit}
              onChange={setUnit}
              data-testid="retention-profile-unit"
            />
            <TagsInput
              label={t('labels.observationDays')}
              description={t('labels.observationDaysHelp')}
              value={days}
              onChange={(v) => setDays(v.filter((x) => /^\d{1,4}$/.test(x)))}
              data-testid="retention-profile-days"
            />
          </SimpleGrid>
          <TextInput
            label={t('labels.retentionBasisNote')}
            withAsterisk
            value={basisNote}
            onChange={(e) => setBasisNote(e.currentTarget.value)}
            data-testid="retention-profile-basis"
          />
          <TextInput
            label={t('labels.storageConditions')}
            withAsterisk
            value={storage}
            onChange={(e) => setStorage(e.currentTarget.value)}
            data-testid="retention-profile-storage"
          />
          {p.data ? (
            <TextInput
              label={t('common.reason')}
              withAsterisk
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-testid="retention-profile-reason"
            />
          ) : null}
          <ErrorAlert error={save.error} testId="retention-profile-error" />
          <Group justify="flex-end">
            <Button variant="default" size="xs" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              size="xs"
              loading={save.isPending}
              disabled={
                !contractAccepts('retention.profile.save', { requiredQuantity: quantity }, 'requiredQuantity') ||
                !unit ||
                basisNote.trim().length < 2 ||
                storage.trim().length < 2 ||
                (!!p.data && reason.trim().length < 3)
              }
              onClick={() =>
                save.mutate({
                  productCode,
                  requiredQuantity: quantity,
                  unit: unit as (typeof quantityUnits)[number],
                  basisNote: basisNote.trim(),
                  storageConditions: storage.trim(),
                  observationDays: days.map(Number),
                  ...(p.data ? { reason: reason.trim() } : {}),
                })
              }
              data-testid="retention-profile-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      ) : p.data ? (
        <SimpleGrid cols={2} spacing="xs">
          <Text size="sm" data-testid="retention-profile-required">
            {t('labels.requiredQuantity')}:{' '}
            <b>
              {p.data.requiredQuantity} {p.data.unit}
            </b>{' '}
            — {p.data.basisNote}
          </Text>
          <Text size="sm">
            {t('labels.storageConditions')}: {p.data.storageConditions}
          </Text>
          <Text size="sm">
            {t('labels.observationDays')}: {p.data.observationDays.join(', ') || '—'}
          </Text>
          <Anchor href={href('/retention')} size="sm">
            {t('labels.openRetention')}
          </Anchor>
        </SimpleGrid>
      ) : (
        <Text size="sm" c="dimmed" data-testid="retention-profile-none">
          {t('labels.retentionNone')}
        </Text>
      )}
    </Paper>
  );
}
