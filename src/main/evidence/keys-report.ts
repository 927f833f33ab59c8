import type { Db } from '../db/database';
import { sha256Hex } from '../ledger/hashing';
import { entriesOf, lastSeq, type KeyEntryRow } from './queries';

/**
 * The key registrations of a database as the audit trail tells them (never the tables, which
 * an attacker may have edited): every host key (`signing_key`) and personal signing key
 * (`personal_key`) with its fingerprint, who registered it when, and every later change. The
 * evidence folder carries this as keys.json and keys.txt, so an inspector can compare the
 * fingerprints with those shown by the application and printed by the standalone verifier.
 * Secret columns (a personal key's sealed private key) are never read.
 */
export interface KeyEvent {
  seq: number;
  at: string;
  action: string;
  by: string;
  by_name: string;
  reason: string | null;
}

export interface HostKeyRegistration {
  id: string;
  fingerprint: string | null;
  /** SHA-256 of the registered raw public key, recomputed: must equal `fingerprint`. */
  fingerprint_matches_public_key: boolean;
  public_key: string | null;
  host: string | null;
  host_kind: string | null;
  valid_from: string | null;
  valid_to: string | null;
  retired: boolean;
  registered: KeyEvent;
  changes: KeyEvent[];
}

export interface PersonalKeyRegistration {
  id: string;
  user_id: string | null;
  printed_name: string | null;
  fingerprint: string | null;
  fingerprint_matches_public_key: boolean;
  public_key: string | null;
  valid_from: string | null;
  valid_to: string | null;
  enrolment: string | null;
  retired: boolean;
  registered: KeyEvent;
  changes: KeyEvent[];
}

export interface KeyRegistrations {
  through_seq: number;
  host_keys: HostKeyRegistration[];
  personal_keys: PersonalKeyRegistration[];
}

type EntryRow = KeyEntryRow;

const iso = (v: unknown): string | null =>
  typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString() : null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function fingerprintOf(publicKey: unknown): string | null {
  if (typeof publicKey !== 'string') return null;
  const raw = Buffer.from(publicKey, 'base64');
  return raw.length ? sha256Hex(raw) : null;
}

