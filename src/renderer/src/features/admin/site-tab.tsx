import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Modal,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { fingerprintGroups } from '../../../../shared/site/fingerprint';
import { call } from '../../core/api/client';
import { hasPermission, useSession } from '../../core/session';
import { useSiteLink } from '../../core/site-link';
import { ErrorAlert } from '../../ui/error-alert';

/** The fingerprint in the groups an administrator reads aloud and compares with IT's paper (D-107). */
function FingerprintGroups({ groups, testId }: { groups: string[]; testId: string }) {
  return (
    <SimpleGrid cols={8} spacing={6} verticalSpacing={4} maw={560} data-testid={testId}>
      {groups.map((g, i) => (
        <Text key={i} ff="monospace" fw={600} size="md" ta="center" bg="gray.1" style={{ borderRadius: 4 }}>
          {g}
        </Text>
      ))}
    </SimpleGrid>
  );
}

type Joined = ChannelOutput<'connection.join'>;

/**
 * Administration → Site server (issue 23, D-107): join this workstation to the lab's site
 * server (address, the certificate fingerprint as IT gave it, the administrator's own account
 * on the server), or leave it for this workstation's own database. The role check is in main
 * (`settings.manage`); this screen only offers what the person may do.
 */
export function SiteTab() {
  const { t } = useTranslation();
  const session = useSession();
  const view = useSiteLink();
  const canManage = hasPermission(session, 'settings.manage') && !session.readOnly;
  const [url, setUrl] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [user, setUser] = useState(session.userId);
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [joined, setJoined] = useState<Joined | null>(null);
  const [left, setLeft] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const groups = fingerprintGroups(fingerprint);
  const digits = fingerprint.replace(/[\s:]/g, '').length;

  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      setJoined(
        await call('connection.join', {
          url: url.trim(),
          fingerprint,
          user: user.trim(),
          password,
          ...(name.trim() ? { name: name.trim() } : {}),
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('connection.leave', { confirm: true });
      setLeft(true);
      setJoined(null);
      setConfirmLeave(false);
    } catch (e) {
      setError(e);
      setConfirmLeave(false);
    } finally {
      setBusy(false);
    }
  };

  const nextSteps = (
    <List size="sm" spacing={4}>
      <List.Item>{t('siteJoin.nextRestart')}</List.Item>
      <List.Item>{t('siteJoin.nextSignIn')}</List.Item>
      <List.Item>{t('siteJoin.nextLocal')}</List.Item>
      <List.Item>{t('siteJoin.nextBench')}</List.Item>
    </List>
  );

  if (left && view.mode === 'embedded')
    return (
      <Alert color="blue" variant="light" title={t('siteJoin.undoneTitle')} data-testid="site-left">
        <Text size="sm">{t('siteJoin.undone')}</Text>
      </Alert>
    );
  if (left)
    return (
      <Alert color="blue" variant="light" title={t('siteJoin.leftTitle')} data-testid="site-left">
        <List size="sm" spacing={4}>
          <List.Item>{t('siteJoin.leftRestart')}</List.Item>
          <List.Item>{t('siteJoin.leftLocal')}</List.Item>
        </List>
      </Alert>
    );

  if (joined)
    return (
      <Stack>
        <Alert
          color="green"
          variant="light"
          title={t('siteJoin.joinedTitle', { name: joined.server.name })}
          data-testid="site-joined"
        >
          <Stack gap="xs">
            <Text size="sm">
              {joined.enrolled
                ? t('siteJoin.enrolled', { host: joined.enrolled.host, fingerprint: joined.enrolled.fingerprint })
                : t('siteJoin.enrolledBefore')}
            </Text>
            <Text size="sm">{t('siteJoin.written', { file: joined.file })}</Text>
            <Title order={5}>{t('siteJoin.nextTitle')}</Title>
            {nextSteps}
          </Stack>
        </Alert>
        {canManage ? (
          <Group>
            <Button variant="subtle" color="gray" onClick={() => setConfirmLeave(true)} data-testid="site-undo">
              {t('siteJoin.undo')}
            </Button>
          </Group>
        ) : null}
        <LeaveModal
          opened={confirmLeave}
          busy={busy}
          onClose={() => setConfirmLeave(false)}
          onLeave={leave}
          queued={0}
        />
      </Stack>
    );

  if (view.mode === 'site') {
    const fp = fingerprintGroups(view.server.fingerprint);
    return (
      <Stack>
        <ErrorAlert error={error} testId="site-error" />
        <Paper withBorder p="md" data-testid="site-card">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={4}>{t('siteJoin.onServer', { name: view.server.name ?? view.server.host })}</Title>
              <Badge color={view.state === 'connected' ? 'green' : 'red'} variant="light" tt="none">
                {t(`siteLink.state.${view.state}`)}
              </Badge>
            </Group>
            <Text size="sm">
              {t('siteJoin.address')}: <code>{view.server.url}</code>
            </Text>
            <Text size="sm">{t('siteJoin.pinned')}</Text>
            {fp ? <FingerprintGroups groups={fp} testId="site-pinned-fingerprint" /> : null}
            <Text size="sm" c="dimmed">
              {t('siteJoin.queuedNow', { count: view.queued })}
            </Text>
            {canManage ? (
              <Group mt="xs">
                {/* Leaving must work while the server cannot be reached: never switched off by the offline theme. */}
                <Button
                  color="red"
                  variant="light"
                  disabled={false}
                  onClick={() => setConfirmLeave(true)}
                  data-testid="site-leave"
                >
                  {t('siteJoin.leave')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Paper>
        <LeaveModal
          opened={confirmLeave}
          busy={busy}
          onClose={() => setConfirmLeave(false)}
          onLeave={leave}
          queued={view.queued}
        />
      </Stack>
    );
  }

  return (
    <Stack maw={760}>
      <Paper withBorder p="md" data-testid="site-embedded">
        <Stack gap="xs">
          <Title order={4}>{t('siteJoin.embeddedTitle')}</Title>
          <Text size="sm">{t('siteJoin.embeddedHelp')}</Text>
        </Stack>
      </Paper>
      {canManage ? (
        <Paper withBorder p="md">
          <Stack>
            <Title order={4}>{t('siteJoin.joinTitle')}</Title>
            <Text size="sm">{t('siteJoin.joinHelp')}</Text>
            <TextInput
              label={t('siteJoin.url')}
              description={t('siteJoin.urlHelp')}
              placeholder="wss://lab-server:8443"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-testid="site-url"
              required
            />
            <TextInput
              label={t('siteJoin.fingerprint')}
              description={t('siteJoin.fingerprintHelp')}
              value={fingerprint}
              onChange={(e) => setFingerprint(e.currentTarget.value)}
              ff="monospace"
              data-testid="site-fingerprint"
              required
              error={fingerprint && !groups && digits >= 64 ? t('siteJoin.fingerprintBad') : undefined}
            />
            {groups ? (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('siteJoin.compare')}
                </Text>
                <FingerprintGroups groups={groups} testId="site-fingerprint-groups" />
              </Stack>
            ) : fingerprint ? (
              <Text size="sm" c="dimmed" data-testid="site-fingerprint-count">
                {t('siteJoin.fingerprintCount', { count: digits })}
              </Text>
            ) : null}
            <TextInput
              label={t('siteJoin.name')}
              description={t('siteJoin.nameHelp')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-testid="site-name"
            />
            <Group grow align="flex-start">
              <TextInput
                label={t('siteJoin.user')}
                description={t('siteJoin.userHelp')}
                value={user}
                onChange={(e) => setUser(e.currentTarget.value)}
                data-testid="site-user"
                required
              />
              <PasswordInput
                label={t('siteJoin.password')}
                description={t('siteJoin.passwordHelp')}
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                data-testid="site-password"
                required
              />
            </Group>
            <ErrorAlert error={error} testId="site-error" />
            <Group>
              <Button
                onClick={() => void join()}
                loading={busy}
                disabled={!url.trim() || !groups || !user.trim() || !password}
                data-testid="site-join"
              >
                {t('siteJoin.join')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}

function LeaveModal(props: {
  opened: boolean;
  busy: boolean;
  queued: number;
  onClose: () => void;
  onLeave: () => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('siteJoin.leaveTitle')} size="lg">
      <Stack>
        <List size="sm" spacing={4}>
          <List.Item>{t('siteJoin.leaveMeans')}</List.Item>
          <List.Item>{t('siteJoin.leaveRecords')}</List.Item>
          <List.Item>{t('siteJoin.leaveKey')}</List.Item>
          {props.queued > 0 ? <List.Item>{t('siteJoin.leaveQueued', { count: props.queued })}</List.Item> : null}
        </List>
        <Group justify="flex-end">
          <Button variant="default" disabled={false} onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            disabled={false}
            loading={props.busy}
            onClick={() => void props.onLeave()}
            data-testid="site-leave-confirm"
          >
            {t('siteJoin.leaveConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
