import { Anchor, Button, Group, Progress, Stack, Text, ThemeIcon } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { stepOwner } from '../../../../shared/rules/setup-guide';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { Card } from '../../ui/card';
import { ErrorAlert } from '../../ui/error-alert';
import { useSetupGuide } from './progress';

/**
 * The home page's "what next" while the plant is being set up: the administrator sees the
 * whole guide; anyone else only while a step that is theirs is still open (the QA manager's
 * products and specification, production's first lot). Gone once every step is done.
 */
export function SetupCard() {
  const { t } = useTranslation();
  const session = useSession();
  const guide = useSetupGuide();
  if (!guide.ready) return guide.error ? <ErrorAlert error={guide.error} /> : null;
  const admin = hasPermission(session, 'users.manage');
  const open = guide.steps.filter((s) => !s.done);
  const mineOpen = open.filter((s) => s.mine);
  if (open.length === 0 || (!admin && mineOpen.length === 0)) return null;
  const next = mineOpen.find((s) => !s.skipped) ?? mineOpen[0] ?? open[0]!;
  return (
    <Card title={t('guide.cardTitle')} testId="card-setup" tone="orange" data={{ done: guide.doneCount }}>
      <Stack gap="xs">
        <Group gap="sm" wrap="nowrap">
          <Progress value={(guide.doneCount / guide.steps.length) * 100} w={160} />
          <Text size="sm">{t('guide.progress', { done: guide.doneCount, total: guide.steps.length })}</Text>
        </Group>
        {guide.steps.map((s) => (
          <Group
            key={s.key}
            gap="xs"
            wrap="nowrap"
            data-testid={`card-setup-${s.key}`}
            data-state={s.done ? 'done' : s.skipped ? 'skipped' : 'open'}
          >
            <ThemeIcon
              size="xs"
              radius="xl"
              color={s.done ? 'green' : s.skipped ? 'gray' : 'orange'}
              variant={s.done ? 'filled' : 'light'}
            >
              {s.done ? '✓' : ''}
            </ThemeIcon>
            <Anchor href={href('/setup-guide', { step: s.key })} size="sm" c={s.done ? 'dimmed' : undefined}>
              {t(`guide.steps.${s.key}.title`)}
            </Anchor>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {s.mine ? t('guide.you') : t(`roles.${stepOwner[s.key]}`)}
              {s.skipped && !s.done ? ` · ${t('guide.state.skipped')}` : ''}
            </Text>
          </Group>
        ))}
        <Group>
          <Button component="a" href={href('/setup-guide', { step: next.key })} size="xs" data-testid="card-setup-open">
            {t('guide.continue', { step: t(`guide.steps.${next.key}.title`) })}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
