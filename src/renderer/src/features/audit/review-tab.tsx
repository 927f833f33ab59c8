import { useState } from 'react';
import { Alert, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { useLedgerStatus } from '../../core/ledger-status';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { signatureTime } from '../../ui/format';

/** Periodic audit-trail review by a QA manager, signed `audit_reviewed` through an entry. */
export function ReviewTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const ledger = useLedgerStatus();
  const reviews = useCall('audit.reviews', {});
  const [open, setOpen] = useState(false);
  // Fixed when the dialog opens, so the signer signs exactly what the summary shows.
  const [through, setThrough] = useState(0);
  const head = ledger.data?.headSeq ?? 0;
  const canReview = hasPermission(session, 'audit.review') && !session.readOnly;

  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack>
          <Text size="sm">{t('review.intro')}</Text>
          {canReview ? (
            <Button
              w="fit-content"
              disabled={head < 1}
              onClick={() => {
                setThrough(head);
                setOpen(true);
              }}
              data-testid="audit-review-open"
            >
              {t('review.markReviewed', { seq: head })}
            </Button>
          ) : (
            <Alert color="gray" variant="light">
              {t('review.notAllowed')}
            </Alert>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          {t('review.previous')}
        </Title>
        <ErrorAlert error={reviews.error} />
        {reviews.data && reviews.data.length === 0 ? <Text c="dimmed">{t('review.none')}</Text> : null}
        {reviews.data && reviews.data.length > 0 ? (
          <Table striped withTableBorder data-testid="reviews-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('review.through')}</Table.Th>
                <Table.Th>{t('verify.signedBy')}</Table.Th>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('review.comment')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reviews.data.map((r) =>
                (r.signatures.length ? r.signatures : [null]).map((s, i) => (
                  <Table.Tr key={`${r.id}-${i}`}>
                    <Table.Td>#{r.throughSeq}</Table.Td>
                    <Table.Td>{s ? `${s.printedName} (${s.userId})` : '—'}</Table.Td>
                    <Table.Td>{s ? signatureTime(s) : '—'}</Table.Td>
                    <Table.Td>{s?.comment ?? '—'}</Table.Td>
                  </Table.Tr>
                )),
              )}
            </Table.Tbody>
          </Table>
        ) : null}
      </Paper>
      <SignatureDialog
        opened={open}
        onClose={() => setOpen(false)}
        meanings={['audit_reviewed']}
        commentLabel={t('review.comment')}
        commentDescription={t('review.commentHelp')}
        commentRequired
        summary={<Text fw={600}>{t('review.summary', { seq: through })}</Text>}
        onSign={async ({ password, meaning, comment }) => {
          const text = comment ?? '';
          await call('audit.review', {
            throughSeq: through,
            filter: {},
            comment: text,
            signature: { password, meaning, comment: text },
          });
          notifications.show({ color: 'green', message: t('review.done', { seq: through }) });
          void qc.invalidateQueries({ queryKey: ['audit.reviews'] });
        }}
      />
    </Stack>
  );
}
