import { useEffect, useState } from 'react';
import { Box, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DrillView } from '../../../../shared/contract/channels/recall';
import { formatClock, formatTarget } from './drills-format';

/**
 * The drill's clock, big enough to read across the room: elapsed against the target (4 h by
 * default, BRCGS Issue 9 §3.9.3). While the drill is open it counts every second from the
 * server's elapsed time at the last fetch; a completed drill shows its frozen time.
 */
export function DrillClock({ drill, fetchedAt }: { drill: DrillView; fetchedAt: number }) {
  const { t } = useTranslation();
  const running = drill.status === 'open';
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  const elapsed = running ? drill.elapsedMs + Math.max(0, now - fetchedAt) : drill.elapsedMs;
  const targetMs = drill.targetMinutes * 60_000;
  const share = elapsed / targetMs;
  const over = elapsed > targetMs;
  const color = over ? 'red' : share > 0.75 ? 'orange' : running ? 'teal' : 'green';
  return (
    <Stack
      gap={4}
      miw={300}
      data-testid="drill-clock"
      data-running={String(running)}
      data-over={String(over)}
      data-elapsed-ms={elapsed}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {running ? t('drills.clock.running') : t('drills.clock.frozen')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('drills.clock.target', { target: formatTarget(t, drill.targetMinutes) })}
        </Text>
      </Group>
      <Box px="md" py={6} bg={`${color}.7`} style={{ borderRadius: 'var(--mantine-radius-md)', textAlign: 'center' }}>
        <Text
          c="white"
          fw={800}
          fz={52}
          lh={1.1}
          ff="monospace"
          style={{ fontVariantNumeric: 'tabular-nums', letterSpacing: 1 }}
          data-testid="drill-clock-time"
        >
          {formatClock(elapsed)}
        </Text>
      </Box>
      <Progress value={Math.min(100, share * 100)} color={color} size="sm" radius="xl" />
      <Text
        size="xs"
        ta="right"
        c={over ? 'red.8' : 'dimmed'}
        fw={over ? 700 : undefined}
        data-testid="drill-clock-note"
      >
        {over
          ? t('drills.clock.over', { time: formatClock(elapsed - targetMs) })
          : running
            ? t('drills.clock.left', { time: formatClock(targetMs - elapsed) })
            : t('drills.clock.within')}
      </Text>
    </Stack>
  );
}
