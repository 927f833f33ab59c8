import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../shared/contract';
import { href } from '../core/router';

/**
 * What a scanned or typed code that LotSeal does not know means, and what the person can do
 * about it (issue 22 §2): production records the receipt or starts the batch, or imports
 * from the ERP; the lab cannot create lots and is told who does; anyone may check the label.
 */
export function UnknownCodeHint({
  code,
  session,
  testId = 'unknown-code',
}: {
  code: string;
  session: SessionView;
  testId?: string;
}) {
  const { t } = useTranslation();
  const may = (p: string) => session.permissions.includes(p) && !session.readOnly;
  const actions: Array<{ key: string; to: string }> = [];
  if (may('lots.record')) {
    actions.push({ key: 'receive', to: href('/receiving', { form: 'delivery' }) });
    actions.push({ key: 'batch', to: href('/batches') });
  }
  if (may('erp.import')) actions.push({ key: 'import', to: href('/import') });
  const who = may('lots.record') ? 'production' : may('samples.register') ? 'lab' : 'other';
  return (
    <Stack gap={4} data-testid={testId} data-code={code}>
      <Text size="sm" fw={600}>
        {t('emptyStates.scan.unknown', { code })}
      </Text>
      <Text size="sm">{t(`emptyStates.scan.hint.${who}`)}</Text>
      {actions.length > 0 ? (
        <Group gap="md">
          {actions.map((a) => (
            <Anchor key={a.key} href={a.to} size="sm" data-testid={`${testId}-${a.key}`}>
              {t(`emptyStates.scan.action.${a.key}`)}
            </Anchor>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}
