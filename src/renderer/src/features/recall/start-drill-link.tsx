import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';

/** "Start recall drill from this lot" (QA managers): opens the start dialog with the lot filled in. */
export function StartDrillFromLot({ lot }: { lot: string }) {
  const { t } = useTranslation();
  const session = useSession();
  if (!hasPermission(session, 'lots.decide') || session.readOnly) return null;
  return (
    <Button
      component="a"
      href={href('/drills', { start: 'drill', lot })}
      size="xs"
      variant="light"
      color="indigo"
      data-testid="trace-start-drill"
    >
      {t('drills.fromTrace')}
    </Button>
  );
}
