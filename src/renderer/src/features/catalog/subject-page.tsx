import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MaterialView, ProductView } from '../../../../shared/contract/channels/catalog';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { CreateSpecModal, type SpecSubject } from './specs/create-spec-modal';
import { statusColor } from './specs/spec-format';

/** #/catalog/product/<id> and #/catalog/material/<id>: the record, its specifications, its lots. */
export function SubjectPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const [, , kindPart, id] = route.path.split('/');
  const kind = kindPart === 'material' ? 'material' : 'product';
  if (!id) return <Text>{t('subject.notFound')}</Text>;
  return <Subject key={`${kind}/${id}`} kind={kind} id={id} />;
}

function Subject({ kind, id }: { kind: 'product' | 'material'; id: string }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const session = useSession();
  const products = useCall('catalog.products.list', { includeRetired: true }, { enabled: kind === 'product' });
  const materials = useCall('catalog.materials.list', { includeRetired: true }, { enabled: kind === 'material' });
  const q = kind === 'product' ? products : materials;
  const record = (q.data as Array<ProductView | MaterialView> | undefined)?.find((r) => r.id === id);
  const specs = useCall('specs.list', { subjectKind: kind, subjectId: id });
  const [creating, setCreating] = useState(false);
  const canCreate = hasPermission(session, 'specs.edit') && !session.readOnly;

  if (q.isPending) return <Loader size="sm" />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (!record) return <Text data-testid="subject-not-found">{t('subject.notFound')}</Text>;

  const product = kind === 'product' ? (record as ProductView) : null;
  const material = kind === 'material' ? (record as MaterialView) : null;
  const subject: SpecSubject = {
    kind,
    id: record.id,
    code: record.code,
    nameZh: record.nameZh,
    nameEn: record.nameEn,
    appliesTo: product?.stage ?? material?.kind ?? '',
  };

  return (
    <Stack data-testid="subject-page">
      <Anchor href={href('/specifications', { tab: kind === 'product' ? 'products' : 'materials' })} size="sm">
        ← {t('subject.back')}
      </Anchor>
      <Group gap="sm">
        <Title order={2} data-testid="subject-title">
          {record.code} · {zh ? record.nameZh : record.nameEn}
        </Title>
        <Badge variant="light" tt="none">
          {t(`subject.${kind}`)}
        </Badge>
        {product ? (
          <Badge variant="light" color={product.stage === 'other_dairy' ? 'gray' : 'indigo'} tt="none">
            {t(`catalog.stageStandard.${product.stage}`)}
          </Badge>
        ) : null}
        {record.retired ? (
          <Badge color="gray" tt="none">
            {t('catalog.retired')}
          </Badge>
        ) : null}
      </Group>

      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          {t('subject.details')}
        </Title>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          <Field label={t('catalog.fields.name_zh')}>{record.nameZh}</Field>
          <Field label={t('catalog.fields.name_en')}>
            <span lang="en">{record.nameEn}</span>
          </Field>
          {product ? (
            <>
              <Field label={t('catalog.fields.stage')}>
                {t(`catalog.stages.${product.stage}`)} → {t(`catalog.stageStandard.${product.stage}`)}
              </Field>
              <Field label={t('catalog.fields.protein_base')}>{t(`catalog.proteinBases.${product.proteinBase}`)}</Field>
              <Field label={t('catalog.fields.registration_no')}>{product.registrationNo ?? '—'}</Field>
              <Field label={t('catalog.fields.shelf_life_days')}>{product.shelfLifeDays ?? '—'}</Field>
              <Field label={t('catalog.fields.pack_sizes')}>{product.packSizes.join(', ') || '—'}</Field>
              <Field label={t('labels.title')}>
                <Anchor href={href('/labels', { product: product.code })} data-testid="subject-labels-link">
                  {t('labels.openFromProduct')}
                </Anchor>
              </Field>
            </>
          ) : null}
          {material ? (
            <>
              <Field label={t('catalog.fields.kind')}>{t(`catalog.materialKinds.${material.kind}`)}</Field>
              <Field label={t('catalog.fields.default_unit')}>{t(`catalog.units.${material.defaultUnit}`)}</Field>
            </>
          ) : null}
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t('subject.specs')}</Title>
          {canCreate ? (
            <Button onClick={() => setCreating(true)} data-testid="create-spec">
              {t('subject.createSpec')}
            </Button>
          ) : null}
        </Group>
        <ErrorAlert error={specs.error} />
        {specs.data && specs.data.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="subject-no-specs">
            {t('subject.noSpecs')}
          </Text>
        ) : null}
        {(specs.data ?? []).map((s) => (
          <Stack key={s.id} gap="xs" mb="md">
            <Group gap="xs">
              <Text fw={600}>{s.code}</Text>
              <Text>{zh ? s.titleZh : s.titleEn}</Text>
              {s.standard ? (
                <Badge variant="light" color="indigo" tt="none">
                  {s.standard}
                </Badge>
              ) : null}
            </Group>
            <Table withTableBorder striped data-testid={`subject-spec-${s.code}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('subject.versionCol')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('specs.effective')}</Table.Th>
                  <Table.Th>{t('specs.items')}</Table.Th>
                  <Table.Th>{t('subject.approvedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.versions.map((v) => (
                  <Table.Tr key={v.id} data-testid={`subject-version-${v.version}`}>
                    <Table.Td>
                      <Anchor href={href(`/specs/version/${v.id}`)} data-testid={`open-version-${v.version}`}>
                        {t('specs.version', { version: v.version })}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={statusColor[v.status]} variant="light" tt="none">
                        {t(`specs.status.${v.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{v.effectiveFrom ?? '—'}</Table.Td>
                    <Table.Td>
                      {t('specs.itemsCount', { count: v.items })}
                      {v.flagged > 0 ? (
                        <Badge ml="xs" color="orange" variant="light" tt="none">
                          {t('specs.flaggedCount', { count: v.flagged })}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{v.approvedAt ? formatTime(v.approvedAt) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      </Paper>

      <Paper withBorder p="md" data-testid="subject-lots">
        <Title order={4} mb="xs">
          {t('subject.lotsTitle')}
        </Title>
        <Alert color="gray" variant="light">
          {t('subject.lotsPlaceholder')}
        </Alert>
      </Paper>

      <CreateSpecModal subject={subject} opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </Stack>
  );
}
