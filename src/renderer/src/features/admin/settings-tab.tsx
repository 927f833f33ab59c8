import { useEffect, useState } from 'react';
import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../shared/contract';
import { signedSettingChanges, type SignedSetting } from '../../../../shared/contract/channels/identity';
import { SignatureDialog, type SignatureValues } from '../../ui/signature-dialog';
import { fieldErrors } from '../../core/api/errors';
import { callKey, useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { hasPermission, useSession } from '../../core/session';
import { validateReason } from '../../ui/validators';

const numberFields = [
  ['idleTimeoutMinutes', 1, 240],
  ['passwordExpiryDays', 0, 3650],
  ['clockSkewMinutes', 0, 1440],
  ['verifyEveryHours', 1, 168],
  ['backupEveryHours', 1, 168],
] as const;

export function SettingsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const canEdit = hasPermission(session, 'settings.manage') && !session.readOnly;
  const settings = useCall('settings.get', {});
  const update = useMutationCall('settings.update');
  const form = useForm<Settings & { reason: string }>({
    initialValues: {
      idleTimeoutMinutes: 15,
      passwordExpiryDays: 90,
      clockSkewMinutes: 5,
      verifyEveryHours: 24,
      backupFolder: null,
      backupEveryHours: 24,
      reason: '',
    },
    validate: {
      ...Object.fromEntries(
        numberFields.map(([k, min, max]) => [
          k,
          (v: unknown) =>
            typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
              ? null
              : t('validation.number', { min, max }),
        ]),
      ),
      reason: (v: string) => validateReason(t, v),
      goLiveDate: (v: unknown) =>
        v === null || v === undefined || v === '' || /^\d{4}-\d{2}-\d{2}$/.test(String(v).trim())
          ? null
          : t('zod.date_format'),
      envAlertNegativeSwabs: (v: unknown) =>
        v === undefined || v === '' || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10)
          ? null
          : t('validation.number', { min: 1, max: 10 }),
    },
  });

  const { setValues, resetDirty } = form;
  useEffect(() => {
    if (settings.data) {
      setValues({ ...settings.data, reason: '' });
      resetDirty();
    }
    // Only when the server's settings change, not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.data]);

  // A change of what a release requires is signed by the administrator (D-112): the change waits here.
  const [toSign, setToSign] = useState<{ settings: Settings; reason: string; fields: SignedSetting[] } | null>(null);
  const save = (payload: { settings: Settings; reason: string }, signature?: SignatureValues) =>
    update.mutateAsync(
      { ...payload, ...(signature ? { signature } : {}) },
      {
        onSuccess: (s) => {
          qc.setQueryData(callKey('settings.get', {}), s);
          notifications.show({ color: 'green', message: t('settings.saved') });
          void qc.invalidateQueries({ queryKey: ['auth.session'] });
        },
        onError: (e) => {
          const errs = fieldErrors(t, e);
          form.setErrors(errs);
        },
      },
    );
  const submit = form.onSubmit(({ reason, ...values }) => {
    const payload = {
      settings: {
        ...values,
        backupFolder: values.backupFolder?.trim() ? values.backupFolder.trim() : null,
        // Empty: the database's creation date (issue 19 §1); a later date is refused over live lots.
        goLiveDate: values.goLiveDate?.trim() ? values.goLiveDate.trim() : null,
        ...(typeof values.envAlertNegativeSwabs === 'number'
          ? { envAlertNegativeSwabs: values.envAlertNegativeSwabs }
          : {}),
      },
      reason: reason.trim(),
    };
    const fields = settings.data ? signedSettingChanges(settings.data, { ...settings.data, ...payload.settings }) : [];
    if (fields.length > 0) setToSign({ ...payload, fields });
    else save(payload).catch(() => undefined);
  });
  const shown = (k: SignedSetting, s: Settings | undefined): string => {
    const v = s?.[k];
    if (k === 'goLiveDate') return typeof v === 'string' && v ? v : t('controlSettings.goLiveDefault');
    if (k === 'reviewersMayHold') return v ? t('common.yes') : t('common.no');
    return String(v ?? 3);
  };

  return (
    <Paper withBorder p="md" maw={760}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('settings.intro')}
          </Text>
          <ErrorAlert error={settings.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {numberFields.map(([k, min, max]) => (
              <NumberInput
                key={k}
                label={t(`settings.${k}`)}
                min={min}
                max={max}
                allowDecimal={false}
                disabled={!canEdit}
                data-testid={`settings-${k}`}
                {...form.getInputProps(k)}
              />
            ))}
            <TextInput
              label={t('settings.backupFolder')}
              disabled={!canEdit}
              data-testid="settings-backupFolder"
              {...form.getInputProps('backupFolder')}
              value={form.values.backupFolder ?? ''}
            />
            <TextInput
              label={t('controlSettings.goLiveDate')}
              description={t('controlSettings.goLiveDateHelp')}
              placeholder={t('words.datePlaceholder')}
              disabled={!canEdit}
              data-testid="settings-goLiveDate"
              {...form.getInputProps('goLiveDate')}
              value={form.values.goLiveDate ?? ''}
            />
            <NumberInput
              label={t('controlSettings.envAlertNegativeSwabs')}
              description={t('controlSettings.envAlertNegativeSwabsHelp')}
              min={1}
              max={10}
              allowDecimal={false}
              disabled={!canEdit}
              data-testid="settings-envAlertNegativeSwabs"
              {...form.getInputProps('envAlertNegativeSwabs')}
              value={form.values.envAlertNegativeSwabs ?? 3}
            />
          </SimpleGrid>
          {canEdit ? (
            <>
              <Textarea
                label={t('common.reason')}
                description={t('common.reasonHelp')}
                autosize
                minRows={2}
                withAsterisk
                data-testid="settings-reason"
                {...form.getInputProps('reason')}
              />
              <ErrorAlert error={update.error} testId="settings-error" />
              <Group justify="flex-end">
                <Button type="submit" loading={update.isPending} data-testid="settings-save">
                  {t('common.save')}
                </Button>
              </Group>
            </>
          ) : null}
        </Stack>
      </form>
      <SignatureDialog
        opened={toSign !== null}
        onClose={() => setToSign(null)}
        meanings={['approved']}
        summary={
          <Stack gap={4} data-testid="settings-sign-summary">
            <Text size="sm">{t('controlSettings.signIntro')}</Text>
            {toSign?.fields.map((k) => (
              <Text size="sm" key={k} data-testid={`settings-sign-${k}`}>
                {t(`controlSettings.signed.${k}`)}: {shown(k, settings.data)} → {shown(k, toSign.settings)}
              </Text>
            ))}
          </Stack>
        }
        onSign={async (sig) => {
          if (!toSign) return;
          await save({ settings: toSign.settings, reason: toSign.reason }, sig);
          setToSign(null);
        }}
      />
    </Paper>
  );
}
