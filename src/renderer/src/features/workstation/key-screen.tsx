import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  Collapse,
  Divider,
  Loader,
  Modal,
  PasswordInput,
  Radio,
  Stack,
  Text,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';

/**
 * The desktop could not open this workstation's signing key (issue 24 §5, D-042). A dialog
 * that says why, in the person's language, and offers the documented recovery: the
 * passphrase of a passphrase-sealed key, or a new key for this workstation (the unopened one
 * is kept) that an administrator then registers. The main process starts the app as soon as
 * the key is open and reloads this window.
 */
export function KeyScreen() {
  const { t } = useTranslation();
  const status = useCall('hostKey.status', {}, { staleTime: 0 });
  const unlock = useMutationCall('hostKey.unlock');
  const replace = useMutationCall('hostKey.replace');
  const [passphrase, setPassphrase] = useState('');
  const [showReplace, setShowReplace] = useState(false);
  const [protection, setProtection] = useState<'os' | 'passphrase' | null>(null);
  const [next1, setNext1] = useState('');
  const [next2, setNext2] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const s = status.data;
  if (!s) {
    return (
      <Modal opened onClose={() => undefined} withCloseButton={false} centered title={t('desktop.key.title')}>
        {status.error ? <ErrorAlert error={status.error} testId="key-status-error" /> : <Loader size="sm" />}
      </Modal>
    );
  }
  const min = s.minPassphrase;
  const chosen = protection ?? (s.osProtection ? 'os' : 'passphrase');
  const passphraseSealed = s.reason === 'passphrase_required';
  const replaceOpen = showReplace || !passphraseSealed;
  const newPassError =
    chosen === 'passphrase' && next1.length > 0 && next1.length < min
      ? t('desktop.key.minLength', { min })
      : chosen === 'passphrase' && next2.length > 0 && next1 !== next2
        ? t('desktop.key.mismatch')
        : null;
  const canReplace = confirmed && (chosen === 'os' ? s.osProtection : next1.length >= min && next1 === next2);

  return (
    <Modal
      opened
      onClose={() => undefined}
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      centered
      size="lg"
      title={t('desktop.key.title')}
      data-testid="key-dialog"
    >
      <Stack gap="sm">
        <Text size="sm" data-testid="key-reason" data-reason={s.reason ?? ''}>
          {s.reason ? t(`desktop.key.reasons.${s.reason}`) : null}
        </Text>
        <Alert color="orange" variant="light" p="xs">
          <Text size="sm">{t('desktop.key.nothingRecorded')}</Text>
        </Alert>

        {passphraseSealed ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              unlock.mutate({ passphrase }, { onSuccess: () => setPassphrase('') });
            }}
          >
            <Stack gap="xs">
              <PasswordInput
                label={t('desktop.key.passphrase')}
                value={passphrase}
                onChange={(e) => setPassphrase(e.currentTarget.value)}
                autoComplete="off"
                data-autofocus
                data-testid="key-passphrase"
              />
              <ErrorAlert error={unlock.error} testId="key-unlock-error" />
              <Button
                type="submit"
                loading={unlock.isPending}
                disabled={passphrase.length === 0}
                data-testid="key-unlock"
              >
                {t('desktop.key.unlock')}
              </Button>
            </Stack>
          </form>
        ) : null}

        {passphraseSealed ? (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => setShowReplace((v) => !v)}
            data-testid="key-forgot"
          >
            {t('desktop.key.forgot')}
          </Anchor>
        ) : null}

        <Collapse expanded={replaceOpen}>
          <Stack gap="xs">
            <Divider label={t('desktop.key.replaceTitle')} labelPosition="left" />
            <Text size="sm">{t('desktop.key.replaceIntro')}</Text>
            <Radio.Group value={chosen} onChange={(v) => setProtection(v as 'os' | 'passphrase')}>
              <Stack gap={4}>
                <Radio
                  value="os"
                  disabled={!s.osProtection}
                  label={t('desktop.key.protectionOs')}
                  description={s.osProtection ? undefined : t('desktop.key.osUnavailable')}
                  data-testid="key-protection-os"
                />
                <Radio
                  value="passphrase"
                  label={t('desktop.key.protectionPassphrase')}
                  data-testid="key-protection-passphrase"
                />
              </Stack>
            </Radio.Group>
            {chosen === 'passphrase' ? (
              <>
                <PasswordInput
                  label={t('desktop.key.newPassphrase')}
                  description={t('desktop.key.minLength', { min })}
                  value={next1}
                  onChange={(e) => setNext1(e.currentTarget.value)}
                  autoComplete="new-password"
                  data-testid="key-new-passphrase"
                />
                <PasswordInput
                  label={t('desktop.key.repeatPassphrase')}
                  value={next2}
                  onChange={(e) => setNext2(e.currentTarget.value)}
                  error={newPassError}
                  autoComplete="new-password"
                  data-testid="key-new-passphrase2"
                />
              </>
            ) : null}
            <Checkbox
              checked={confirmed}
              onChange={(e) => setConfirmed(e.currentTarget.checked)}
              label={t('desktop.key.confirm')}
              data-testid="key-confirm"
            />
            <ErrorAlert error={replace.error} testId="key-replace-error" />
            {replace.data ? (
              <Alert color="green" variant="light" data-testid="key-replaced">
                <Text size="sm">
                  {t('desktop.key.replaced', {
                    fingerprint: replace.data.fingerprint.slice(0, 16),
                    file: replace.data.keptAs ?? '—',
                  })}
                </Text>
                <Text size="sm">{t('desktop.key.adminNext')}</Text>
              </Alert>
            ) : (
              <Button
                color="orange"
                variant="light"
                disabled={!canReplace}
                loading={replace.isPending}
                onClick={() =>
                  replace.mutate({
                    protection: chosen,
                    ...(chosen === 'passphrase' ? { passphrase: next1 } : {}),
                    confirm: true,
                  })
                }
                data-testid="key-replace"
              >
                {t('desktop.key.replace')}
              </Button>
            )}
          </Stack>
        </Collapse>

        <Divider label={t('desktop.key.details')} labelPosition="left" />
        <Text size="xs" c="dimmed">
          {t('desktop.key.dataDir')}: <Code>{s.dataDir}</Code>
        </Text>
        {s.logFile ? (
          <Text size="xs" c="dimmed">
            {t('desktop.key.logFile')}: <Code>{s.logFile}</Code>
          </Text>
        ) : null}
        {s.detail ? (
          <Text size="xs" c="dimmed" data-testid="key-detail">
            {s.detail}
          </Text>
        ) : null}
      </Stack>
    </Modal>
  );
}
