import type { ReactNode } from 'react';
import { Paper, Title } from '@mantine/core';

/** A card of the home page: a title and its content, outlined in red when it needs attention now. */
export function Card({
  title,
  testId,
  alert,
  children,
}: {
  title: string;
  testId: string;
  alert?: boolean;
  children: ReactNode;
}) {
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      data-testid={testId}
      style={alert ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Title order={4} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
