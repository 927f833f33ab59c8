import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  approvalStatuses,
  materialKinds,
  productStages,
  proteinBases,
  supplierKinds,
  units,
} from '../../../../shared/contract/channels/catalog';
import { call } from '../../core/api/client';
import { fieldErrors } from '../../core/api/errors';
import { ErrorAlert } from '../../ui/error-alert';
import { validateReason } from '../../ui/validators';
import {
  initialValues,
  toFields,
  validateFields,
  type AnyCatalogView,
  type CatalogKind,
  type FormValues,
} from './catalog-kinds';

type Form = UseFormReturnType<FormValues & { reason: string }>;

/** New (no record) or Edit (with a reason, kept in the audit trail) for one catalogue kind. */
export function CatalogFormModal({
  kind,
  record,
  opened,
  onClose,
}: {
  kind: CatalogKind;
  record: AnyCatalogView | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={record ? t('catalog.editTitle', { code: record.code }) : t(`catalog.newTitle.${kind}`)}
    >
      {opened ? <CatalogForm kind={kind} record={record} onClose={onClose} /> : null}
    </Modal>
  );
}

function CatalogForm({
  kind,
  record,
  onClose,
}: {
  kind: CatalogKind;
  record: AnyCatalogView | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form: Form = useForm({
    initialValues: { ...initialValues(kind, record), reason: '' },
    validate: (values) => {
      const { reason, ...rest } = values;
      const errors: Record<string, string> = validateFields(t, kind, rest as FormValues);
      const r = record ? validateReason(t, reason as string) : null;
      if (r) errors['reason'] = r;
      return errors;
    },
  });
  const save = useMutation({
    mutationFn: (values: FormValues & { reason: string }) => {
      const { reason, ...rest } = values;
      const input = {
        ...(record ? { id: record.id, reason: (reason as string).trim() } : {}),
        fields: toFields(rest as FormValues),
      };
      // The five save channels share one shape; the server validates the fields again.
      return call(`catalog.${kind}.save` as 'catalog.products.save', input as never) as Promise<AnyCatalogView>;
    },
    onSuccess: (v) => {
      notifications.show({
        color: 'green',
        message: t(record ? 'catalog.updated' : 'catalog.created', { code: v.code }),
      });
      void qc.invalidateQueries({ queryKey: [`catalog.${kind}.list`] });
      onClose();
    },
    onError: (e) => form.setErrors(fieldErrors(t, e)),
  });

  return (
    <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))} data-testid="catalog-form">
      <Stack>
        <TextInput
          label={t('catalog.fields.code')}
          description={t(kind === 'methods' ? 'catalog.help.methodCode' : 'catalog.help.code')}
          withAsterisk
          disabled={record !== null}
          data-testid="catalog-field-code"
          {...form.getInputProps('code')}
        />
        <KindFields kind={kind} form={form} />
        {record ? (
          <Textarea
            label={t('common.reason')}
            description={t('catalog.reasonHelp')}
            withAsterisk
            autosize
            minRows={2}
            data-testid="catalog-field-reason"
            {...form.getInputProps('reason')}
          />
        ) : null}
        <ErrorAlert error={save.error} testId="catalog-form-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="catalog-form-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function KindFields({ kind, form }: { kind: CatalogKind; form: Form }) {
  const { t } = useTranslation();
  const text = (field: string, label: string, required = false, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      withAsterisk={required}
      data-testid={`catalog-field-${field}`}
      {...extra}
      {...form.getInputProps(field)}
    />
  );
  const select = (field: string, label: string, data: Array<{ value: string; label: string }>) => (
    <Select
      label={label}
      data={data}
      allowDeselect={false}
      withAsterisk
      data-testid={`catalog-field-${field}`}
      comboboxProps={{ withinPortal: true }}
      {...form.getInputProps(field)}
    />
  );
  const date = (field: string, label: string) => (
    <DateInput
      label={label}
      valueFormat="YYYY-MM-DD"
      clearable
      data-testid={`catalog-field-${field}`}
      value={(form.values[field] as string) || null}
      onChange={(v) => form.setFieldValue(field, v ?? '')}
      error={form.errors[field]}
    />
  );
  const names = (
    <SimpleGrid cols={2}>
      {text('nameZh', t('catalog.fields.name_zh'), true)}
      {text('nameEn', t('catalog.fields.name_en'), true)}
    </SimpleGrid>
  );

  switch (kind) {
    case 'products': {
      const stage = form.values['stage'] as (typeof productStages)[number];
      return (
        <>
          {names}
          <Select
            label={t('catalog.fields.stage')}
            description={t('catalog.help.stage')}
            withAsterisk
            allowDeselect={false}
            data-testid="catalog-field-stage"
            data={productStages.map((s) => ({
              value: s,
              label: `${t(`catalog.stages.${s}`)} → ${t(`catalog.stageStandard.${s}`)}`,
            }))}
            {...form.getInputProps('stage')}
          />
          {stage ? (
            <Text size="xs" c="dimmed" mt={-8}>
              <Badge size="xs" variant="light" tt="none" mr={6}>
                {t(`catalog.stageStandard.${stage}`)}
              </Badge>
              {t(`catalog.stages.${stage}`)}
            </Text>
          ) : null}
          <SimpleGrid cols={2}>
            {select(
              'proteinBase',
              t('catalog.fields.protein_base'),
              proteinBases.map((s) => ({ value: s, label: t(`catalog.proteinBases.${s}`) })),
            )}
            {text('registrationNo', t('catalog.fields.registration_no'))}
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <NumberInput
              label={t('catalog.fields.shelf_life_days')}
              min={1}
              max={3650}
              allowDecimal={false}
              data-testid="catalog-field-shelfLifeDays"
              value={(form.values['shelfLifeDays'] as string) ?? ''}
              onChange={(v) => form.setFieldValue('shelfLifeDays', v === '' ? '' : String(v))}
              error={form.errors['shelfLifeDays']}
            />
            <TagsInput
              label={t('catalog.fields.pack_sizes')}
              description={t('catalog.help.pack_sizes')}
              data-testid="catalog-field-packSizes"
              maxTags={20}
              clearable
              {...form.getInputProps('packSizes')}
            />
          </SimpleGrid>
        </>
      );
    }
    case 'materials':
      return (
        <>
          {names}
          <SimpleGrid cols={2}>
            {select(
              'kind',
              t('catalog.fields.kind'),
              materialKinds.map((s) => ({ value: s, label: t(`catalog.materialKinds.${s}`) })),
            )}
            {select(
              'defaultUnit',
              t('catalog.fields.default_unit'),
              units.map((s) => ({ value: s, label: t(`catalog.units.${s}`) })),
            )}
          </SimpleGrid>
        </>
      );
    case 'suppliers':
      return (
        <>
          {text('name', t('catalog.fields.name'), true)}
          <SimpleGrid cols={2}>
            {select(
              'kind',
              t('catalog.fields.kind'),
              supplierKinds.map((s) => ({ value: s, label: t(`catalog.supplierKinds.${s}`) })),
            )}
            {select(
              'approvalStatus',
              t('catalog.fields.approval_status'),
              approvalStatuses.map((s) => ({ value: s, label: t(`catalog.approvalStatuses.${s}`) })),
            )}
          </SimpleGrid>
          <SimpleGrid cols={3}>
            {date('approvedOn', t('catalog.fields.approved_on'))}
            {date('lastAuditOn', t('catalog.fields.last_audit_on'))}
            {date('nextAuditDue', t('catalog.fields.next_audit_due'))}
          </SimpleGrid>
          <SimpleGrid cols={2}>
            {text('contact', t('catalog.fields.contact'))}
            {text('phone', t('catalog.fields.phone'))}
          </SimpleGrid>
        </>
      );
    case 'customers':
      return (
        <>
          {text('name', t('catalog.fields.name'), true)}
          <SimpleGrid cols={2}>
            {text('contact', t('catalog.fields.recall_contact'))}
            {text('phone', t('catalog.fields.recall_phone'))}
          </SimpleGrid>
          <Textarea
            label={t('catalog.fields.address')}
            autosize
            minRows={2}
            data-testid="catalog-field-address"
            {...form.getInputProps('address')}
          />
        </>
      );
    case 'methods':
      return (
        <>
          <SimpleGrid cols={2}>
            {text('titleZh', t('catalog.fields.title_zh'), true)}
            {text('titleEn', t('catalog.fields.title_en'), true)}
          </SimpleGrid>
          <SimpleGrid cols={2}>
            {text('analyte', t('catalog.fields.analyte'), true)}
            {text('unit', t('catalog.fields.unit'))}
          </SimpleGrid>
          <SimpleGrid cols={2}>
            {text('lod', t('catalog.fields.lod'), false, {
              description: t('catalog.help.decimal'),
              inputMode: 'decimal',
            })}
            {text('loq', t('catalog.fields.loq'), false, {
              description: t('catalog.help.decimal'),
              inputMode: 'decimal',
            })}
          </SimpleGrid>
          <Switch
            label={t('catalog.fields.in_house')}
            data-testid="catalog-field-inHouse"
            {...form.getInputProps('inHouse', { type: 'checkbox' })}
          />
        </>
      );
    case 'lines':
      return (
        <>
          {names}
          {text('site', t('guide.lines.site'), false, { description: t('guide.lines.siteHelp') })}
          <Switch
            label={t('guide.lines.active')}
            data-testid="catalog-field-active"
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
        </>
      );
  }
}
