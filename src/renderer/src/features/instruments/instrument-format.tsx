import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { useEvent } from '../../core/api/hooks';
import { href } from '../../core/router';
import { formatTime } from '../../ui/format';
import { plantDate } from '../../ui/format';

export type InstrumentState = InstrumentView['state'];
export type Lock = InstrumentView['lock'];
type Detail = ChannelOutput<'instruments.get'>;

/** `#/instruments/<id>` (ids are uuids; encoded anyway), with an optional tab. */
export function instrumentHref(id: string, tab?: string): string {
  return href(`/instruments/${encodeURIComponent(id)}`, { tab });
}

/** Days before a calibration falls due that it is shown as due (home card, list colour). */
export const DUE_SOON_DAYS = 14;

const stateColor: Record<InstrumentState, string> = {
  connected: 'green',
  connecting: 'blue',
  error: 'red',
  disconnected: 'gray',
};

/** Connection state, live (instruments.status events keep the cache current). */
export function StateBadge({
  state,
  message,
  testId,
}: {
  state: InstrumentState;
  message?: string | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Tooltip label={message ?? ''} disabled={!message} multiline maw={360}>
      <Badge
        color={stateColor[state]}
        variant={state === 'connected' ? 'filled' : 'light'}
        tt="none"
        data-testid={testId ?? 'instrument-state'}
        data-state={state}
        leftSection={<StateDot state={state} />}
      >
        {t(`instruments.state.${state}`)}
      </Badge>
    </Tooltip>
  );
}

function StateDot({ state }: { state: InstrumentState }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 7,
        height: 7,
        borderRadius: 7,
        background: state === 'connected' ? 'white' : `var(--mantine-color-${stateColor[state]}-6)`,
      }}
    />
  );
}

/**
 * The lock's reasons in the reader's language: each reason is an i18n key with its details
 * (phrases such as "no daily check on record", capitalised here to stand on their own).
 */
export function lockReasons(t: TFunction, lock: Lock): string[] {
  return lock.reasons.map((r) => {
    // Times come as ISO instants (UTC): shown in the workstation's time and language.
    const details = Object.fromEntries(
      Object.entries(r.details).map(([k, v]) => [k, /^\d{4}-\d{2}-\d{2}T/.test(v) ? formatTime(v) : v]),
    );
    const s = t(r.key, { ...details, defaultValue: r.key }) as string;
    return s.charAt(0).toUpperCase() + s.slice(1);
  });
}

/** Locked (with every reason listed under it) or ready for captures. */
export function LockBadge({ lock, inline = true, testId }: { lock: Lock; inline?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const reasons = lockReasons(t, lock);
  const id = testId ?? 'instrument-lock';
  if (!lock.locked)
    return (
      <Badge color="green" variant="light" tt="none" data-testid={id} data-locked="false">
        {t('instruments.lock.ready')}
      </Badge>
    );
  const badge = (
    <Badge color="red" variant="filled" tt="none" data-testid={id} data-locked="true">
      {t('instruments.lock.locked')}
    </Badge>
  );
  if (!inline)
    return (
      <Tooltip label={reasons.join('; ')} multiline maw={360}>
        {badge}
      </Tooltip>
    );
  return (
    <Stack gap={2} align="flex-start">
      {badge}
      {reasons.map((r) => (
        <Text key={r} size="xs" c="red.8" data-testid={`${id}-reason`}>
          {r}
        </Text>
      ))}
    </Stack>
  );
}

/** Whole days from today (local) to a YYYY-MM-DD date: negative when past. */
export function daysUntil(date: string, now = new Date()): number {
  const [y, m, d] = date.split('-').map(Number);
  const due = Date.UTC(y!, (m ?? 1) - 1, d ?? 1);
  // Today in the plant's calendar (D-113).
  const [ty, tm, td] = plantDate(now).split('-').map(Number);
  const today = Date.UTC(ty!, tm! - 1, td!);
  return Math.round((due - today) / 86_400_000);
}

/** Calibration due within DUE_SOON_DAYS (or overdue, or missing). */
export function calibrationDueSoon(lock: Lock): boolean {
  return lock.calibrationDue === null || daysUntil(lock.calibrationDue) <= DUE_SOON_DAYS;
}

export function CalibrationDue({ lock, testId }: { lock: Lock; testId?: string }) {
  const { t } = useTranslation();
  if (!lock.calibrationDue)
    return (
      <Text size="sm" c="red.8" data-testid={testId}>
        {t('instruments.calibration.none')}
      </Text>
    );
  const days = daysUntil(lock.calibrationDue);
  const color = days < 0 ? 'red.8' : days <= DUE_SOON_DAYS ? 'orange.8' : undefined;
  return (
    <Stack gap={0} data-testid={testId}>
      <Text size="sm" c={color} fw={color ? 600 : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {lock.calibrationDue}
      </Text>
      <Text size="xs" c={color ?? 'dimmed'}>
        {days < 0
          ? t('instruments.calibration.overdueDays', { count: -days })
          : t('instruments.calibration.inDays', { count: days })}
      </Text>
    </Stack>
  );
}

export function LastCheck({ lock, testId }: { lock: Lock; testId?: string }) {
  const { t } = useTranslation();
  if (!lock.lastCheckAt)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t('instruments.check.none')}
      </Text>
    );
  return (
    <Stack gap={2} align="flex-start" data-testid={testId}>
      <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {formatTime(lock.lastCheckAt)}
      </Text>
      <Badge size="xs" color={lock.lastCheckPassed ? 'green' : 'red'} variant="light" tt="none">
        {lock.lastCheckPassed ? t('instruments.check.passed') : t('instruments.check.failed')}
      </Badge>
    </Stack>
  );
}

