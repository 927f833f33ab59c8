import { useState } from 'react';
import { Alert, Button, Checkbox, Code, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CenteredCard } from '../../ui/centered-card';

/** The one-time recovery code: shown once, acknowledged before anything else happens. */
export function RecoveryScreen({ code, onDone }: { code: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [ack, setAck] = useState(false);
  return (
    <CenteredCard title={t('setup.recoveryTitle')} width={560}>
      <Stack>
        <Alert color="orange" variant="light">
          <Text size="sm">{t('setup.recoveryIntro')}</Text>
        </Alert>
        <Code
          block
          data-testid="recovery-code"
          style={{
            fontSize: '1.5rem',
            letterSpacing: '0.12em',
            textAlign: 'center',
            userSelect: 'all',
            wordBreak: 'break-all',
          }}
        >
          {code}
        </Code>
        <List size="sm">
          <List.Item>{t('setup.recoverySteps')}</List.Item>
        </List>
        <Checkbox
          label={t('setup.recoveryAck')}
          checked={ack}
          onChange={(e) => setAck(e.currentTarget.checked)}
          data-testid="recovery-ack"
        />
        <Button disabled={!ack} onClick={onDone} data-testid="recovery-continue">
          {t('setup.recoveryContinue')}
        </Button>
      </Stack>
    </CenteredCard>
  );
}
