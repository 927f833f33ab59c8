import type { SignedChangeRule } from '../../shared/domain/signed-changes';

/**
 * One transaction against the signed-change rule table (src/shared/domain/signed-changes.ts).
 * The write path (`Ledger.write`, on the transaction it is about to commit) and verification
 * (on every transaction of the audit trail) both reduce a transaction to these two lists and
 * call `evaluateTransaction`, so they cannot disagree on what is missing or not entitled.
 */
export interface TxChange {
  seq: number;
  entity: string;
  id: string;
  /** The entry's actor (`system` for what no person does). */
  actor: string;
  /** The rules this change matched (non-empty). */
  rules: readonly SignedChangeRule[];
}

export interface TxSignature {
  seq: number;
  /** The signature record's id. */
  id: string;
  entity: string;
  entityId: string;
  meaning: string;
  signer: string;
  /** The personal signature verifies (key, time, head, record hash, Ed25519). */
  valid: boolean;
  /** The signer's account, just before the signature: active, and its roles. */
  signerActive: boolean;
  signerRoles: readonly string[];
}

export interface TxProblem {
  kind: 'signature_missing' | 'signer_not_entitled';
  seq: number;
  entity: string;
  id: string;
  detail: string;
  rules: string[];
}

export function evaluateTransaction(
  changes: readonly TxChange[],
  signatures: readonly TxSignature[],
  rulesFor: (entity: string, meaning: string) => readonly SignedChangeRule[],
): TxProblem[] {
  const out: TxProblem[] = [];
  const notEntitled = new Set<string>();
  const refuse = (s: TxSignature, detail: string, rules: string[]): void => {
    if (notEntitled.has(s.id)) return;
    notEntitled.add(s.id);
    out.push({ kind: 'signer_not_entitled', seq: s.seq, entity: 'signature', id: s.id, detail, rules });
  };
  for (const c of changes) {
    if (c.rules.length === 0) continue;
    if (c.actor === 'system' && c.rules.some((r) => r.systemUnsigned)) continue;
    const meanings = new Set<string>(c.rules.flatMap((r) => r.meanings));
    const ids = c.rules.map((r) => r.id);
    const candidates = signatures.filter(
      (s) => s.entity === c.entity && s.entityId === c.id && meanings.has(s.meaning),
    );
    if (candidates.length === 0) {
      out.push({
        kind: 'signature_missing',
        seq: c.seq,
        entity: c.entity,
        id: c.id,
        detail: `${c.entity} ${c.id} changed at #${c.seq} (${ids.join(', ')}) without a personal signature (${[...meanings].join(' / ')}) in the same transaction`,
        rules: ids,
      });
      continue;
    }
    const valid = candidates.filter((s) => s.valid);
    // An invalid signature is reported as signature_invalid on the signature itself.
    if (valid.length === 0) continue;
    const entitled = valid.some(
      (s) =>
        s.signerActive &&
        c.rules.some(
          (r) =>
            (r.meanings as readonly string[]).includes(s.meaning) &&
            r.roles.some((role) => s.signerRoles.includes(role)),
        ),
    );
    if (!entitled) {
      const s = valid[0]!;
      const roles = [...new Set(c.rules.flatMap((r) => r.roles))];
      refuse(
        s,
        `${s.signer} signed ${s.meaning} on ${c.entity} ${c.id} (${ids.join(', ')}) without holding ${roles.join(' or ')}${s.signerActive ? '' : ' as an active account'} at #${s.seq}`,
        ids,
      );
    }
  }
  for (const s of signatures) {
    if (!s.valid) continue;
    if (!s.signerActive) {
      refuse(s, `${s.signer} was not an active account when signing ${s.meaning} at #${s.seq}`, []);
      continue;
    }
    const rules = rulesFor(s.entity, s.meaning);
    if (rules.length && !rules.some((r) => r.roles.some((role) => s.signerRoles.includes(role)))) {
      const roles = [...new Set(rules.flatMap((r) => r.roles))];
      refuse(
        s,
        `${s.signer} signed ${s.meaning} on ${s.entity} ${s.entityId} without holding ${roles.join(' or ')} at #${s.seq}`,
        rules.map((r) => r.id),
      );
    }
  }
  return out;
}

/** Index of the rule table by (entity, meaning). */
export function rulesByMeaning(
  rules: readonly SignedChangeRule[],
): (entity: string, meaning: string) => readonly SignedChangeRule[] {
  const m = new Map<string, SignedChangeRule[]>();
  for (const r of rules) {
    for (const meaning of r.meanings) {
      const k = `${r.entity}\u0000${meaning}`;
      const list = m.get(k) ?? [];
      list.push(r);
      m.set(k, list);
    }
  }
  return (entity, meaning) => m.get(`${entity}\u0000${meaning}`) ?? [];
}
