import { useCallback, useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SpecItemView, SpecVersionView } from '../../../../../shared/contract/channels/catalog';
import { call } from '../../../core/api/client';
import { callKey, useCall, useMutationCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime, localTimeZone } from '../../../ui/format';
import { href, navigate, useRoute } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { ReasonModal } from '../../../ui/reason-modal';
import { SignatureDialog } from '../../../ui/signature-dialog';
import { ItemEditorDrawer } from './item-editor-drawer';
import { SpecDiffModal } from './spec-diff-modal';
import { storeVersionView } from './spec-cache';
import { formatSource, itemName, problemMessage, statusColor } from './spec-format';
import { SpecItemsTable } from './spec-items-table';
import { SpecTablesPanel } from './spec-tables-panel';

/** #/specs/version/<id>: one specification version, its items, approval and history. */
export function SpecEditorPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const id = route.path.split('/')[3];
  if (!id) return <Text>{t('nav.notFound')}</Text>;
  return <Editor key={id} versionId={id} />;
}

function Editor({ versionId }: { versionId: string }) {
  const q = useCall('specs.get', { versionId });
  if (q.isPending) return <Loader size="sm" />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  return <EditorView view={q.data} />;
}

function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function EditorView({ view }: { view: SpecVersionView }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const qc = useQueryClient();
  const session = useSession();
  const draft = view.status === 'draft';
  const canEdit = draft && hasPermission(session, 'specs.edit') && !session.readOnly;
  const canApprove = draft && hasPermission(session, 'specs.approve') && !session.readOnly;
  const specs = useCall('specs.list', { subjectKind: view.subjectKind, subjectId: view.subjectId });
  const spec = specs.data?.find((s) => s.id === view.specId);
  // specs.list names the subject in English only: the catalogue has both names.
  const products = useCall(
    'catalog.products.list',
    { includeRetired: true },
    { enabled: view.subjectKind === 'product' },
  );
  const materials = useCall(
    'catalog.materials.list',
    { includeRetired: true },
    { enabled: view.subjectKind === 'material' },
  );
  const subject = (view.subjectKind === 'product' ? products.data : materials.data)?.find(
    (r) => r.id === view.subjectId,
  );
  const subjectName = subject ? (zh ? subject.nameZh : subject.nameEn) : (spec?.subjectName ?? '');
  const hasDraft = spec?.versions.some((v) => v.status === 'draft') ?? draft;
  const canNewVersion = !hasDraft && hasPermission(session, 'specs.edit') && !session.readOnly;

  // The drawer keeps its item while it slides out (its title would otherwise flip to "new item").
  const [editing, setEditing] = useState<{ item: SpecItemView | null; open: boolean }>({ item: null, open: false });
  // Stable: the memoised items table and drawer re-render only when their data changes.
  const openEditor = useCallback((item: SpecItemView | null) => setEditing({ item, open: true }), []);
  const closeEditor = useCallback(() => setEditing((e) => ({ ...e, open: false })), []);
  const [signing, setSigning] = useState(false);
  const [newVersion, setNewVersion] = useState(false);
  const [comparing, setComparing] = useState(false);
  const [effective, setEffective] = useState<string | null>(view.effectiveFrom);
  const setEff = useMutationCall('specs.setEffective');
  const exportQ = useMutationCall('specs.export');

  const title = zh ? view.titleZh : view.titleEn;
  const flaggedCount = view.flagged.length;
  const blocked =
    view.items.length === 0
      ? t('specs.approveBlockedEmpty')
      : flaggedCount > 0
        ? t('specs.approveBlockedFlagged', { count: flaggedCount })
        : view.problems.length > 0
          ? t('specs.approveBlockedProblems', { count: view.problems.length })
          : null;

  const saveEffective = () => {
    if (!effective) return;
    setEff.mutate(
      { versionId: view.id, effectiveFrom: effective },
      {
        onSuccess: (next) => {
          storeVersionView(qc, next);
          notifications.show({ color: 'green', message: t('specs.effectiveSaved', { date: effective }) });
        },
      },
    );
  };

  const doExport = () =>
    exportQ.mutate(
      { versionId: view.id },
      {
        onSuccess: ({ fileName, json }) => {
          download(fileName, json);
          notifications.show({ color: 'green', message: t('specs.exported', { fileName }) });
        },
      },
    );

  const approve = async ({ password, comment }: { password: string; comment?: string }) => {
    const next = await call('specs.approve', {
      versionId: view.id,
      signature: { password, meaning: 'approved', ...(comment ? { comment } : {}) },
      // What the approver saw: a change since is refused with the new state (D-110).
      expectedItems: view.items.map((x) => ({ id: x.id, rev: x.rev })),
    });
    // Approval also supersedes older versions and stamps the time: the lists are fetched again.
    qc.setQueryData(callKey('specs.get', { versionId: view.id }), next);
    void qc.invalidateQueries({ queryKey: ['specs.list'] });
    notifications.show({
      color: 'green',
      message: t('specs.approved', { code: view.specCode, version: view.version }),
    });
  };

  const generalProblems = view.problems.filter((p) => p.itemCode === null);
  const itemProblems = view.problems.filter((p) => p.itemCode !== null);
  const openItem = (code: string) => {
    const item = view.items.find((i) => i.code === code);
    if (item && canEdit) openEditor(item);
  };

  return (
    <Stack data-testid="spec-editor" data-status={view.status}>
      <Group gap="xs">
        <Anchor href={href(`/catalog/${view.subjectKind}/${view.subjectId}`)} size="sm">
          ← {t('specs.backToSubject', { code: spec?.subjectCode ?? t(`subject.${view.subjectKind}`) })}
        </Anchor>
        <Text size="sm" c="dimmed">
          ·
        </Text>
        <Anchor href={href('/specifications', { tab: 'specs' })} size="sm">
          {t('catalog.tabs.specs')}
        </Anchor>
      </Group>

      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={2} data-testid="spec-code">
                {view.specCode}
              </Title>
              <Badge size="lg" variant="light" color="dark" tt="none" data-testid="spec-version">
                {t('specs.version', { version: view.version })}
              </Badge>
              <Badge
                size="lg"
                color={statusColor[view.status]}
                variant="filled"
                tt="none"
                data-testid="spec-status"
                data-status={view.status}
              >
                {t(`specs.status.${view.status}`)}
              </Badge>
            </Group>
            <Text size="lg" data-testid="spec-title">
              {title}
            </Text>
          </Stack>
          <Group gap="xs" justify="flex-end">
            {view.basedOn ? (
              <Button variant="default" onClick={() => setComparing(true)} data-testid="spec-compare">
                {t('specs.compare')}
              </Button>
            ) : null}
            <Button variant="default" loading={exportQ.isPending} onClick={doExport} data-testid="spec-export">
              {t('specs.exportJson')}
            </Button>
            {canNewVersion ? (
              <Button variant="light" onClick={() => setNewVersion(true)} data-testid="spec-new-version">
                {t('specs.newVersion')}
              </Button>
            ) : null}
            {canApprove ? (
              <Button
                color="green"
                disabled={blocked !== null}
                onClick={() => setSigning(true)}
                data-testid="spec-approve"
              >
                {t('specs.approve')}
              </Button>
            ) : null}
          </Group>
        </Group>
        {canApprove && blocked ? (
          <Text size="sm" c="orange.9" ta="right" mt={4} data-testid="spec-approve-blocked">
            {blocked}
          </Text>
        ) : null}

        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" mt="md">
          <Field label={t('specs.subject')}>
            <Anchor href={href(`/catalog/${view.subjectKind}/${view.subjectId}`)} size="sm">
              {spec ? `${spec.subjectCode} · ${subjectName}` : t(`subject.${view.subjectKind}`)}
            </Anchor>
          </Field>
          <Field label={t('specs.standard')}>{spec?.standard ?? '—'}</Field>
          <Field label={t('specs.source')}>
            <span data-testid="spec-source">{formatSource(t, view.source)}</span>
          </Field>
          <Field label={t('specs.effective')}>
            {canEdit ? (
              <Stack gap={2}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <DateInput
                    size="xs"
                    w={140}
                    valueFormat="YYYY-MM-DD"
                    value={effective}
                    onChange={setEffective}
                    placeholder="YYYY-MM-DD"
                    data-testid="spec-effective-input"
                  />
                  <Button
                    size="xs"
                    variant="light"
                    disabled={!effective || effective === view.effectiveFrom}
                    loading={setEff.isPending}
                    onClick={saveEffective}
                    data-testid="spec-effective-save"
                  >
                    {t('specs.setEffective')}
                  </Button>
                </Group>
                {!view.effectiveFrom ? (
                  <Text size="xs" c="dimmed">
                    {t('specs.effectiveNone')}
                  </Text>
                ) : null}
              </Stack>
            ) : (
              <Text size="sm" data-testid="spec-effective">
                {view.effectiveFrom ?? t('specs.effectiveNone')}
              </Text>
            )}
          </Field>
        </SimpleGrid>
        {view.changeNote ? (
          <Text size="xs" c="dimmed" mt="sm" data-testid="spec-change-note">
            {t('specs.changeNote')}: {view.changeNote}
          </Text>
        ) : view.source.startsWith('pack:') ? (
          <Text size="xs" c="dimmed" mt="sm" data-testid="spec-pack-note">
            {t('specTables.packNote', { standard: spec?.standard ?? '' })}
          </Text>
        ) : null}
        {spec && spec.versions.length > 1 ? (
          <Group gap={6} mt="sm">
            {spec.versions.map((v) => (
              <Anchor key={v.id} href={href(`/specs/version/${v.id}`)}>
                <Badge
                  color={statusColor[v.status]}
                  variant={v.id === view.id ? 'filled' : 'light'}
                  tt="none"
                  style={{ cursor: 'pointer' }}
                >
                  {t('specs.versionShort', { version: v.version })} · {t(`specs.status.${v.status}`)}
                </Badge>
              </Anchor>
            ))}
          </Group>
        ) : null}
      </Paper>

      <ErrorAlert error={setEff.error ?? exportQ.error} />

      {!draft ? (
        <Alert color="gray" variant="light" data-testid="spec-readonly">
          {t('specs.readOnly', { status: t(`specs.status.${view.status}`) })}
        </Alert>
      ) : null}

      {draft && flaggedCount > 0 ? (
        <Alert color="orange" variant="filled" title={t('specs.flaggedTitle')} data-testid="spec-flagged">
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t('specs.flagged', { count: flaggedCount })}
            </Text>
            <Text size="xs">
              {t('specs.flaggedCodes', {
                codes: view.flagged
                  .map((f) => {
                    const item = view.items.find((i) => i.id === f.itemId);
                    return item ? itemName(i18n.language, item) : f.code;
                  })
                  .join('、'),
              })}
            </Text>
          </Stack>
        </Alert>
      ) : null}

      {view.problems.length > 0 ? (
        <Alert color="red" variant="light" title={t('specs.problemsTitle')} data-testid="spec-problems">
          <List size="sm">
            {generalProblems.map((p, n) => (
              <List.Item key={`g${n}`}>{problemMessage(t, p)}</List.Item>
            ))}
            {itemProblems.map((p, n) => (
              <List.Item key={n}>
                <Anchor component="button" size="sm" onClick={() => openItem(p.itemCode as string)}>
                  {(() => {
                    const item = view.items.find((i) => i.code === p.itemCode);
                    return item ? itemName(i18n.language, item) : p.itemCode;
                  })()}
                </Anchor>
                {p.field ? ` · ${t(`itemEditor.${p.field}`, { defaultValue: p.field })}` : ''}: {problemMessage(t, p)}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}

      {view.signatures.length > 0 || !draft ? (
        <Paper withBorder p="md" data-testid="spec-signatures">
          <Title order={4} mb="xs">
            {t('specs.signatures')}
          </Title>
          {view.signatures.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('specs.noSignatures')}
            </Text>
          ) : (
            view.signatures.map((s) => (
              <Stack key={s.id} gap={0}>
                <Text size="sm" fw={600} data-testid="spec-signature-line">
                  {s.printedName} ({s.userId}) /{' '}
                  {t('time.local', { time: formatTime(s.signedAt), zone: s.timeZone || localTimeZone() })} /{' '}
                  {t(`meanings.${s.meaning}`)}
                </Text>
                {s.comment ? (
                  <Text size="xs" c="dimmed">
                    {s.comment}
                  </Text>
                ) : null}
                {!s.valid ? (
                  <Badge color="red" tt="none" w="fit-content">
                    {t('specs.signatureInvalid')}
                  </Badge>
                ) : null}
              </Stack>
            ))
          )}
        </Paper>
      ) : null}

      <SpecTablesPanel view={view} canConfirm={canApprove} />

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>
            {t('specs.items')} ({view.items.length})
          </Title>
          {canEdit ? (
            <Button variant="light" size="xs" onClick={() => openEditor(null)} data-testid="spec-add-item">
              {t('specs.addItem')}
            </Button>
          ) : null}
        </Group>
        {view.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('specs.noItems')}
          </Text>
        ) : (
          <SpecItemsTable items={view.items} problems={view.problems} onOpen={canEdit ? openEditor : undefined} />
        )}
      </Paper>

      {canEdit ? (
        <ItemEditorDrawer
          version={view}
          item={editing.item}
          standard={spec?.standard ?? null}
          opened={editing.open}
          onClose={closeEditor}
        />
      ) : null}

      {canApprove ? (
        <SignatureDialog
          opened={signing}
          onClose={() => setSigning(false)}
          meanings={['approved']}
          summary={
            <Stack gap={2}>
              <Text fw={600} data-testid="approve-summary">
                {t('specs.approveSummary', { code: view.specCode, version: view.version, title })}
              </Text>
              <Text size="sm">
                {t('specs.approveDetails', {
                  count: view.items.length,
                  date: view.effectiveFrom ?? t('specs.effectiveNone'),
                })}
              </Text>
            </Stack>
          }
          onSign={approve}
        >
          <Text size="sm">{t('specs.approveMeaning')}</Text>
        </SignatureDialog>
      ) : null}

      <ReasonModal
        opened={newVersion}
        onClose={() => setNewVersion(false)}
        title={t('specs.newVersionTitle', {
          code: view.specCode,
          version: (spec?.versions[0]?.version ?? view.version) + 1,
        })}
        help={t('specs.newVersionHelp')}
        confirmLabel={t('specs.newVersionCreate')}
        onConfirm={async ({ reason }) => {
          const next = await call('specs.newVersion', { specId: view.specId, changeNote: reason });
          qc.setQueryData(callKey('specs.get', { versionId: next.id }), next);
          void qc.invalidateQueries({ queryKey: ['specs.list'] });
          notifications.show({ color: 'green', message: t('specs.newVersionCreated', { version: next.version }) });
          navigate(`/specs/version/${next.id}`);
        }}
      />

      {view.basedOn ? (
        <SpecDiffModal fromId={view.basedOn} toId={view.id} opened={comparing} onClose={() => setComparing(false)} />
      ) : null}
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}
