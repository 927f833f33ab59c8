/**
 * A paper witness of the ledger head (docs/ledger.md §5): what a COA's QR code
 * (`LOTSEAL|COA|<lot>|<seq>|<hash>`), an evidence pack's (`LOTSEAL|<KIND>|<subject>|<seq>|<hash>`)
 * or `lotseal verify --witness SEQ:HASH` names. Returns null for anything else.
 */
export interface ParsedWitness {
  seq: number;
  hash: string;
  source: string | null;
  subject: string | null;
}

const HASH = /^[0-9a-fA-F]{64}$/;

export function parseWitness(text: string): ParsedWitness | null {
  const t = text.trim();
  let seqText: string | undefined;
  let hash: string | undefined;
  let source: string | null = null;
  let subject: string | null = null;
  if (t.startsWith('LOTSEAL|')) {
    const parts = t.split('|');
    if (parts.length < 4) return null;
    hash = parts[parts.length - 1];
    seqText = parts[parts.length - 2];
    source = parts[1] || null;
    subject = parts.slice(2, -2).join('|') || null;
  } else {
    const m = /^#?(\d+)\s*[:|]\s*([0-9a-fA-F]+)$/.exec(t);
    if (!m) return null;
    seqText = m[1];
    hash = m[2];
  }
  if (!seqText || !/^\d{1,15}$/.test(seqText) || !hash || !HASH.test(hash)) return null;
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  return { seq, hash: hash.toLowerCase(), source, subject };
}
