import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  Modal,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../core/api/client';
import { fieldErrors } from '../../../core/api/errors';
import { callKey, useCall, useMutationCall } from '../../../core/api/hooks';
import { useContractForm } from '../../../ui/contract-form';
import { ErrorAlert } from '../../../ui/error-alert';
import { navigate } from '../../../core/router';
import { validateRequired } from '../../../ui/validators';

export interface SpecSubject {
  kind: 'product' | 'material';
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  /** Product stage or material kind: packs meant for it are suggested first. */
  appliesTo: string;
}

type From = 'pack' | 'document' | 'empty';

/** A new specification for a product or material: from a GB spec pack, a JSON file, or empty. */
export function CreateSpecModal({
  subject,
  opened,
  onClose,
}: {
  subject: SpecSubject;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={t('createSpec.title', { code: subject.code })}>
      {opened ? <CreateSpecForm subject={subject} onClose={onClose} /> : null}
    </Modal>
  );
}

function CreateSpecForm({ subject, onClose }: { subject: SpecSubject; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const qc = useQueryClient();
  const packsQ = useCall('specs.packs', {});
  const packs = (packsQ.data ?? [])
    .filter((p) => p.subjectKind === subject.kind)
    .sort((a, b) => Number(b.appliesTo === subject.appliesTo) - Number(a.appliesTo === subject.appliesTo));
  const [from, setFrom] = useState<From>('pack');
  const [packId, setPackId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [json, setJson] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const create = useMutationCall('specs.create');
  const chosenPack = packId ?? packs.find((p) => p.appliesTo === subject.appliesTo)?.id ?? null;

  // The code's format is the channel's schema's (zod.code_format); the screen only asks for each field.
  const form = useContractForm('specs.create', {
    toInput: (v: { code: string; titleZh: string; titleEn: string }) => ({
      subjectKind: subject.kind,
      subjectId: subject.id,
      code: v.code,
      titleZh: v.titleZh,
      titleEn: v.titleEn,
    }),
    initialValues: {
      code: `SPEC-${subject.code}`.slice(0, 40),
      titleZh: `${subject.nameZh} 产品规格`,
      titleEn: `${subject.nameEn} specification`,
    },
    validate: {
      code: (v) => validateRequired(t, v),
      titleZh: (v) => validateRequired(t, v),
      titleEn: (v) => validateRequired(t, v),
    },
  });

  const readFile = async (f: File | null) => {
    setFile(f);
    setJson(null);
    setFileError(null);
    if (!f) return;
    try {
      setJson(await f.text());
    } catch {
      setFileError(t('createSpec.fileUnreadable'));
    }
  };

  const submit = form.onSubmit((v) => {
    const source =
      from === 'pack'
        ? chosenPack
          ? ({ kind: 'pack', packId: chosenPack } as const)
          : null
        : from === 'document'
          ? json
            ? ({ kind: 'document', json } as const)
            : null
          : ({ kind: 'empty' } as const);
    if (!source) {
      if (from === 'document') setFileError(t('validation.required'));
      return;
    }
    create.mutate(
      {
        subjectKind: subject.kind,
        subjectId: subject.id,
        code: v.code.trim(),
        titleZh: v.titleZh.trim(),
        titleEn: v.titleEn.trim(),
        from: source,
      },
      {
        onSuccess: (view) => {
          notifications.show({ color: 'green', message: t('createSpec.created', { code: view.specCode }) });
          // The editor opens on the view just returned (no second round trip for the same 50-odd items).
          qc.setQueryData(callKey('specs.get', { versionId: view.id }), view);
          void qc.invalidateQueries({ queryKey: ['specs.list'] });
          onClose();
          navigate(`/specs/version/${view.id}`);
        },
        onError: (e) => form.setErrors(fieldErrors(t, e)),
      },
    );
  });

  // A bad file: the server lists each problem with its path (nothing was imported).
  const issues =
    create.error instanceof ApiError && Array.isArray(create.error.error.details?.['issues'])
      ? (create.error.error.details['issues'] as Array<{ path?: unknown; message?: unknown }>)
      : [];

  return (
    <form noValidate onSubmit={submit} data-testid="create-spec-form">
      <Stack>
        <TextInput
          label={t('createSpec.code')}
          description={t('createSpec.codeHelp')}
          withAsterisk
          data-testid="create-spec-code"
          {...form.getInputProps('code')}
        />
        <SimpleGrid cols={2}>
          <TextInput
            label={t('createSpec.titleZh')}
            withAsterisk
            data-testid="create-spec-title-zh"
            {...form.getInputProps('titleZh')}
          />
          <TextInput
            label={t('createSpec.titleEn')}
            withAsterisk
            data-testid="create-spec-title-en"
            {...form.getInputProps('titleEn')}
          />
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('createSpec.from')}
          </Text>
          <SegmentedControl
            value={from}
            onChange={(v) => setFrom(v as From)}
            data-testid="create-spec-from"
            data={[
              { value: 'pack', label: t('createSpec.fromPack') },
              { value: 'document', label: t('createSpec.fromDocument') },
              { value: 'empty', label: t('createSpec.fromEmpty') },
            ]}
          />
        </Stack>
        {from === 'pack' ? (
          packs.length === 0 ? (
            <Alert color="gray" variant="light">
              {packsQ.isPending ? t('common.loading') : t('createSpec.noPacks')}
            </Alert>
          ) : (
            <Radio.Group value={chosenPack} onChange={setPackId}>
              <Stack gap="xs">
                {packs.map((p) => {
                  const unverified = p.byVerification['unverified'] ?? 0;
                  const missing = p.byVerification['missing'] ?? 0;
                  return (
                    <Radio.Card key={p.id} value={p.id} p="sm" radius="md" data-testid={`pack-${p.id}`}>
                      <Group wrap="nowrap" align="flex-start">
                        <Radio.Indicator />
                        <Stack gap={4} style={{ flex: 1 }}>
                          <Group gap="xs">
                            <Text fw={600}>{zh ? p.titleZh : p.titleEn}</Text>
                            {p.standard ? (
                              <Badge variant="light" tt="none" color="indigo">
                                {p.standard}
                              </Badge>
                            ) : null}
                            {p.appliesTo === subject.appliesTo ? (
                              <Badge variant="outline" tt="none" color="teal" size="sm">
                                {t('createSpec.packSuggested')}
                              </Badge>
                            ) : null}
                          </Group>
                          <Group gap="xs">
                            <Text size="sm">{t('createSpec.packItems', { count: p.items })}</Text>
                            {unverified + missing > 0 ? (
                              <Text size="sm" c="orange.8" data-testid={`pack-flagged-${p.id}`}>
                                {t('createSpec.packFlagged', { unverified, missing })}
                              </Text>
                            ) : (
                              <Text size="sm" c="green.8">
                                {t('createSpec.packAllVerified')}
                              </Text>
                            )}
                          </Group>
                        </Stack>
                      </Group>
                    </Radio.Card>
                  );
                })}
              </Stack>
            </Radio.Group>
          )
        ) : null}
        {from === 'document' ? (
          <FileInput
            label={t('createSpec.file')}
            description={t('createSpec.fileHelp')}
            accept="application/json,.json"
            value={file}
            onChange={(f) => void readFile(f)}
            error={fileError}
            clearable
            data-testid="create-spec-file"
          />
        ) : null}
        {from === 'document' && file && json ? (
          <Text size="xs" c="dimmed">
            {t('createSpec.fileRead', { name: file.name, size: file.size })}
          </Text>
        ) : null}
        <ErrorAlert error={create.error} testId="create-spec-error" />
        {issues.length > 0 ? (
          <Stack gap={4} data-testid="create-spec-issues">
            <Text size="sm" fw={600}>
              {t('createSpec.issues')}
            </Text>
            <List size="sm">
              {issues.slice(0, 30).map((i, n) => (
                <List.Item key={n}>
                  <code>{String(i.path ?? '') || '—'}</code>: {String(i.message ?? '')}
                </List.Item>
              ))}
            </List>
          </Stack>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="create-spec-submit">
            {t('createSpec.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
