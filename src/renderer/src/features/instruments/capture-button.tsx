import { useRef, useState } from 'react';
import { ActionIcon, Anchor, Button, Group, Popover, Select, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useCall, useEvent } from '../../core/api/hooks';
import { href } from '../../core/router';
import type { CaptureButtonProps } from '../../core/slots';
import { lockReasons, useInstrumentStatusSync } from './instrument-format';

type Outcome = ChannelOutput<'instruments.capture'>['outcome'];

/** The instrument last used for a capture on this workstation (a bench usually has one balance). */
export const LAST_INSTRUMENT_KEY = 'lotseal.capture.instrument';

function remembered(): string | null {
  try {
    return localStorage.getItem(LAST_INSTRUMENT_KEY);
  } catch {
    return null;
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(LAST_INSTRUMENT_KEY, id);
  } catch {
    /* private mode: nothing to remember */
  }
}

interface Offer {
  instrumentId: string;
  readingId: string;
  outcome: Outcome;
}

const usable = (i: InstrumentView) => i.active && i.state === 'connected' && !i.lock.locked;

/**
 * Capture from an instrument into one replicate (issue 10 §5): pick a connected, unlocked
 * instrument (the last one used here is remembered), request a reading, and see either the
 * value stored or why it was refused (unstable, overload, wrong unit…, in red; nothing is
 * stored then). A reading sent by the instrument's print key while the replicate's input has
 * the focus is offered as "Use reading 2.45 %".
 */
