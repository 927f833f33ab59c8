/**
 * What the language sweep (language-sweep.spec.ts) lets through on a Chinese screen, and why.
 * Keep it small: every entry is something a Chinese QA lab writes in Latin letters itself.
 */

/** Latin tokens a Chinese IMF lab writes as they are. */
export const LATIN_OK: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Units and bases (GB 10765 tables print them in Latin letters).
    g: 'unit',
    kg: 'unit',
    mg: 'unit',
    µg: 'unit',
    MB: 'file size',
    mL: 'unit',
    ml: 'unit',
    L: 'unit',
    kJ: 'unit',
    kcal: 'unit',
    IU: 'unit',
    CFU: 'unit (colony-forming units)',
    MPN: 'unit (most probable number)',
    mm: 'unit',
    min: 'unit',
    h: 'unit',
    // Standards and licences.
    GB: 'national standard prefix (GB 10765-2021)',
    'GB/T': 'recommended national standard prefix (GB/T 8170)',
    SC: 'food production licence number prefix (SC + 14 digits)',
    ISO: 'standard prefix',
    // Chemistry and methods.
    pH: 'chemistry',
    HPLC: 'method',
    'ICP-MS': 'method',
    ICP: 'method',
    MS: 'method',
    GC: 'method',
    DHA: 'nutrient abbreviation on every Chinese label',
    ARA: 'nutrient abbreviation on every Chinese label',
    Pb: 'element symbol',
    Ca: 'element symbol',
    Fe: 'element symbol',
    Zn: 'element symbol',
    Na: 'element symbol',
    Cu: 'element symbol',
    Se: 'element symbol',
    ND: 'not detected, as typed',
    LOD: 'limit of detection, as labs write it',
    LOQ: 'limit of quantification, as labs write it',
    RSD: 'statistics',
    SD: 'statistics',
    CV: 'statistics',
    QC: 'quality control, as labs write it',
    OOS: 'out of specification, as labs write it',
    COA: 'certificate of analysis, as Chinese plants write it',
    GMP: 'good manufacturing practice (EU GMP Annex 11)',
    EU: 'EU GMP',
    CIP: 'cleaning in place, as plants write it',
    Westgard: 'the Westgard rules of control charts (no Chinese name in use)',
    // Files, codes and machines.
    LotSeal: 'the product name',
    PDF: 'file type',
    CSV: 'file type',
    JSON: 'file type',
    QR: 'QR code',
    SHA: 'hash name (SHA-256)',
    UTC: 'time zone label',
    ID: 'identifier',
    ERP: 'the plant system the import comes from',
    USB: 'port',
    RS: 'serial port (RS-232)',
    EPCIS: 'GS1 traceability standard (export format)',
    'JSON-LD': 'file type',
    LOTSEAL: 'the prefix of the QR payload printed on documents',
    'BUILT-IN': 'the code of the built-in intake panel',
    Python: 'the language of the independent verifier script',
    exports: 'the name of the export folder on disk',
    // Keys on the keyboard, as printed on them.
    Enter: 'key',
    Esc: 'key',
    Shift: 'key',
    Tab: 'key',
    Ctrl: 'key',
  }),
);

export interface Leak {
  kind: 'latin' | 'uuid' | 'epoch';
  word: string;
  context: string;
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Epoch milliseconds of 2001–2286 (13 digits), not part of a longer number or code. */
const EPOCH = /(?<![\d.\-A-Za-z])1\d{12}(?![\d.])/g;
/** Standard numbers: GB 10765-2021, GB/T 8170, GB 4789.4, GB 5009.5 … */
const STANDARD = /\bGB(?:\/T)?\s*\d+(?:\.\d+)*(?:-\d{4})?/g;
/** A run of code characters: letters, digits and the joiners of codes (IF1-2612-001, SPEC-IF1, kJ/100, sun.li). */
const TOKEN = /[A-Za-z0-9µ]+(?:[-_./·][A-Za-z0-9µ]+)*/g;

function around(text: string, at: number, len: number): string {
  return text
    .slice(Math.max(0, at - 25), at + len + 25)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The leaks in a screen's visible text. `typed` are codes the test itself typed (lot, sample,
 * user ids …): shown as typed, never translated.
 *
 * A token with a digit is a code (IF1-2612-001, B12, 1_3s, Ed25519, A1) and passes; a single
 * letter passes (vitamin A, sampling plan n/c/m/M, 表 A.1); other Latin tokens pass only when
 * whitelisted above.
 */
export function leaksIn(text: string, typed: readonly string[]): Leak[] {
  const out: Leak[] = [];
  for (const m of text.matchAll(UUID))
    out.push({ kind: 'uuid', word: m[0], context: around(text, m.index, m[0].length) });
  for (const m of text.matchAll(EPOCH))
    out.push({ kind: 'epoch', word: m[0], context: around(text, m.index, m[0].length) });
  // Commands to type are quoted in backticks (`lotseal verify`): shown as typed.
  let rest = text
    .replace(UUID, ' ')
    .replace(STANDARD, ' ')
    .replace(/`[^`\n]*`/g, ' ');
  for (const code of [...typed].sort((a, b) => b.length - a.length)) rest = rest.split(code).join(' ');
  for (const m of rest.matchAll(TOKEN)) {
    const word = m[0];
    if (!/[A-Za-z]/.test(word) || /\d/.test(word)) continue;
    if (word.length === 1) continue;
    // "ICP-MS", "GB/T" as a whole, else each part (mg/kg → mg, kg; g/100 g handled by the digit rule).
    if (LATIN_OK.has(word)) continue;
    const parts = word.split(/[-_./·]/).filter((p) => p !== '');
    if (parts.every((p) => p.length === 1 || LATIN_OK.has(p))) continue;
    out.push({ kind: 'latin', word, context: around(rest, m.index, word.length) });
  }
  return out;
}
