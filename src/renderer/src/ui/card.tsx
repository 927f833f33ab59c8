import type { ReactNode } from 'react';
import { Group, Paper, Title } from '@mantine/core';

/** How loudly a card asks for attention: red now, orange/yellow soon, green ready to act on. */
export type CardTone = 'red' | 'orange' | 'yellow' | 'green';

const border: Record<CardTone, string> = {
  red: 'var(--mantine-color-red-5)',
  orange: 'var(--mantine-color-orange-5)',
  yellow: 'var(--mantine-color-yellow-6)',
  green: 'var(--mantine-color-green-6)',
};

/**
 * A card of the home page (and of the other overviews): a title and its content, outlined in
 * red when it needs attention now (`alert`), or in the colour of `tone`. `urgent` is for what
 * concerns everyone at once (a real recall): a tinted background and a heavier outline.
 */
export function Card({
  title,
  testId,
  alert,
  tone,
  urgent,
  badge,
  data,
  children,
}: {
  title: string;
  testId: string;
  alert?: boolean;
  tone?: CardTone | undefined;
  urgent?: boolean;
  /** Shown before the title (e.g. a 召回 badge). */
  badge?: ReactNode;
  /** Extra data-* attributes for tests and tools (`{ ready: 2 }` → data-ready="2"). */
  data?: Record<string, string | number>;
  children: ReactNode;
}) {
  const colour = tone ?? (alert || urgent ? 'red' : undefined);
  const attrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      data-testid={testId}
      bg={urgent ? 'red.0' : undefined}
      style={colour ? { borderColor: border[colour], borderWidth: urgent ? 2 : undefined } : undefined}
      {...attrs}
    >
      {badge ? (
        <Group gap="xs" mb="xs" wrap="nowrap">
          {badge}
          <Title order={4} c={urgent ? 'red.8' : undefined}>
            {title}
          </Title>
        </Group>
      ) : (
        <Title order={4} mb="xs" c={urgent ? 'red.8' : undefined}>
          {title}
        </Title>
      )}
      {children}
    </Paper>
  );
}