export function keyRegistrations(db: Db, throughSeq?: number): KeyRegistrations {
  const head = throughSeq ?? lastSeq(db);
  // The index (entity, entity_id, seq) makes each of these a range scan, not a table scan.
  const ofEntity = entriesOf(db);
  const entries = (entity: string): EntryRow[] => ofEntity(entity, head);
  const parse = (r: EntryRow): Record<string, unknown> | null => {
    try {
      const c = JSON.parse(r.content) as unknown;
      return c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const event = (r: EntryRow): KeyEvent => ({
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    action: r.action,
    by: r.actor,
    by_name: r.actor_name,
    reason: r.reason,
  });

  const host = new Map<string, HostKeyRegistration>();
  for (const r of entries('signing_key')) {
    const c = parse(r);
    if (!c) continue;
    const fp = str(c['fingerprint']);
    const next = {
      fingerprint: fp,
      fingerprint_matches_public_key: fp !== null && fp === fingerprintOf(c['public_key']),
      public_key: str(c['public_key']),
      host: str(c['host']),
      host_kind: str(c['host_kind']),
      valid_from: iso(c['valid_from']),
      valid_to: iso(c['valid_to']),
      retired: c['retired'] === 1,
    };
    const k = host.get(r.entity_id);
    if (!k) host.set(r.entity_id, { id: r.entity_id, ...next, registered: event(r), changes: [] });
    else Object.assign(k, next, { changes: [...k.changes, event(r)] });
  }

  const names = new Map<string, string>();
  for (const r of entries('user')) {
    const c = parse(r);
    const n = c ? str(c['printed_name']) : null;
    if (n) names.set(r.entity_id, n);
  }
  const personal = new Map<string, PersonalKeyRegistration>();
  for (const r of entries('personal_key')) {
    const c = parse(r);
    if (!c) continue;
    const fp = str(c['fingerprint']);
    const user = str(c['user_id']);
    const next = {
      user_id: user,
      printed_name: user ? (names.get(user) ?? null) : null,
      fingerprint: fp,
      fingerprint_matches_public_key: fp !== null && fp === fingerprintOf(c['public_key']),
      public_key: str(c['public_key']),
      valid_from: iso(c['valid_from']),
      valid_to: iso(c['valid_to']),
      enrolment: str(c['enrolment']),
      retired: c['retired'] === 1,
    };
    const k = personal.get(r.entity_id);
    if (!k) personal.set(r.entity_id, { id: r.entity_id, ...next, registered: event(r), changes: [] });
    else Object.assign(k, next, { changes: [...k.changes, event(r)] });
  }
  return { through_seq: head, host_keys: [...host.values()], personal_keys: [...personal.values()] };
}

/** Fingerprint in 4-digit groups, as people read it aloud to compare. */
export function groupedFingerprint(fp: string | null): string {
  return fp ? (fp.match(/.{1,4}/g) ?? []).join(' ') : '—';
}

/** keys.txt: the same registrations, readable (zh-CN and en headings). */
export function keysText(k: KeyRegistrations): string {
  const lines: string[] = [];
  lines.push('LotSeal — 签名密钥登记 / signing key registrations');
  lines.push(`重建自审计追踪（至 #${k.through_seq}）/ rebuilt from the audit trail (through #${k.through_seq})`);
  lines.push('');
  lines.push(`工作站（主机）密钥 / Host keys (${k.host_keys.length})`);
  lines.push('='.repeat(72));
  for (const h of k.host_keys) {
    lines.push(`${h.host_kind ?? '?'}@${h.host ?? '?'}   key ${h.id}`);
    lines.push(`  指纹 / fingerprint: ${groupedFingerprint(h.fingerprint)}`);
    if (!h.fingerprint_matches_public_key)
      lines.push('  !! 指纹与公钥不符 / the fingerprint does not match the public key');
    lines.push(`  公钥 / public key (Ed25519, base64): ${h.public_key ?? '—'}`);
    lines.push(
      `  有效期 / valid: ${h.valid_from ?? '—'} → ${h.valid_to ?? '(open)'}${h.retired ? '  [retired / 已停用]' : ''}`,
    );
    lines.push(
      `  登记 / registered: #${h.registered.seq} ${h.registered.at} by ${h.registered.by_name} (${h.registered.by})`,
    );
    for (const c of h.changes)
      lines.push(
        `  变更 / changed: #${c.seq} ${c.at} ${c.action} by ${c.by_name} (${c.by})${c.reason ? ` — ${c.reason}` : ''}`,
      );
    lines.push('');
  }
  lines.push(`个人签名密钥 / Personal signing keys (${k.personal_keys.length})`);
  lines.push('='.repeat(72));
  if (k.personal_keys.length === 0) lines.push('（无 / none: this database predates personal signing keys）', '');
  for (const p of k.personal_keys) {
    lines.push(`${p.printed_name ?? '?'} (${p.user_id ?? '?'})   key ${p.id}`);
    lines.push(`  指纹 / fingerprint: ${groupedFingerprint(p.fingerprint)}`);
    if (!p.fingerprint_matches_public_key)
      lines.push('  !! 指纹与公钥不符 / the fingerprint does not match the public key');
    lines.push(`  公钥 / public key (Ed25519, base64): ${p.public_key ?? '—'}`);
    lines.push(
      `  有效期 / valid: ${p.valid_from ?? '—'} → ${p.valid_to ?? '(open)'}${p.retired ? '  [retired / 已停用]' : ''}`,
    );
    lines.push(`  授权 / enrolment: ${p.enrolment ?? '—'}`);
    lines.push(
      `  登记 / registered: #${p.registered.seq} ${p.registered.at} by ${p.registered.by_name} (${p.registered.by})`,
    );
    for (const c of p.changes)
      lines.push(
        `  变更 / changed: #${c.seq} ${c.at} ${c.action} by ${c.by_name} (${c.by})${c.reason ? ` — ${c.reason}` : ''}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
