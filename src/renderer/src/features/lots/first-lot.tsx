import { Anchor, Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';

/**
 * An empty lot list with no filter set (issue 22 §2): there are no lots yet, who creates them
 * (production: a batch or a receipt; or the ERP import), and the action right for this role.
 */
export function NoLotsYet() {
  const { t } = useTranslation();
  const session = useSession();
  const may = (p: string) => hasPermission(session, p) && !session.readOnly;
  const production = may('lots.record');
  return (
    <Paper withBorder p="lg" radius="md" data-testid="lots-none-yet">
      <Stack gap="xs">
        <Text fw={700}>{t('emptyStates.lots.title')}</Text>
        <Text size="sm">{t('emptyStates.lots.who')}</Text>
        <Text size="sm" c="dimmed">
          {production
            ? t('emptyStates.lots.production')
            : may('samples.register')
              ? t('emptyStates.lots.lab')
              : may('users.manage')
                ? t('emptyStates.lots.admin')
                : t('emptyStates.lots.other')}
        </Text>
        <Group gap="sm">
          {production ? (
            <>
              <Button component="a" href={href('/batches')} data-testid="lots-none-batch">
                {t('guide.firstLot.batch')}
              </Button>
              <Button
                component="a"
                href={href('/receiving', { form: 'delivery' })}
                variant="light"
                data-testid="lots-none-receive"
              >
                {t('guide.firstLot.receive')}
              </Button>
            </>
          ) : null}
          {may('erp.import') ? (
            <Button component="a" href={href('/import')} variant="default" data-testid="lots-none-import">
              {t('guide.firstLot.import')}
            </Button>
          ) : null}
          <Anchor href={href('/setup-guide', { step: 'firstLot' })} size="sm" data-testid="lots-none-guide">
            {t('emptyStates.lots.guide')}
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * What finishing a production batch needs, with where each is done (issue 22 §2): a material
 * in the catalogue, an approved supplier, the delivery received, QA's acceptance of that lot —
 * then the accepted lot is consumed (投料) and the batch finished. Each line is read from the
 * records, so the person sees which one is missing.
 */
export function BatchNeeds() {
  const { t } = useTranslation();
  const materials = useCall('catalog.materials.list', {});
  const suppliers = useCall('catalog.suppliers.list', {});
  const received = useCall('lots.list', { status: 'quarantine', limit: 1 }, { staleTime: 0 });
  const accepted = useCall('lots.list', { status: 'accepted', limit: 1 }, { staleTime: 0 });
  const lines: Array<{ key: string; ok: boolean | null; link: string }> = [
    {
      key: 'material',
      ok: materials.data ? materials.data.some((m) => m.kind !== 'raw_milk') : null,
      link: href('/specifications', { tab: 'materials' }),
    },
    {
      key: 'supplier',
      ok: suppliers.data ? suppliers.data.some((s) => s.approvalStatus === 'approved') : null,
      link: href('/specifications', { tab: 'suppliers' }),
    },
    {
      key: 'receipt',
      ok: received.data && accepted.data ? received.data.total + accepted.data.total > 0 : null,
      link: href('/receiving', { form: 'delivery' }),
    },
    {
      key: 'acceptance',
      ok: accepted.data ? accepted.data.total > 0 : null,
      link: href('/lots', { status: 'quarantine' }),
    },
  ];
  return (
    <Stack gap={4} mt="xs" data-testid="batch-needs">
      <Text size="sm" fw={600}>
        {t('emptyStates.batch.title')}
      </Text>
      <List spacing={4} size="sm" center>
        {lines.map((l) => (
          <List.Item
            key={l.key}
            data-testid={`batch-need-${l.key}`}
            data-ok={l.ok === null ? '' : String(l.ok)}
            icon={
              <ThemeIcon size={18} radius="xl" color={l.ok ? 'green' : l.ok === false ? 'orange' : 'gray'}>
                <Text size="xs" c="white" lh={1}>
                  {l.ok ? '✓' : '!'}
                </Text>
              </ThemeIcon>
            }
          >
            <Text size="sm" span>
              {t(`emptyStates.batch.${l.key}`)}{' '}
            </Text>
            <Anchor href={l.link} size="sm">
              {t(`emptyStates.batch.${l.key}Link`)}
            </Anchor>
          </List.Item>
        ))}
      </List>
      <Text size="xs" c="dimmed">
        {t('emptyStates.batch.then')}
      </Text>
    </Stack>
  );
}
