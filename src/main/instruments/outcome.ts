import type { z } from 'zod';
import type { readOutcomeSchema } from '../../shared/contract/channels/instruments';
import type { Locale } from '../../shared/i18n';
import { translate } from '../../shared/i18n';
import type { Frame } from './connections';
import type { Parsed } from './drivers/types';
import { b64 } from './views';

export type ReadOutcome = z.infer<typeof readOutcomeSchema>;

/**
 * What a frame says, for the user: a reading or a record, or why it is refused (translated).
 * Pure: the bench of a site workstation words its readings with it too (src/main/remote/).
 */
export function readOutcome(frame: Frame | null, locale: Locale, error?: 'timeout' | 'port_error'): ReadOutcome {
  const raw = frame ? b64(frame.raw) : '';
  const refuse = (code: ReadOutcome['error'] & string, details: Record<string, string> = {}): ReadOutcome => ({
    ok: false,
    value: null,
    unit: null,
    stable: null,
    error: code,
    message: translate(locale, `instrumentReading.${code}`, details),
    raw,
    record: null,
  });
  if (!frame) return refuse(error ?? 'timeout');
  const p: Parsed = frame.parsed;
  if (p.kind === 'reading') {
    if (!p.stable) return { ...refuse('unstable'), value: p.value, unit: p.unit, stable: false };
    return { ok: true, value: p.value, unit: p.unit, stable: true, error: null, message: null, raw, record: null };
  }
  if (p.kind === 'record') {
    const first = Object.values(p.fields)[0];
    return {
      ok: true,
      value: first?.value ?? null,
      unit: first?.unit ?? null,
      stable: true,
      error: null,
      message: null,
      raw,
      record: { fields: p.fields, sampleId: p.sampleId ?? null, status: p.status ?? null },
    };
  }
  if (p.kind === 'error') return refuse(p.error, { detail: p.detail });
  return refuse('garbage');
}

/** What an instrument answered a command (zero, tare, serial number), for the terminal. Pure: the bench uses it too. */
export function commandAnswer(f: Frame): { ok: boolean; answer: string | null; raw: string } {
  const p = f.parsed;
  const answer =
    p.kind === 'serial'
      ? p.serial
      : p.kind === 'ack'
        ? p.command
        : p.kind === 'reading'
          ? `${p.value} ${p.unit}`
          : p.kind === 'error'
            ? p.error
            : null;
  return { ok: p.kind !== 'error', answer, raw: Buffer.from(f.bytes).toString('base64') };
}
