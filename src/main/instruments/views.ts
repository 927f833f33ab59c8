import type { z } from 'zod';
import type {
  captureViewSchema,
  checkPlanViewSchema,
  eventViewSchema,
  refusedFrameViewSchema,
} from '../../shared/contract/channels/instruments';
import {
  type CaptureRecord,
  type CheckPlanRecord,
  conversionOf,
  type EventRecord,
  eventPointsOf,
  type FrameRecord,
  planPointsOf,
  recordOf,
} from './queries';

export type CaptureView = z.infer<typeof captureViewSchema>;
export type EventView = z.infer<typeof eventViewSchema>;
export type RefusedView = z.infer<typeof refusedFrameViewSchema>;
export type CheckPlanView = z.infer<typeof checkPlanViewSchema>;

/** An epoch-milliseconds column as ISO text. */
export function iso(ms: number): string;
export function iso(ms: number | null | undefined): string | null;
export function iso(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** A capture as the contract shows it (the conversion as one line, the record's sample id). */
export function captureView(c: CaptureRecord): CaptureView {
  const conv = conversionOf(c);
  const record = recordOf(c);
  return {
    id: c.id,
    instrumentId: c.instrument_id,
    resultId: c.result_id ?? null,
    replicateIndex: c.replicate_index ?? null,
    purpose: c.purpose,
    raw: c.raw,
    value: c.value ?? null,
    unit: c.unit ?? null,
    stable: c.stable === 1,
    at: iso(c.at),
    by: c.by_user,
    status: c.status,
    typedOverReason: c.typed_over_reason ?? null,
    flagged: c.flagged === 1,
    flagReason: c.flag_reason ?? null,
    field: c.field ?? null,
    readValue: c.read_value ?? null,
    readUnit: c.read_unit ?? null,
    conversion: conv
      ? `${conv.from} × ${conv.factor}${conv.offset && conv.offset !== '0' ? ` + ${conv.offset}` : ''} → ${conv.to ?? ''}${conv.method ? ` (${conv.method})` : ''}`
      : null,
    recordSampleId: record?.sampleId ?? null,
    rawAsReceived: c.raw_format === 'as_received',
  };
}

/** A calibration, daily check or maintenance with the number of results it flagged. */
export function eventView(e: EventRecord, flagged: number): EventView {
  return {
    id: e.id,
    kind: e.kind,
    flagged,
    performedAt: iso(e.performed_at),
    dueOn: e.due_on ?? null,
    certificateNo: e.certificate_no ?? null,
    provider: e.provider ?? null,
    passed: e.passed === 1,
    points: eventPointsOf(e).map((p) => ({
      standard: p.standard ?? null,
      certificateNo: p.certificateNo ?? null,
      typed: p.typed ?? (p.captureId ? false : true),
      nominal: p.nominal ?? '',
      tolerance: p.tolerance ?? '',
      unit: p.unit ?? '',
      reading: p.reading ?? '',
      captureId: p.captureId ?? null,
      passed: p.passed ?? false,
    })),
    by: e.by_user,
    note: e.note ?? null,
  };
}

export function refusedView(f: FrameRecord): RefusedView {
  return {
    id: f.id,
    purpose: f.purpose,
    resultId: f.result_id ?? null,
    sampleCode: f.sample_code ?? null,
    raw: f.raw,
    error: f.error,
    detail: f.detail ?? null,
    at: iso(f.at),
    by: f.by_user,
  };
}

export function planView(p: CheckPlanRecord): CheckPlanView {
  return {
    id: p.id,
    rev: p.rev,
    instrumentId: p.instrument_id,
    points: planPointsOf(p),
    note: p.note ?? null,
  };
}
