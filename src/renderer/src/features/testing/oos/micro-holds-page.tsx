import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { microHoldViewSchema } from '../../../../../shared/contract/channels/testing';
import { call } from '../../../core/api/client';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { navigate, useRoute } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { SignatureDialog } from '../../../ui/signature-dialog';
import { LotLink } from '../../../ui/lot';
import { SampleTestingLink } from '../review/result-format';
import { TestingTabs } from '../review/testing-tabs';
import { Person } from '../../../ui/person';

type Hold = z.infer<typeof microHoldViewSchema>;

/**
 * `#/oos/micro?lot=&status=open|reviewed`: automatic holds raised by the system rule on a
 * presumptive positive of a finished infant-formula lot (issue 20 §3). Unsigned when raised;
 * a QA manager reviews each (signed `reviewed`). The lot's release stays with disposition:
 * readiness fails while a presumptive waits for confirmation or a hold is not reviewed.
 */
export function MicroHoldsPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession();
  const qc = useQueryClient();
  const lot = route.params.get('lot') ?? '';
  const status = (route.params.get('status') === 'reviewed' ? 'reviewed' : 'open') as 'open' | 'reviewed';
  const list = useCall('results.microHolds', { ...(lot ? { lotCode: lot } : {}), status }, { staleTime: 0 });
  const [reviewing, setReviewing] = useState<Hold | null>(null);
  const canReview = hasPermission(session, 'lots.decide') && !session.readOnly;
  const holds = list.data ?? [];

  return (
    <Stack data-testid="micro-holds">
      <TestingTabs active="micro" />
      <div>
        <Title order={2}>{t('micro.holds.title')}</Title>
        <Text c="dimmed" size="sm" maw={900}>
          {t('micro.holds.intro')}
        </Text>
      </div>
      <Paper withBorder p="sm">
        <Group mb="sm">
          <SegmentedControl
            value={status}
            onChange={(v) => navigate('/oos/micro', { lot, status: v })}
            data={[
              { value: 'open', label: t('micro.holds.open') },
              { value: 'reviewed', label: t('micro.holds.reviewed') },
            ]}
            data-testid="micro-holds-status"
          />
          {lot ? (
            <Group gap={4}>
              <Text size="sm">{t('micro.holds.lot')}</Text>
              <LotLink code={lot} />
            </Group>
          ) : null}
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? <Loader size="sm" /> : null}
        {list.data && holds.length === 0 ? (
          <Alert color="gray" variant="light" data-testid="micro-holds-empty">
            {t('micro.holds.none')}
          </Alert>
        ) : null}
        {holds.length > 0 ? (
          <Table withTableBorder fz="sm" data-testid="micro-holds-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('micro.holds.col.lot')}</Table.Th>
                <Table.Th>{t('micro.holds.col.sample')}</Table.Th>
                <Table.Th>{t('micro.holds.col.item')}</Table.Th>
                <Table.Th>{t('micro.holds.col.raised')}</Table.Th>
                <Table.Th>{t('micro.holds.col.rule')}</Table.Th>
                <Table.Th>{t('micro.holds.col.outcome')}</Table.Th>
                <Table.Th>{t('micro.holds.col.review')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {holds.map((h) => (
                <Table.Tr key={h.id} data-testid={`micro-hold-${h.lotCode}`}>
                  <Table.Td>
                    <LotLink code={h.lotCode} />
                    <Text size="xs" c="dimmed">
                      {t('micro.holds.before', {
                        status: t(`lots.status.${h.lotStatusBefore}`, { defaultValue: h.lotStatusBefore }),
                      })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <SampleTestingLink code={h.sampleCode} />
                  </Table.Td>
                  <Table.Td>
                    {h.itemCode}{' '}
                    <Text span size="xs" c="dimmed">
                      {t('micro.holds.units', { units: h.units.join(', ') })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatTime(h.raisedAt)}</Table.Td>
                  <Table.Td>
                    <Badge color="gray" variant="outline" tt="none" size="sm">
                      {t('micro.holds.rule')}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {t('micro.holds.unsigned')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={h.outcome === 'confirmed' ? 'red' : h.outcome === 'not_confirmed' ? 'green' : 'orange'}
                      tt="none"
                      data-testid={`micro-hold-outcome-${h.lotCode}`}
                    >
                      {t(`micro.holds.outcome.${h.outcome}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {h.status === 'reviewed' ? (
                      <Stack gap={0}>
                        <Text size="xs">
                          <Person id={h.reviewedBy} /> · {formatTime(h.reviewedAt)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {h.reviewNote}
                        </Text>
                      </Stack>
                    ) : canReview ? (
                      <Button size="xs" onClick={() => setReviewing(h)} data-testid={`micro-hold-review-${h.lotCode}`}>
                        {t('micro.holds.review')}
                      </Button>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('micro.holds.qaOnly')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Paper>
      <SignatureDialog
        opened={reviewing !== null}
        onClose={() => setReviewing(null)}
        meanings={['reviewed']}
        commentRequired
        commentLabel={t('micro.holds.note')}
        summary={
          reviewing ? (
            <Text fw={700}>
              {t('micro.holds.reviewSummary', {
                lot: reviewing.lotCode,
                item: reviewing.itemCode,
                outcome: t(`micro.holds.outcome.${reviewing.outcome}`),
              })}
            </Text>
          ) : null
        }
        onSign={async (v) => {
          if (!reviewing) return;
          await call('results.microHoldReview', {
            id: reviewing.id,
            note: v.comment ?? '',
            signature: { password: v.password, meaning: 'reviewed' },
          });
          notifications.show({ color: 'green', message: t('micro.holds.done', { lot: reviewing.lotCode }) });
          setReviewing(null);
          await qc.invalidateQueries({ queryKey: ['results.microHolds'] });
          await qc.invalidateQueries({ queryKey: ['disposition.readiness'] });
        }}
      />
    </Stack>
  );
}
