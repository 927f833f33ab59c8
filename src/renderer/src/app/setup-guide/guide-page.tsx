import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SetupProgress, SetupStepKey } from '../../../../shared/contract/channels/home';
import { roles } from '../../../../shared/domain/roles';
import { rolesNeeded, stepOwner } from '../../../../shared/rules/setup-guide';
import { useCall } from '../../core/api/hooks';
import { href, navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import { CompanyTab } from '../../features/admin/company-tab';
import { AccountsTab } from '../../features/admin/accounts-tab';
import { CatalogList } from '../../features/catalog/catalog-list';
import { CreateSpecModal, type SpecSubject } from '../../features/catalog/specs/create-spec-modal';
import { useSetupGuide, type GuideStep } from './progress';

/**
 * 开工向导 (issue 22 §1): the plant's first day, step by step — company, site and lines,
 * products with their formula registration numbers, the specification, users and roles, a
 * first lot. Each step says who does it and what it is for, may be skipped, and is done when
 * the records say so (the guide stores no progress of its own). The steps embed the screens
 * that already do the work (the guide is part of the renderer's composition root, D-076).
 */
export function SetupGuidePage() {
  const { t } = useTranslation();
  const route = useRoute();
  const guide = useSetupGuide();
  const requested = route.params.get('step');
  const firstOpen = guide.steps.findIndex((s) => !s.done && !s.skipped);
  const index = Math.max(
    0,
    guide.steps.findIndex((s) => s.key === requested) >= 0
      ? guide.steps.findIndex((s) => s.key === requested)
      : firstOpen >= 0
        ? firstOpen
        : guide.steps.length - 1,
  );
  const step = guide.steps[index]!;
  const go = (i: number) => navigate('/setup-guide', { step: guide.steps[i]?.key });
  const allDone = guide.ready && guide.doneCount === guide.steps.length;

  return (
    <Stack data-testid="setup-guide" data-done={guide.doneCount}>
      <div>
        <Title order={2}>{t('guide.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('guide.intro')}
        </Text>
      </div>
      <ErrorAlert error={guide.error} />
      <Group gap="sm" wrap="nowrap">
        <Progress value={(guide.doneCount / guide.steps.length) * 100} w={240} color={allDone ? 'green' : 'blue'} />
        <Text size="sm" data-testid="setup-guide-count">
          {t('guide.progress', { done: guide.doneCount, total: guide.steps.length })}
        </Text>
      </Group>
      {allDone ? (
        <Alert color="green" data-testid="setup-guide-complete">
          {t('guide.allDone')}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, md: 3, xl: 6 }} spacing="xs">
        {guide.steps.map((s, i) => (
          <UnstyledButton
            key={s.key}
            onClick={() => go(i)}
            data-testid={`setup-step-${s.key}`}
            data-state={s.done ? 'done' : s.skipped ? 'skipped' : 'open'}
            data-active={i === index || undefined}
            p="xs"
            style={{
              borderRadius: 'var(--mantine-radius-md)',
              border: `1px solid ${i === index ? 'var(--mantine-color-teal-5)' : 'var(--mantine-color-gray-3)'}`,
              background: i === index ? 'var(--mantine-color-teal-0)' : undefined,
            }}
          >
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <ThemeIcon
                radius="xl"
                size="md"
                variant={s.done ? 'filled' : 'light'}
                color={s.done ? 'green' : s.skipped ? 'gray' : 'orange'}
              >
                <Text size="xs" fw={700}>
                  {s.done ? '✓' : s.skipped ? '–' : i + 1}
                </Text>
              </ThemeIcon>
              <div>
                <Text size="sm" fw={600} lh={1.3}>
                  {t(`guide.steps.${s.key}.title`)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t(`roles.${stepOwner[s.key]}`)} ·{' '}
                  {t(`guide.state.${s.done ? 'done' : s.skipped ? 'skipped' : 'open'}`)}
                </Text>
              </div>
            </Group>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <StepPanel
        step={step}
        progress={guide.progress}
        onSkip={(on) => {
          guide.setSkipped(step.key, on);
          if (on && index < guide.steps.length - 1) go(index + 1);
        }}
        onPrev={index > 0 ? () => go(index - 1) : null}
        onNext={index < guide.steps.length - 1 ? () => go(index + 1) : null}
      />
    </Stack>
  );
}

function StepPanel({
  step,
  progress,
  onSkip,
  onPrev,
  onNext,
}: {
  step: GuideStep;
  progress: SetupProgress | undefined;
  onSkip: (on: boolean) => void;
  onPrev: (() => void) | null;
  onNext: (() => void) | null;
}) {
  const { t } = useTranslation();
  const k = step.key;
  const owner = stepOwner[k];
  return (
    <Paper withBorder p="md" radius="md" data-testid={`setup-panel-${k}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Title order={3}>{t(`guide.steps.${k}.title`)}</Title>
            <Group gap="xs" mt={4}>
              <Badge variant="light" tt="none" data-testid="setup-step-owner">
                {t('guide.who', { role: t(`roles.${owner}`) })}
              </Badge>
              <StateBadge step={step} />
            </Group>
          </div>
          <Group gap="xs" wrap="nowrap">
            {onPrev ? (
              <Button variant="default" size="xs" onClick={onPrev} data-testid="setup-prev">
                {t('guide.prev')}
              </Button>
            ) : null}
            {!step.done ? (
              <Button
                variant="subtle"
                size="xs"
                color="gray"
                onClick={() => onSkip(!step.skipped)}
                data-testid="setup-skip"
              >
                {step.skipped ? t('guide.unskip') : t('guide.skip')}
              </Button>
            ) : null}
            {onNext ? (
              <Button size="xs" onClick={onNext} data-testid="setup-next">
                {t('guide.next')}
              </Button>
            ) : null}
          </Group>
        </Group>
        <Text size="sm">
          <b>{t('guide.whatFor')}</b> {t(`guide.steps.${k}.why`)}
        </Text>
        <Text size="sm" c="dimmed">
          {t(`guide.steps.${k}.how`)}
        </Text>
        {progress ? <StepStatus k={k} p={progress} /> : null}
        {step.mine ? (
          <StepBody k={k} />
        ) : (
          <Alert color="blue" variant="light" data-testid="setup-not-mine">
            {t('guide.notMine', { role: t(`roles.${owner}`) })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function StateBadge({ step }: { step: GuideStep }) {
  const { t } = useTranslation();
  if (step.done)
    return (
      <Badge color="green" variant="light" tt="none" data-testid="setup-step-state">
        {t('guide.state.done')}
      </Badge>
    );
  if (step.skipped)
    return (
      <Badge color="gray" variant="light" tt="none" data-testid="setup-step-state">
        {t('guide.state.skipped')}
      </Badge>
    );
  return (
    <Badge color="orange" variant="light" tt="none" data-testid="setup-step-state">
      {t('guide.state.open')}
    </Badge>
  );
}

/** What the records say about the step now. */
function StepStatus({ k, p }: { k: SetupStepKey; p: SetupProgress }) {
  const { t } = useTranslation();
  let text: string | null = null;
  if (k === 'lines') text = t('guide.status.lines', { count: p.lines.active });
  if (k === 'products')
    text =
      p.products.total === 0
        ? t('guide.status.noProducts')
        : t('guide.status.products', { count: p.products.total, missing: p.products.withoutRegistration });
  if (k === 'specification')
    text = t('guide.status.specification', {
      approved: p.specification.approved,
      drafts: p.specification.drafts,
      without: p.specification.productsWithout,
    });
  if (k === 'firstLot') text = t('guide.status.firstLot', { count: p.firstLot.lots });
  if (k === 'users')
    return (
      <Group gap={6} data-testid="setup-status">
        {roles.map((r) => (
          <Badge
            key={r}
            variant={p.users.byRole[r] ? 'light' : 'outline'}
            color={p.users.byRole[r] ? 'green' : rolesNeeded.includes(r) ? 'orange' : 'gray'}
            tt="none"
          >
            {t(`roles.${r}`)} · {p.users.byRole[r] ?? 0}
          </Badge>
        ))}
        {p.users.missingRoles.length > 0 ? (
          <Text size="xs" c="orange.8">
            {t('guide.status.missingRoles', { roles: p.users.missingRoles.map((r) => t(`roles.${r}`)).join('、') })}
          </Text>
        ) : null}
      </Group>
    );
  if (!text) return null;
  return (
    <Text size="sm" fw={600} data-testid="setup-status">
      {text}
    </Text>
  );
}

function StepBody({ k }: { k: SetupStepKey }) {
  switch (k) {
    case 'company':
      return <CompanyTab />;
    case 'lines':
      return <CatalogList kind="lines" />;
    case 'products':
      return <CatalogList kind="products" />;
    case 'specification':
      return <SpecStep />;
    case 'users':
      return <AccountsTab />;
    case 'firstLot':
      return <FirstLotStep />;
  }
}

/** Each product with its specification: create one from a GB pack or the plant's own file, then open the draft to check and approve. */
function SpecStep() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const products = useCall('catalog.products.list', {});
  const specs = useCall('specs.list', { subjectKind: 'product' });
  const [subject, setSubject] = useState<SpecSubject | null>(null);
  const rows = products.data ?? [];
  if (products.data && rows.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="setup-spec-no-products">
        {t('guide.spec.noProducts')}{' '}
        <Anchor href={href('/setup-guide', { step: 'products' })}>{t('guide.steps.products.title')}</Anchor>
      </Text>
    );
  return (
    <>
      <ErrorAlert error={products.error ?? specs.error} />
      <Table withTableBorder verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('guide.spec.product')}</Table.Th>
            <Table.Th>{t('guide.spec.registration')}</Table.Th>
            <Table.Th>{t('guide.spec.specification')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => {
            const spec = (specs.data ?? []).find((s) => s.subjectId === p.id);
            const approved = spec?.versions.find((v) => v.status === 'approved');
            const draft = spec?.versions.find((v) => v.status === 'draft');
            return (
              <Table.Tr key={p.id} data-testid={`setup-spec-row-${p.code}`}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {zh ? p.nameZh : p.nameEn}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {p.code}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={p.registrationNo ? undefined : 'orange.8'}>
                    {p.registrationNo ?? t('guide.spec.noRegistration')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {approved ? (
                    <Badge color="green" variant="light" tt="none">
                      {t('guide.spec.approved', { code: spec?.code, version: approved.version })}
                    </Badge>
                  ) : draft ? (
                    <Badge color="orange" variant="light" tt="none">
                      {t('guide.spec.draft', { code: spec?.code, version: draft.version, flagged: draft.flagged })}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('guide.spec.none')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {draft ? (
                    <Anchor
                      href={href(`/specs/version/${draft.id}`)}
                      size="sm"
                      data-testid={`setup-spec-open-${p.code}`}
                    >
                      {t('guide.spec.openDraft')}
                    </Anchor>
                  ) : !spec ? (
                    <Button
                      size="compact-sm"
                      variant="light"
                      data-testid={`setup-spec-create-${p.code}`}
                      onClick={() =>
                        setSubject({
                          kind: 'product',
                          id: p.id,
                          code: p.code,
                          nameZh: p.nameZh,
                          nameEn: p.nameEn,
                          appliesTo: p.stage,
                        })
                      }
                    >
                      {t('guide.spec.create')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {subject ? <CreateSpecModal subject={subject} opened onClose={() => setSubject(null)} /> : null}
    </>
  );
}

/** Production creates the first lot (a production batch or a receipt), or it comes from the ERP import. */
function FirstLotStep() {
  const { t } = useTranslation();
  const session = useSession();
  const lots = useCall('lots.list', { limit: 5 }, { staleTime: 0 });
  return (
    <Stack gap="xs">
      <Group gap="sm">
        {hasPermission(session, 'lots.record') ? (
          <>
            <Button component="a" href={href('/batches')} data-testid="setup-first-batch">
              {t('guide.firstLot.batch')}
            </Button>
            <Button component="a" href={href('/receiving')} variant="light" data-testid="setup-first-receipt">
              {t('guide.firstLot.receive')}
            </Button>
          </>
        ) : null}
        {hasPermission(session, 'erp.import') ? (
          <Button component="a" href={href('/import')} variant="default" data-testid="setup-first-import">
            {t('guide.firstLot.import')}
          </Button>
        ) : null}
      </Group>
      {(lots.data?.lots ?? []).length > 0 ? (
        <Group gap="xs">
          {(lots.data?.lots ?? []).map((l) => (
            <Anchor key={l.code} href={href(`/lots/${encodeURIComponent(l.code)}`)} ff="monospace" size="sm">
              {l.code}
            </Anchor>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}
