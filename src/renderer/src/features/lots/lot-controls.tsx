import { Alert, Anchor, Badge, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LotView } from '../../../../shared/contract/channels/lots';
import { href } from '../../core/router';

/**
 * What stops a lot (issue 19 §2, §9): under a hold, under an open recall, or its status no
 * longer backed by a valid signed decision. Badges beside the status; the reasons spelled out
 * below the title, since nothing of such a lot can be shipped or used.
 */
export function LotControlBadges({ lot }: { lot: LotView }) {
  const { t } = useTranslation();
  const standing = lot.decision?.standing;
  return (
    <>
      {lot.held ? (
        <Badge color="orange" variant="filled" size="lg" tt="none" data-testid="lot-held">
          {t('lotControls.held')}
        </Badge>
      ) : null}
      {(lot.recalls ?? []).length > 0 ? (
        <Badge color="red" variant="filled" size="lg" tt="none" data-testid="lot-recalled">
          {t('lotControls.recalled')}
        </Badge>
      ) : null}
      {standing === 'broken' || standing === 'unsigned' ? (
        <Badge color="red" variant="outline" size="lg" tt="none" data-testid="lot-signature-broken">
          {t(`lotControls.standing.${standing}`)}
        </Badge>
      ) : null}
      {standing === 'history' ? (
        <Badge color="gray" variant="light" size="lg" tt="none" data-testid="lot-history">
          {t('lotControls.standing.history')}
        </Badge>
      ) : null}
    </>
  );
}

export function LotStops({ lot }: { lot: LotView }) {
  const { t } = useTranslation();
  const standing = lot.decision?.standing;
  const recalls = lot.recalls ?? [];
  if (!lot.held && recalls.length === 0 && standing !== 'broken' && standing !== 'unsigned') return null;
  return (
    <Stack gap={4} data-testid="lot-stops">
      {recalls.length > 0 ? (
        <Alert color="red" variant="light" p="xs" data-testid="lot-stop-recall">
          {t('lotControls.recallText')}{' '}
          {recalls.map((r, i) => (
            <Anchor key={r} href={href(`/drills/${encodeURIComponent(r)}`)} ff="monospace" fw={700}>
              {i ? ', ' : ''}
              {r}
            </Anchor>
          ))}
        </Alert>
      ) : null}
      {lot.held ? (
        <Alert color="orange" variant="light" p="xs" data-testid="lot-stop-held">
          {t('lotControls.heldText')}
        </Alert>
      ) : null}
      {standing === 'broken' || standing === 'unsigned' ? (
        <Alert color="red" variant="light" p="xs" data-testid="lot-stop-signature">
          {standing === 'broken'
            ? t('lotControls.brokenText', {
                meaning: lot.decision?.meaning ? t(`meanings.${lot.decision.meaning}`) : '',
                by: lot.decision?.signedBy ?? '',
              })
            : t('lotControls.unsignedText')}
        </Alert>
      ) : null}
    </Stack>
  );
}
