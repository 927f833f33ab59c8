import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../core/session';
import { homeCards } from './cards';
import { WaitingSummary } from './waiting';

export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const cards = homeCards.filter((c) => c.show(session));
  return (
    <Stack data-testid="home">
      <div>
        <Title order={2}>{t('home.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('home.intro')}
        </Text>
      </div>
      <WaitingSummary />
      {cards.length === 0 ? <Text>{t('home.nothing')}</Text> : null}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {cards.map(({ key, Component }) => (
          <Component key={key} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
