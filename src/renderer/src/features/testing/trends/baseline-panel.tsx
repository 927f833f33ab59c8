import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { baselineViewSchema, chartSpecSchema } from '../../../../../shared/contract/channels/testing';
import { ApiError, call } from '../../../core/api/client';
import { errorMessage } from '../../../core/api/errors';
import { formatTime } from '../../../ui/format';
import { hasPermission, useSession } from '../../../core/session';
import { SignatureDialog } from '../../../ui/signature-dialog';
import { usePersonName } from '../../../ui/person';

type Baseline = z.infer<typeof baselineViewSchema>;
type ChartSpec = z.infer<typeof chartSpecSchema>;

/**
 * The chart's signed baseline (issue 20 §6): which period, how many points, mean and s of the
 * unrounded values, who signed. Without one the limits come from the plotted window and move
 * with every new point — the panel says so. A QA manager chooses a period and signs a new
 * baseline (`approved`), which supersedes the old one.
 */
export function BaselinePanel({
  chart,
  baseline,
  defaultFrom,
  defaultTo,
}: {
  chart: ChartSpec;
  baseline: Baseline | null;
  defaultFrom: string | null;
  defaultTo: string | null;
}) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const session = useSession();
  const qc = useQueryClient();
  const canSign = hasPermission(session, 'specs.approve') && !session.readOnly;
  const [choosing, setChoosing] = useState(false);
  const [range, setRange] = useState<[string | null, string | null]>([defaultFrom, defaultTo]);
  const [note, setNote] = useState('');
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [from, to] = range;

  return (
    <>
      {baseline ? (
        <Alert
          color="teal"
          variant="light"
          p="sm"
          data-testid="baseline-active"
          title={t('trends.baseline.activeTitle')}
        >
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Text size="sm">
                {t('trends.baseline.active', {
                  from: baseline.from,
                  to: baseline.to,
                  n: baseline.n,
                  mean: baseline.mean,
                  sd: baseline.sd,
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('trends.baseline.signed', {
                  by: personName(baseline.createdBy),
                  at: formatTime(baseline.createdAt),
                })}
                {baseline.note ? ` — ${baseline.note}` : ''}
              </Text>
            </Stack>
            {canSign ? (
              <Button size="xs" variant="light" onClick={() => setChoosing(true)} data-testid="baseline-new">
                {t('trends.baseline.replace')}
              </Button>
            ) : null}
          </Group>
        </Alert>
      ) : (
        <Alert color="yellow" variant="light" p="sm" data-testid="baseline-none" title={t('trends.baseline.noneTitle')}>
          <Group justify="space-between" align="flex-start">
            <Text size="sm" maw={760}>
              {t('trends.baseline.none')}
            </Text>
            {canSign ? (
              <Button size="xs" onClick={() => setChoosing(true)} data-testid="baseline-new">
                {t('trends.baseline.set')}
              </Button>
            ) : (
              <Badge color="gray" variant="outline" tt="none">
                {t('trends.baseline.qaOnly')}
              </Badge>
            )}
          </Group>
        </Alert>
      )}
      <Modal
        opened={choosing}
        onClose={() => setChoosing(false)}
        title={t('trends.baseline.chooseTitle')}
        data-testid="baseline-dialog"
      >
        <Stack>
          <Text size="sm" c="dimmed">
            {t('trends.baseline.chooseHelp')}
          </Text>
          <DatePickerInput
            type="range"
            label={t('trends.baseline.period')}
            valueFormat="YYYY-MM-DD"
            value={range}
            onChange={([f, tt]) => setRange([f ?? null, tt ?? null])}
            data-testid="baseline-period"
          />
          <Textarea
            label={t('trends.baseline.note')}
            description={t('trends.baseline.noteHelp')}
            withAsterisk
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-testid="baseline-note"
          />
          {error ? (
            <Text size="sm" c="red.8" role="alert">
              {error}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setChoosing(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              disabled={!from || !to || note.trim().length < 3}
              onClick={() => {
                setError(null);
                setSigning(true);
              }}
              data-testid="baseline-sign"
            >
              {t('trends.baseline.signButton')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['approved']}
        summary={<Text fw={700}>{t('trends.baseline.summary', { from: from ?? '', to: to ?? '' })}</Text>}
        onSign={async (v) => {
          if (!from || !to) return;
          try {
            await call('trends.baselineCreate', {
              chart,
              from,
              to,
              note: note.trim(),
              signature: { password: v.password, meaning: 'approved' },
            });
          } catch (e) {
            // A wrong password stays in the signature dialog; refusals about the period (too few
            // points, rounded values only) are shown in the period dialog.
            if (e instanceof ApiError && (e.code === 'wrong_password' || e.code === 'account_locked')) throw e;
            setSigning(false);
            setError(errorMessage(t, e));
            return;
          }
          notifications.show({ color: 'green', message: t('trends.baseline.done') });
          setChoosing(false);
          setNote('');
          await qc.invalidateQueries({ queryKey: ['trends.series'] });
          await qc.invalidateQueries({ queryKey: ['qc.series'] });
          await qc.invalidateQueries({ queryKey: ['trends.baselines'] });
        }}
      />
    </>
  );
}
