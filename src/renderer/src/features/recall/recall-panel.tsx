import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { contactChannels, contactOutcomes } from '../../../../shared/contract/channels/recall';
import { quantityUnits } from '../../../../shared/domain/units';
import { call } from '../../core/api/client';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { LotLink, StatusBadge, qty } from '../../ui/lot';
import { holdable, todayIso, type DrillDetail } from './drills-format';
import { useSetDetail } from './drills-hooks';
import { contractAccepts } from '../../ui/contract-form';
import { Person } from '../../ui/person';

type Customer = DrillDetail['customers'][number];
type Channel = (typeof contactChannels)[number];
type Outcome = (typeof contactOutcomes)[number];

const outcomeColor: Record<Outcome, string> = {
  reached: 'blue',
  no_answer: 'orange',
  left_message: 'yellow',
  stock_quarantined: 'teal',
  stock_returned: 'green',
  refused: 'red',
};

/**
 * Real recall (issue 12 §5): one signed hold of every affected lot still in the plant, then
 * the customers to notify — every call or message logged with time, person and outcome — and
 * the quantities they send back, recorded as returns of the lot.
 */
export function RecallPanel({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  const session = useSession();
  const can = hasPermission(session, 'lots.decide') && !session.readOnly && detail.drill.status === 'open';
  return (
    <Paper
      withBorder
      p="md"
      style={{ borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 }}
      data-testid="recall-panel"
    >
      <Title order={3} c="red.8" mb="xs">
        {t('drills.recall.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
        <HoldBox detail={detail} can={can} />
        <Stack gap="xs">
          <Title order={5}>{t('drills.recall.notifyTitle')}</Title>
          <Text size="xs" c="dimmed">
            {t('drills.recall.notifyHelp')}
          </Text>
          {detail.customers.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('drills.customers.none')}
            </Text>
          ) : null}
          {detail.customers.map((c) => (
            <CustomerCard key={c.code} code={detail.drill.code} customer={c} can={can} />
          ))}
        </Stack>
      </SimpleGrid>
    </Paper>
  );
}

function HoldBox({ detail, can }: { detail: DrillDetail; can: boolean }) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(detail.drill.code);
  const [signing, setSigning] = useState(false);
  const lots = holdable(detail);
  const onHold = detail.lots.filter((l) => (l.held ?? l.status === 'on_hold') && l.direction !== 'backward');
  return (
    <Stack gap="xs" data-testid="recall-hold">
      <Title order={5}>{t('drills.recall.holdTitle')}</Title>
      <Text size="xs" c="dimmed">
        {t('drills.recall.holdHelp')}
      </Text>
      {lots.length > 0 ? (
        <Table withTableBorder fz="sm" verticalSpacing={2} data-testid="recall-holdable">
          <Table.Tbody>
            {lots.map((l) => (
              <Table.Tr key={l.lot}>
                <Table.Td>
                  <LotLink code={l.lot} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={l.status} size="sm" />
                </Table.Td>
                <Table.Td ff="monospace">{qty(l.remaining, l.unit)}</Table.Td>
                <Table.Td>
                  {l.shipped ? (
                    <Badge color="orange" variant="light" tt="none" size="sm">
                      {t('drills.recall.partlyShipped')}
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{l.location ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Alert color={onHold.length ? 'green' : 'gray'} variant="light" p="xs" data-testid="recall-hold-none">
          {onHold.length
            ? t('drills.recall.allHeld', { count: onHold.length, lots: onHold.map((l) => l.lot).join(', ') })
            : t('drills.recall.nothingToHold')}
        </Alert>
      )}
      {onHold.length > 0 && lots.length > 0 ? (
        <Text size="xs" c="dimmed">
          {t('drills.recall.alreadyHeld', { count: onHold.length })}
        </Text>
      ) : null}
      {can && lots.length > 0 ? (
        <Button color="red" onClick={() => setSigning(true)} data-testid="recall-hold-button">
          {t('drills.recall.holdButton', { count: lots.length })}
        </Button>
      ) : null}
      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['held']}
        commentRequired
        commentLabel={t('drills.recall.holdReason')}
        commentDescription={t('drills.recall.holdReasonHelp')}
        summary={
          <Stack gap={2}>
            <Text fw={700} c="red.8">
              {t('drills.recall.holdSummary', { code: detail.drill.code, count: lots.length })}
            </Text>
            <Text size="sm" ff="monospace">
              {lots.map((l) => l.lot).join(', ')}
            </Text>
          </Stack>
        }
        onSign={async (v) => {
          const r = await call('recalls.hold', { code: detail.drill.code, reason: v.comment ?? '', signature: v });
          setDetail(r.detail);
          notifications.show({
            color: 'red',
            message: t('drills.recall.held', { count: r.held.length, lots: r.held.join(', ') }),
          });
        }}
      />
    </Stack>
  );
}

function CustomerCard({ code, customer: c, can }: { code: string; customer: Customer; can: boolean }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'contact' | 'return' | null>(null);
  const last = c.contacts[c.contacts.length - 1];
  return (
    <Paper withBorder p="sm" data-testid={`recall-customer-${c.code}`} data-contacts={c.contacts.length}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={0}>
          <Group gap="xs">
            <Text ff="monospace" fw={700}>
              {c.code}
            </Text>
            <Text size="sm">{c.name ?? '—'}</Text>
            {last ? (
              <Badge
                color={outcomeColor[last.outcome]}
                variant="light"
                tt="none"
                size="sm"
                data-testid="recall-customer-outcome"
              >
                {t(`drills.recall.outcomes.${last.outcome}`)}
              </Badge>
            ) : (
              <Badge color="red" variant="filled" tt="none" size="sm" data-testid="recall-customer-outcome">
                {t('drills.recall.notContacted')}
              </Badge>
            )}
          </Group>
          <Text size="sm">
            {c.contact ?? t('drills.customers.noContact')} ·{' '}
            <Text span ff="monospace" fw={700}>
              {c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '—'}
            </Text>
          </Text>
        </Stack>
        {can ? (
          <Stack gap={4}>
            <Button
              size="compact-xs"
              color="red"
              variant="light"
              onClick={() => setDialog('contact')}
              data-testid="recall-contact-open"
            >
              {t('drills.recall.logContact')}
            </Button>
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => setDialog('return')}
              data-testid="recall-return-open"
            >
              {t('drills.recall.recordReturn')}
            </Button>
          </Stack>
        ) : null}
      </Group>
      <Table withTableBorder fz="xs" verticalSpacing={2} mt={6} data-testid="recall-customer-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('drills.recall.shipment')}</Table.Th>
            <Table.Th>{t('drills.recall.lot')}</Table.Th>
            <Table.Th ta="right">{t('drills.recall.shipped')}</Table.Th>
            <Table.Th ta="right">{t('drills.recall.returned')}</Table.Th>
            <Table.Th ta="right">{t('drills.recall.outstanding')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {linesOf(c).map((l) => (
            <Table.Tr
              key={`${l.shipment}-${l.lot}`}
              data-testid={`recall-line-${l.shipment}-${l.lot}`}
              data-outstanding={l.outstanding}
            >
              <Table.Td ff="monospace">
                {l.date ? `${l.date} · ` : ''}
                {l.shipment}
              </Table.Td>
              <Table.Td>
                <LotLink code={l.lot} />
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {qty(l.shipped, l.unit)}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {qty(l.returned, l.unit)}
              </Table.Td>
              <Table.Td ta="right" ff="monospace" fw={700} c={Number(l.outstanding) > 0 ? 'red.8' : 'green.8'}>
                {qty(l.outstanding, l.unit)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {c.contacts.length > 0 ? (
        <Stack gap={0} mt={6} data-testid="recall-contact-log">
          {c.contacts.map((x, i) => (
            <Text key={i} size="xs">
              {formatTime(x.at)} · <Person id={x.by} /> · {t(`drills.recall.channels.${x.channel}`)} ·{' '}
              <b>{t(`drills.recall.outcomes.${x.outcome}`)}</b>
              {x.note ? ` · ${x.note}` : ''}
            </Text>
          ))}
        </Stack>
      ) : null}
      {c.returned.length > 0 ? (
        <Stack gap={0} mt={6} data-testid="recall-returns">
          {c.returned.map((x, i) => (
            <Text key={i} size="xs" c="green.9">
              {t('drills.recall.returnedLine', { date: x.date, lot: x.lot, qty: qty(x.quantity, x.unit) })}
              {x.shipment ? ` · ${x.shipment}` : ''}
            </Text>
          ))}
        </Stack>
      ) : null}
      <Modal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        title={`${dialog === 'return' ? t('drills.recall.recordReturn') : t('drills.recall.logContact')} · ${c.code}`}
        centered
      >
        {dialog === 'contact' ? <ContactForm code={code} customer={c} onDone={() => setDialog(null)} /> : null}
        {dialog === 'return' ? <ReturnForm code={code} customer={c} onDone={() => setDialog(null)} /> : null}
      </Modal>
    </Paper>
  );
}

function ContactForm({ code, customer, onDone }: { code: string; customer: Customer; onDone: () => void }) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(code);
  const [channel, setChannel] = useState<Channel>('phone');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    if (!outcome) return;
    setBusy(true);
    setError(null);
    try {
      const n = note.trim();
      setDetail(
        await call('recalls.contact', {
          code,
          customerCode: customer.code,
          channel,
          outcome,
          ...(n ? { note: n } : {}),
        }),
      );
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack data-testid="recall-contact-form">
      <Text size="sm">
        {customer.name ?? customer.code} · {customer.contact ?? '—'} · {customer.phone ?? '—'}
      </Text>
      <Select
        label={t('drills.recall.channel')}
        data={contactChannels.map((c) => ({ value: c, label: t(`drills.recall.channels.${c}`) }))}
        value={channel}
        onChange={(v) => v && setChannel(v as Channel)}
        allowDeselect={false}
        data-testid="recall-contact-channel"
      />
      <Select
        label={t('drills.recall.outcome')}
        data={contactOutcomes.map((o) => ({ value: o, label: t(`drills.recall.outcomes.${o}`) }))}
        value={outcome}
        onChange={(v) => setOutcome(v as Outcome | null)}
        required
        data-testid="recall-contact-outcome"
      />
      <Textarea
        label={t('drills.recall.note')}
        autosize
        minRows={2}
        maxLength={1000}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        data-testid="recall-contact-note"
      />
      <ErrorAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          color="red"
          onClick={() => void save()}
          loading={busy}
          disabled={!outcome}
          data-testid="recall-contact-save"
        >
          {t('drills.recall.saveContact')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Per shipment line: shipped, returned and still at the customer (the server's figures; older recalls: shipped only). */
function linesOf(c: Customer): Array<{
  shipment: string;
  lot: string;
  date: string | null;
  unit: string;
  shipped: string;
  returned: string;
  outstanding: string;
}> {
  return c.shipments.map((s) => {
    const l = c.lines?.find((x) => x.shipment === s.shipment && x.lot === s.lot);
    return {
      shipment: s.shipment,
      lot: s.lot,
      date: s.date,
      unit: l?.unit ?? s.unit,
      shipped: l?.shipped ?? s.quantity,
      returned: l?.returned ?? '0',
      outstanding: l?.outstanding ?? s.quantity,
    };
  });
}

function ReturnForm({ code, customer, onDone }: { code: string; customer: Customer; onDone: () => void }) {
  const { t } = useTranslation();
  const setDetail = useSetDetail(code);
  // A return is tied to the shipment it came back from, at most what is still out (issue 19 §2).
  const lines = linesOf(customer).filter((l) => Number(l.outstanding) > 0);
  const key = (l: { shipment: string; lot: string }) => `${l.shipment}|${l.lot}`;
  const [picked, setPicked] = useState<string | null>(lines[0] ? key(lines[0]) : null);
  const line = lines.find((l) => key(l) === picked) ?? null;
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<string>(line?.unit ?? 'kg');
  const [date, setDate] = useState<string | null>(todayIso());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const valid = !!line && contractAccepts('recalls.return', { quantity }, 'quantity') && Number(quantity) > 0 && !!date;
  const save = async () => {
    if (!valid || !line) return;
    setBusy(true);
    setError(null);
    try {
      const n = note.trim();
      setDetail(
        await call('recalls.return', {
          code,
          customerCode: customer.code,
          lotCode: line.lot,
          shipmentCode: line.shipment,
          quantity,
          unit: unit as (typeof quantityUnits)[number],
          date: date!.slice(0, 10),
          ...(n ? { note: n } : {}),
        }),
      );
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (lines.length === 0)
    return (
      <Stack data-testid="recall-return-form">
        <Alert color="green" variant="light" data-testid="recall-return-nothing">
          {t('drills.recall.nothingOut')}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    );
  return (
    <Stack data-testid="recall-return-form">
      <Select
        label={t('drills.recall.returnShipment')}
        data={lines.map((l) => ({
          value: key(l),
          label: `${l.shipment} · ${l.lot} · ${t('drills.recall.outstandingShort', { qty: qty(l.outstanding, l.unit) })}`,
        }))}
        value={picked}
        onChange={(v) => {
          setPicked(v);
          const l = lines.find((x) => key(x) === v);
          if (l) setUnit(l.unit);
        }}
        allowDeselect={false}
        data-testid="recall-return-lot"
      />
      <Group grow>
        <TextInput
          label={t('drills.recall.quantity')}
          description={line ? t('drills.recall.atMost', { qty: qty(line.outstanding, line.unit) }) : undefined}
          value={quantity}
          onChange={(e) => setQuantity(e.currentTarget.value.trim())}
          data-testid="recall-return-quantity"
        />
        <Select
          label={t('drills.recall.unit')}
          data={[...quantityUnits]}
          value={unit}
          onChange={(v) => v && setUnit(v)}
          allowDeselect={false}
        />
        <DateInput label={t('drills.recall.date')} valueFormat="YYYY-MM-DD" value={date} onChange={setDate} />
      </Group>
      <Textarea
        label={t('drills.recall.note')}
        autosize
        minRows={2}
        maxLength={1000}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <ErrorAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => void save()} loading={busy} disabled={!valid} data-testid="recall-return-save">
          {t('drills.recall.saveReturn')}
        </Button>
      </Group>
    </Stack>
  );
}
