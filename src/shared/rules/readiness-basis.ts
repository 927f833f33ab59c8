/**
 * What a release page showed, as one short text (D-110): the lot's status and every line of its
 * checklist with its evidence. The decision carries it back; inside the write transaction the
 * checklist is evaluated again and a different basis refuses the decision
 * (`errors.readiness_changed`) with the checklist as it now stands — a QA manager never signs a
 * decision on facts that changed after the page was shown (issue 23 §5). Not a security hash:
 * it tells "changed" from "the same", in the renderer and in main alike (pure, no crypto).
 */
export interface ReadinessShown {
  lotStatus: string;
  lines: ReadonlyArray<{
    key: string;
    ok: boolean;
    details: Record<string, string>;
    evidence: ReadonlyArray<{ kind: string; ref: string; note: string | null }>;
  }>;
}

function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
    .join(',')}}`;
}

/** Two FNV-1a 32-bit hashes (different offsets) of the canonical text, as 16 hex digits. */
export function readinessBasis(r: ReadinessShown): string {
  const text = stable({
    status: r.lotStatus,
    lines: r.lines.map((l) => ({
      key: l.key,
      ok: l.ok,
      details: l.details,
      evidence: l.evidence.map((e) => ({ kind: e.kind, ref: e.ref, note: e.note })),
    })),
  });
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
