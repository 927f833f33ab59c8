import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SignatureMeaning } from '../../../shared/domain/roles';
import { errorMessage } from '../core/api/errors';
import { useSession } from '../core/session';

export interface SignatureValues {
  password: string;
  meaning: SignatureMeaning;
  /** Trimmed; undefined when left empty. */
  comment?: string;
}

export interface SignatureDialogProps {
  opened: boolean;
  onClose: () => void;
  /** What is being signed, as the signer should read it (record, id, version…). */
  summary: ReactNode;
  /** One fixed meaning, or several for the signer to choose from. */
  meanings: readonly SignatureMeaning[];
  /** Label of the comment field; the comment is optional unless `commentRequired`. */
  commentLabel?: string;
  commentDescription?: string;
  /** Minimum length of a required comment (e.g. an explanation that is a documented reason). */
  commentRequired?: boolean;
  /** Performs the signed call; a rejection (e.g. wrong_password) is shown and the dialog stays open. */
  onSign: (values: SignatureValues) => Promise<unknown>;
  /** Extra content above the signature block (e.g. what will change). */
  children?: ReactNode;
  /** Wider for dialogs that list what the signature reaches (e.g. a hold's forward lots). */
  size?: 'lg' | 'xl';
}

/**
 * The one signature dialog for every signed decision (21 CFR 11.50, 11.100, 11.200): it shows
 * what is signed, by whom and with which meaning, and asks for the password every time. The
 * password lives only in this component's state and is dropped when the dialog closes.
 */
export function SignatureDialog(props: SignatureDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('signature.title')} size={props.size ?? 'lg'} centered>
      {/* Mounted only while open, so closing discards the password and any error. */}
      {props.opened ? <SignatureForm {...props} /> : null}
    </Modal>
  );
}

function SignatureForm({
  onClose,
  summary,
  meanings,
  commentLabel,
  commentDescription,
  commentRequired,
  onSign,
  children,
}: SignatureDialogProps) {
  const { t } = useTranslation();
  const session = useSession();
  const [meaning, setMeaning] = useState<SignatureMeaning | null>(meanings.length === 1 ? (meanings[0] ?? null) : null);
  const [comment, setComment] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);

  const commentError = commentRequired && touched && comment.trim().length < 3 ? t('validation.reasonRequired') : null;

  const submit = async () => {
    setTouched(true);
    if (!meaning || !password || (commentRequired && comment.trim().length < 3)) return;
    setBusy(true);
    setError(null);
    try {
      const trimmed = comment.trim();
      await onSign({ password, meaning, ...(trimmed ? { comment: trimmed } : {}) });
      setPassword('');
      onClose();
    } catch (e) {
      setPassword('');
      setTouched(false);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="signature-dialog"
    >
      <Stack>
        <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
          <Text size="xs" c="dimmed">
            {t('signature.signing')}
          </Text>
          <div data-testid="signature-summary">{summary}</div>
        </Paper>
        {children}
        <Group grow align="flex-start">
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('signature.signer')}
            </Text>
            <Text fw={600} data-testid="signature-signer">
              {session.printedName} ({session.userId})
            </Text>
          </Stack>
          {meanings.length === 1 ? (
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t('signature.meaning')}
              </Text>
              <Text fw={600} data-testid="signature-meaning">
                {t(`meanings.${meanings[0]}`)}
              </Text>
            </Stack>
          ) : (
            <Select
              label={t('signature.meaning')}
              data={meanings.map((m) => ({ value: m, label: t(`meanings.${m}`) }))}
              value={meaning}
              onChange={(v) => setMeaning(v as SignatureMeaning | null)}
              error={touched && !meaning ? t('validation.required') : null}
              data-testid="signature-meaning"
            />
          )}
        </Group>
        <Textarea
          label={commentLabel ?? t('signature.comment')}
          description={commentDescription}
          autosize
          minRows={2}
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={commentError}
          required={commentRequired}
          data-testid="signature-comment"
        />
        <PasswordInput
          label={t('signature.password')}
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={touched && !password ? t('validation.required') : null}
          data-testid="signature-password"
          data-autofocus
        />
        <Alert color="blue" variant="light" p="xs">
          <Text size="sm" data-testid="signature-legal">
            {t('signature.legal')}
          </Text>
        </Alert>
        {error ? (
          <Alert color="red" variant="light" role="alert" data-testid="signature-error">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="signature-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="signature-submit">
            {t('signature.sign')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
