import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  FileInput,
  Group,
  Image,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { COMPANY_STAMP_MAX_BYTES } from '../../../../shared/contract';
import { fieldErrors } from '../../core/api/errors';
import { callKey, useCall, useMutationCall } from '../../core/api/hooks';
import { hasPermission, useSession } from '../../core/session';
import { useContractForm } from '../../ui/contract-form';
import { ErrorAlert } from '../../ui/error-alert';
import { fileToBase64 } from '../../ui/form-errors';
import { formatTime } from '../../ui/format';

interface Values {
  name: string;
  nameEn: string;
  scNumber: string;
  address: string;
  reason: string;
  stamp: File | null;
  removeStamp: boolean;
}

const mimes = ['image/png', 'image/jpeg'] as const;
type StampMime = (typeof mimes)[number];
const isStampMime = (m: string): m is StampMime => (mimes as readonly string[]).includes(m);

/**
 * 企业信息: the company the plant's documents name (issue 22 §3): 企业名称, the 食品生产许可证
 * SC number, the address and an optional stamp image. The form validates with the channel's
 * own schema (site.company.set); main checks the image's bytes again and records the change
 * with the reason.
 */
export function CompanyTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const canEdit = hasPermission(session, 'settings.manage') && !session.readOnly;
  const company = useCall('site.company.get', {});
  const save = useMutationCall('site.company.set');
  /** The chosen stamp file read as a data URL, kept with the file it shows. */
  const [chosen, setChosen] = useState<{ file: File; url: string } | null>(null);
  const form = useContractForm<'site.company.set', Values>('site.company.set', {
    initialValues: { name: '', nameEn: '', scNumber: '', address: '', reason: '', stamp: null, removeStamp: false },
    toInput: (v) => ({
      name: v.name,
      nameEn: v.nameEn || null,
      scNumber: v.scNumber,
      address: v.address,
      reason: v.reason,
    }),
    validate: {
      stamp: (f: File | null) =>
        !f
          ? null
          : !isStampMime(f.type)
            ? t('company.stampType')
            : f.size > COMPANY_STAMP_MAX_BYTES
              ? t('zod.stamp_too_large')
              : null,
    },
  });

  const { setValues, resetDirty } = form;
  useEffect(() => {
    const c = company.data;
    if (c) {
      setValues({
        name: c.name,
        nameEn: c.nameEn ?? '',
        scNumber: c.scNumber,
        address: c.address,
        reason: '',
        stamp: null,
        removeStamp: false,
      });
      resetDirty();
    }
    // Only when the stored company changes, not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [company.data]);

  const stampFile = form.values.stamp;
  useEffect(() => {
    if (!stampFile) return;
    // Read in the background; the state is set from the reader's callback, never in the effect itself.
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === 'string') setChosen({ file: stampFile, url: reader.result });
    };
    reader.readAsDataURL(stampFile);
    return () => reader.abort();
  }, [stampFile]);
  const preview = stampFile && chosen?.file === stampFile ? chosen.url : null;

  const submit = form.onSubmit(async (v) => {
    let stampImage: { mime: StampMime; bytesBase64: string } | null | undefined;
    if (v.stamp && isStampMime(v.stamp.type))
      stampImage = { mime: v.stamp.type, bytesBase64: await fileToBase64(v.stamp) };
    else if (v.removeStamp) stampImage = null;
    save.mutate(
      {
        name: v.name.trim(),
        nameEn: v.nameEn.trim() ? v.nameEn.trim() : null,
        scNumber: v.scNumber.trim(),
        address: v.address.trim(),
        ...(stampImage !== undefined ? { stampImage } : {}),
        reason: v.reason.trim(),
      },
      {
        onSuccess: (c) => {
          qc.setQueryData(callKey('site.company.get', {}), c);
          notifications.show({ color: 'green', message: t('company.saved') });
        },
        onError: (e) => form.setErrors(fieldErrors(t, e)),
      },
    );
  });

  const current = company.data?.stampImage ?? null;
  const currentSrc = current ? `data:${current.mime};base64,${current.bytesBase64}` : null;
  return (
    <Paper withBorder p="md" maw={760}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('company.intro')}
          </Text>
          <ErrorAlert error={company.error} />
          {company.data === null ? (
            <Alert color="yellow" data-testid="company-none">
              {t('company.none')}
            </Alert>
          ) : null}
          {company.data ? (
            <Text size="xs" c="dimmed" data-testid="company-updated">
              {t('company.updated', { at: formatTime(company.data.updatedAt), by: company.data.updatedByName })}
            </Text>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('company.name')}
              withAsterisk
              disabled={!canEdit}
              data-testid="company-name"
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('company.nameEn')}
              disabled={!canEdit}
              data-testid="company-nameEn"
              {...form.getInputProps('nameEn')}
            />
            <TextInput
              label={t('company.scNumber')}
              description={t('company.scNumberHelp')}
              placeholder="SC10664010012345"
              withAsterisk
              disabled={!canEdit}
              data-testid="company-scNumber"
              {...form.getInputProps('scNumber')}
            />
            <TextInput
              label={t('company.address')}
              withAsterisk
              disabled={!canEdit}
              data-testid="company-address"
              {...form.getInputProps('address')}
            />
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('company.stamp')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('company.stampHelp')}
            </Text>
            <Group align="flex-start">
              {preview || (currentSrc && !form.values.removeStamp) ? (
                <Image
                  src={preview ?? currentSrc}
                  alt={t('company.stamp')}
                  w={96}
                  h={96}
                  fit="contain"
                  data-testid="company-stamp-preview"
                />
              ) : null}
              <Stack gap={4}>
                {current && !form.values.stamp ? (
                  <Text size="xs" data-testid="company-stamp-current">
                    {form.values.removeStamp
                      ? t('company.stampWillRemove')
                      : t('company.stampCurrent', {
                          kb: Math.ceil(current.bytes / 1024),
                          sha: current.sha256.slice(0, 12),
                        })}
                  </Text>
                ) : !current && !form.values.stamp ? (
                  <Text size="xs" c="dimmed">
                    {t('company.stampNone')}
                  </Text>
                ) : null}
                {form.values.stamp ? (
                  <Text size="xs">
                    {t('company.stampNew', {
                      name: form.values.stamp.name,
                      kb: Math.ceil(form.values.stamp.size / 1024),
                    })}
                  </Text>
                ) : null}
              </Stack>
            </Group>
            {canEdit ? (
              <Group align="flex-end">
                <FileInput
                  placeholder={t('company.stampChoose')}
                  accept="image/png,image/jpeg"
                  clearable
                  w={280}
                  data-testid="company-stamp"
                  {...form.getInputProps('stamp')}
                  onChange={(f) => {
                    form.setFieldValue('stamp', f);
                    if (f) form.setFieldValue('removeStamp', false);
                  }}
                />
                {current && !form.values.stamp && !form.values.removeStamp ? (
                  <Button
                    variant="subtle"
                    color="red"
                    onClick={() => form.setFieldValue('removeStamp', true)}
                    data-testid="company-stamp-remove"
                  >
                    {t('company.stampRemove')}
                  </Button>
                ) : null}
              </Group>
            ) : null}
            {form.errors['stampImage'] ? (
              <Text size="xs" c="red" data-testid="company-stamp-error">
                {form.errors['stampImage']}
              </Text>
            ) : null}
          </Stack>
          {canEdit ? (
            <>
              <Textarea
                label={t('company.reason')}
                description={t('common.reasonHelp')}
                autosize
                minRows={2}
                withAsterisk
                data-testid="company-reason"
                {...form.getInputProps('reason')}
              />
              <ErrorAlert error={save.error} testId="company-error" />
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending} data-testid="company-save">
                  {t('company.save')}
                </Button>
              </Group>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('company.readOnly')}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