export function CaptureButton({
  resultId,
  replicateIndex,
  unit,
  captures,
  children,
  onCaptured,
  disabled,
}: CaptureButtonProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [picked, setPicked] = useState<string | null>(remembered);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [offer, setOffer] = useState<Offer | null>(null);
  const focused = useRef(false);
  const list = useCall('instruments.list', { includeInactive: false }, { staleTime: 30_000 });
  const instruments = list.data ?? [];
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const choice =
    picked && byId.get(picked) && usable(byId.get(picked)!) ? picked : (instruments.find(usable)?.id ?? null);
  const mark = captures?.filter((c) => c.replicateIndex === replicateIndex).at(-1);

  useEvent('instruments.reading', (p) => {
    if (!focused.current || disabled) return;
    setOffer({ instrumentId: p.id, readingId: p.readingId, outcome: p.outcome });
    setRefusal(null);
    setOpened(true);
  });

  const refusalText = (o: Outcome): string => {
    if (o.error) {
      const key = `instrumentReading.${o.error}`;
      return t(key, { detail: '', unit: o.unit ?? '', expected: unit, defaultValue: o.message ?? key });
    }
    return o.message ?? '';
  };

  const capture = (instrumentId: string, readingId?: string) => {
    setBusy(true);
    setRefusal(null);
    remember(instrumentId);
    setPicked(instrumentId);
    call('instruments.capture', {
      instrumentId,
      resultId,
      replicateIndex,
      ...(readingId ? { readingId } : {}),
    })
      .then((out) => {
        if (out.queued) {
          // Kept at the bench, signed (D-096): written back when the server returns.
          setOffer(null);
          setOpened(false);
          notifications.show({
            color: 'orange',
            autoClose: false,
            message: t('instruments.capture.queued', {
              code: byId.get(instrumentId)?.code ?? '',
              value: out.outcome.value ?? '',
              unit: out.outcome.unit ?? '',
              seq: out.queued.seq,
            }),
          });
          return;
        }
        if (!out.outcome.ok || !out.capture) {
          setRefusal(out.outcome.message ?? refusalText(out.outcome));
          return;
        }
        const changed = new Map(out.changed.map((r) => [r.id, r]));
        qc.setQueriesData<{ results: ResultView[] }>({ queryKey: ['results.forSample'] }, (old) =>
          old ? { ...old, results: old.results.map((r) => changed.get(r.id) ?? r) } : old,
        );
        void qc.invalidateQueries({ queryKey: ['results.forSample'] });
        void qc.invalidateQueries({ queryKey: ['results.get'] });
        void qc.invalidateQueries({ queryKey: ['results.worklist'] });
        void qc.invalidateQueries({ queryKey: ['samples.get'] });
        void qc.invalidateQueries({ queryKey: ['instruments.get'] });
        onCaptured?.(out.capture.value ?? '', out.changed);
        setOffer(null);
        setOpened(false);
        notifications.show({
          color: 'green',
          message: t('instruments.capture.done', {
            n: replicateIndex + 1,
            value: out.outcome.value,
            unit: out.outcome.unit,
            code: byId.get(instrumentId)?.code ?? '',
          }),
        });
      })
      .catch((e: unknown) => setRefusal(errorMessage(t, e)))
      .finally(() => setBusy(false));
  };

  const markColor = mark ? (mark.flagged ? 'red' : mark.status === 'typed_over' ? 'orange' : 'green') : 'blue';
  const markText = mark
    ? mark.status === 'typed_over'
      ? t('instruments.capture.typedOverMark', {
          value: mark.value ?? '',
          unit: mark.unit ?? '',
          code: mark.instrumentCode,
          reason: mark.typedOverReason ?? '',
        })
      : t('instruments.capture.capturedMark', {
          value: mark.value ?? '',
          unit: mark.unit ?? '',
          code: mark.instrumentCode,
        })
    : t('instruments.capture.button', { n: replicateIndex + 1 });
  const offered = offer ? byId.get(offer.instrumentId) : undefined;

  return (
    <Stack
      gap={0}
      onFocus={() => {
        focused.current = true;
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) focused.current = false;
      }}
    >
      <Group gap={2} wrap="nowrap">
        {children}
        <Popover
          opened={opened}
          onChange={setOpened}
          position="bottom-start"
          withArrow
          shadow="md"
          width={340}
          onClose={() => {
            setOffer(null);
            setRefusal(null);
          }}
        >
          <Popover.Target>
            <Tooltip label={markText} multiline maw={320} openDelay={300}>
              <ActionIcon
                size="md"
                variant={mark && mark.status === 'used' ? 'filled' : 'light'}
                color={markColor}
                disabled={disabled}
                // Out of the Tab order: Tab moves from replicate to replicate in the entry grid.
                tabIndex={-1}
                aria-label={t('instruments.capture.button', { n: replicateIndex + 1 })}
                onClick={() => {
                  setOffer(null);
                  setRefusal(null);
                  setOpened((o) => !o);
                }}
                data-testid={`capture-button-${replicateIndex}`}
                data-captured={mark ? mark.status : 'none'}
              >
                <CaptureIcon />
              </ActionIcon>
            </Tooltip>
          </Popover.Target>
          <Popover.Dropdown data-testid="capture-popover">
            <CaptureSync />
            {offer ? (
              <Stack gap="xs" data-testid="capture-offer">
                <Text size="sm" fw={600}>
                  {t('instruments.capture.offerTitle', { code: offered?.code ?? '', n: replicateIndex + 1 })}
                </Text>
                {offer.outcome.ok ? (
                  <Button
                    loading={busy}
                    onClick={() => capture(offer.instrumentId, offer.readingId)}
                    data-testid="capture-use-reading"
                  >
                    {t('instruments.capture.useReading', { value: offer.outcome.value, unit: offer.outcome.unit })}
                  </Button>
                ) : (
                  <Text size="sm" c="red.8" data-testid="capture-offer-refused">
                    {refusalText(offer.outcome)}
                  </Text>
                )}
              </Stack>
            ) : (
              <Stack gap="xs">
                <Text size="sm" fw={600}>
                  {t('instruments.capture.title', { n: replicateIndex + 1, unit: unit || '—' })}
                </Text>
                <Select
                  size="xs"
                  label={t('instruments.capture.instrument')}
                  placeholder={t('instruments.capture.none')}
                  value={choice}
                  onChange={(v) => v && setPicked(v)}
                  allowDeselect={false}
                  comboboxProps={{ withinPortal: false }}
                  data={instruments.map((i) => ({
                    value: i.id,
                    disabled: !usable(i),
                    label: `${i.code} · ${i.name}${
                      i.lock.locked
                        ? ` — ${t('instruments.lock.locked')}`
                        : i.state !== 'connected'
                          ? ` — ${t(`instruments.state.${i.state}`)}`
                          : ''
                    }`,
                  }))}
                  data-testid="capture-instrument"
                />
                {choice === null ? (
                  <Text size="xs" c="orange.9" data-testid="capture-no-instrument">
                    {t('instruments.capture.noneUsable')}{' '}
                    <Anchor size="xs" href={href('/instruments')}>
                      {t('instruments.capture.openInstruments')}
                    </Anchor>
                  </Text>
                ) : null}
                {instruments
                  .filter((i) => i.lock.locked && i.state === 'connected')
                  .map((i) => (
                    <Text key={i.id} size="xs" c="red.8">
                      {i.code}: {lockReasons(t, i.lock).join('; ')}
                    </Text>
                  ))}
                <Button
                  loading={busy}
                  disabled={!choice}
                  onClick={() => choice && capture(choice)}
                  data-testid="capture-request"
                  data-autofocus
                >
                  {t('instruments.capture.request')}
                </Button>
              </Stack>
            )}
            {refusal ? (
              <Text size="sm" c="red.8" mt="xs" role="alert" data-testid="capture-refusal">
                {refusal}
              </Text>
            ) : null}
          </Popover.Dropdown>
        </Popover>
      </Group>
      {mark ? (
        <Text
          size="xs"
          c={markColor === 'green' ? 'green.8' : markColor === 'orange' ? 'orange.9' : 'red.8'}
          data-testid={`capture-mark-${replicateIndex}`}
          style={{ whiteSpace: 'nowrap' }}
        >
          {mark.flagged
            ? t('instruments.capture.captionFlagged')
            : mark.status === 'typed_over'
              ? t('instruments.capture.captionTypedOver')
              : t('instruments.capture.captionUsed', { code: mark.instrumentCode })}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Live connection states while the picker is open. */
function CaptureSync() {
  useInstrumentStatusSync();
  return null;
}

/** A reading flowing down into a field. */
function CaptureIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
      <path d="M12 3v11" strokeLinecap="round" />
      <path d="M7.5 10 12 14.5 16.5 10" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4" strokeLinecap="round" />
    </svg>
  );
}