/** Port path, or the USB identity the port is found by. */
export function connectionText(i: Pick<InstrumentView, 'portPath' | 'usbSerial' | 'usbVendorId' | 'usbProductId'>) {
  const usb = i.usbSerial
    ? `USB ${i.usbSerial}`
    : i.usbVendorId && i.usbProductId
      ? `USB ${i.usbVendorId}:${i.usbProductId}`
      : null;
  return [usb, i.portPath].filter(Boolean).join(' · ') || '—';
}

/**
 * Keeps every cached instrument (lists and detail pages) current with the main process's
 * `instruments.status` events, so status is live without polling.
 */
export function useInstrumentStatusSync(): void {
  const qc = useQueryClient();
  useEvent('instruments.status', (p) => {
    const patch = (i: InstrumentView): InstrumentView =>
      i.id === p.id ? { ...i, state: p.state, stateMessage: p.message, connectedPort: p.port } : i;
    qc.setQueriesData<InstrumentView[]>({ queryKey: ['instruments.list'] }, (old) => old?.map(patch));
    qc.setQueriesData<Detail>({ queryKey: ['instruments.get'] }, (old) =>
      old && old.instrument.id === p.id ? { ...old, instrument: patch(old.instrument) } : old,
    );
  });
}

/** Bytes (base64) as text with every control or non-ASCII byte shown as <hex>, like the terminal. */
export function visibleRaw(base64: string): string {
  let bin = '';
  try {
    bin = atob(base64);
  } catch {
    return base64;
  }
  let out = '';
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? bin[i] : `<${c.toString(16).padStart(2, '0')}>`;
  }
  return out;
}

/**
 * |reading − nominal| ≤ tolerance on decimal strings (no binary floating point: 100.05 −
 * 100.00 must be exactly 0.05). null when a value is not a decimal.
 */
export function withinTolerance(reading: string, nominal: string, tolerance: string): boolean | null {
  const re = /^(-?)(\d+)(?:\.(\d+))?$/;
  const parts = [reading, nominal, tolerance].map((s) => re.exec(s.trim()));
  if (parts.some((m) => !m)) return null;
  const scale = Math.max(...parts.map((m) => (m![3] ?? '').length));
  const big = (m: RegExpExecArray) => {
    const n = BigInt(`${m[2]}${(m[3] ?? '').padEnd(scale, '0')}`);
    return m[1] === '-' ? -n : n;
  };
  const [r, n, tol] = parts.map((m) => big(m!)) as [bigint, bigint, bigint];
  const diff = r > n ? r - n : n - r;
  return diff <= tol;
}
