import type { KeyObject } from 'node:crypto';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { E, entityDef, type EntityDef, type Row } from '../ledger/entities';
import { esigFieldsOf, recordHash, signEsig, verifyEsig } from '../ledger/esig';
import type { LedgerWriter } from '../ledger/ledger';
import { Authentication } from './authentication';
import { actorOf, cannotWriteNow, type Signer, type SignatureRow, type UserRow } from './model';
import { newPersonalKey, sealPersonalKey, unsealPersonalKey, type PersonalKeyPair } from './personal-keys';
import type { PersonalKeyRow, SignatureRecord } from './queries';
import type { ChannelOutput } from '../../shared/contract';

type KeyRegister = ChannelOutput<'keys.list'>;

interface UnsealedKey {
  privateKey: KeyObject;
  keyId: string;
  fingerprint: string;
}

const unsealed = new WeakMap<object, UnsealedKey>();

export interface PersonalState {
  personal: 'verified' | 'legacy' | 'invalid';
  keyFingerprint: string | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function enrolmentKind(e: string): KeyRegister['personal'][number]['enrolment'] {
  return e === 'init' || e === 'upgrade' ? e : 'enrolled';
}

/**
 * Personal keys and electronic signatures (11.50, 11.70, 11.200; docs/ledger.md §3): the
 * second layer of IdentityService (accounts.ts), above authentication.
 */
export class Signatures extends Authentication {
  // ---------------------------------------------------------------- personal keys

  /** The key the user signs with now: valid (no valid_to) and sealed. */
  activeKey(userId: string): PersonalKeyRow | undefined {
    return this.q.activeKey(userId);
  }

  keysOf(userId: string): PersonalKeyRow[] {
    return this.q.keysOf(userId);
  }

  /**
   * The last entry of the transaction that applied migration 0011: signatures and keys up to
   * it are "legacy"; users created up to it may register a key by `upgrade` (docs/ledger.md §3.1).
   */
  protected legacyBoundary(): number {
    return this.q.legacyBoundary();
  }

  /** The latest `enrolled` signature on the user that no key used yet. */
  protected pendingEnrolment(userId: string): SignatureRecord | undefined {
    return this.q.pendingEnrolment(userId);
  }

  /**
   * May the user register a key by `upgrade`? Only an account that existed before migration
   * 0011, that has no personal key yet, and that no administrator enrolled since.
   */
  upgradeEligible(u: UserRow): boolean {
    if (this.keysOf(u.id).length > 0) return false;
    const boundary = this.legacyBoundary();
    const created = this.q.userCreatedSeq(u.id);
    if (created === undefined || created > boundary) return false;
    return !this.q.everEnrolled(u.id);
  }

  /** Writes a new personal key for `u` (sealed under `password`) with its enrolment. */
  protected createKey(
    w: LedgerWriter,
    u: UserRow,
    pair: PersonalKeyPair,
    sealed: string,
    enrolment: string,
    proof: string | null,
  ): Row {
    return w.create(
      E.personalKey,
      {
        user_id: u.id,
        public_key: pair.publicKey,
        fingerprint: pair.fingerprint,
        valid_from: w.at,
        valid_to: null,
        sealed,
        enrolment,
        enrolment_proof: proof,
        retired_reason: null,
      },
      {
        id: pair.id,
        reason:
          enrolment === 'upgrade'
            ? 'personal key registered at the first sign-in after the upgrade'
            : 'personal key registered at the first own password',
      },
    );
  }

  /**
   * The user's first own-password authentication after the upgrade: a personal key is made and
   * registered by the user (enrolment `upgrade`, listed as such by verification).
   */
  protected async maybeUpgrade(u: UserRow, password: string): Promise<PersonalKeyPair | null> {
    if (
      u.must_change_password === 1 ||
      !this.ledger.isKeyRegistered() ||
      this.ledger.blocked() ||
      !this.upgradeEligible(u)
    )
      return null;
    const pair = newPersonalKey();
    const sealed = await sealPersonalKey(pair.privateKey, password);
    try {
      this.ledger.write(actorOf(u), (w) => {
        if (!this.upgradeEligible(this.mustGet(u.id))) return;
        this.createKey(w, u, pair, sealed, 'upgrade', null);
      });
    } catch (e) {
      if (cannotWriteNow(e)) return null;
      throw e;
    }
    return this.activeKey(u.id)?.id === pair.id ? pair : null;
  }

  // ---------------------------------------------------------------- electronic signatures

  /** SHA-256 of a record's canonical signed content: what a signature is bound to (11.70). */
  recordHash(def: EntityDef, id: string): string {
    const row = this.ledger.get(def, id);
    if (!row) fail('not_found', { entity: def.name, id });
    return recordHash(def, row);
  }

  /**
   * Step 1 of signing, before the transaction: the signer re-enters the password (every
   * signing, 11.200(a)); it is checked and, at the same time, it unseals the signer's
   * personal key. A wrong password is refused and counted (sidecar). A success resets the
   * failure count; it is recorded by the signature itself (and by an auth event when failures
   * were waiting).
   */
  async authenticateSigner(userId: string, password: string): Promise<Signer> {
    const { u, pair } = await this.passwordAndKey(userId, password, 'signature');
    if (this.failedAttempts(u.id) > 0) this.recordSuccess(u, 'signature_authenticated');
    return this.signerOf(u, pair);
  }

  /**
   * The password checked and the personal key unsealed in one: with a key in force, opening its
   * seal is the password check (AES-256-GCM under the scrypt of this password: the seal is
   * always made under the current password — re-sealed at every change, retired at a reset);
   * without one, the password hash, then the upgrade's new key (or none).
   */
  protected async passwordAndKey(
    userId: string,
    password: string,
    purpose: string,
    before?: (u: UserRow) => void,
  ): Promise<{ u: UserRow; pair: PersonalKeyPair | null }> {
    const key = this.activeKey(userId);
    let pair: PersonalKeyPair | null = null;
    const u = await this.authenticate(
      userId,
      password,
      purpose,
      key?.sealed
        ? async () => {
            pair = await unsealPersonalKey(key.sealed!, password);
            return pair !== null && pair.id === key.id;
          }
        : undefined,
    );
    before?.(u);
    if (!key) pair = await this.maybeUpgrade(u, password);
    return { u, pair };
  }

  protected signerOf(u: UserRow, pair: PersonalKeyPair | null): Signer {
    if (!pair) fail('key_error', { userId: u.id }, 'errors.no_personal_key');
    const signer: Signer = { ...this.mustGet(u.id) };
    unsealed.set(signer, { privateKey: pair.privateKey, keyId: pair.id, fingerprint: pair.fingerprint });
    return signer;
  }

  /**
   * Step 2, inside the transaction that made the signed change, after making it: the
   * signature record, with the signer's personal Ed25519 signature over the record's content
   * hash and the ledger head before this transaction (docs/ledger.md §3.2). `distinctFrom`
   * lists meanings that the same person may not also have signed on this record (author and
   * reviewer are two people); the service enforces it, not the UI. The unsealed key is
   * dropped when the transaction ends.
   */
  sign(
    w: LedgerWriter,
    signer: Signer,
    target: { def: EntityDef; id: string },
    s: { meaning: SignatureMeaning; comment?: string | undefined; distinctFrom?: SignatureMeaning[] },
  ): Row {
    const k = unsealed.get(signer);
    if (!k)
      throw new Error(
        'identity.sign needs the Signer returned by authenticateSigner for this transaction (its key is dropped after one transaction)',
      );
    w.afterTransaction(() => unsealed.delete(signer));
    if (s.distinctFrom?.length) {
      const distinct: readonly string[] = s.distinctFrom;
      const clash = this.q.meaningsSignedBy(target.def.name, target.id, signer.id).find((m) => distinct.includes(m));
      if (clash) fail('self_review', { meaning: s.meaning, conflictsWith: clash });
    }
    const row = w.get(target.def, target.id);
    if (!row) fail('not_found', { entity: target.def.name, id: target.id });
    const fields = {
      comment: s.comment?.trim() ? s.comment.trim() : null,
      entity: target.def.name,
      entity_id: target.id,
      head_hash: w.head.hash,
      head_seq: w.head.seq,
      key: k.keyId,
      meaning: s.meaning,
      printed_name: signer.printed_name,
      record_hash: recordHash(target.def, row),
      signed_at: w.at,
      signer: signer.id,
      tz: this.ledger.timeZone,
    };
    return w.create(E.signature, {
      entity: fields.entity,
      entity_id: fields.entity_id,
      meaning: fields.meaning,
      user_id: fields.signer,
      printed_name: fields.printed_name,
      signed_at: fields.signed_at,
      tz: fields.tz,
      comment: fields.comment,
      record_hash: fields.record_hash,
      key_id: fields.key,
      head_seq: fields.head_seq,
      head_hash: fields.head_hash,
      sig: signEsig(k.privateKey, fields),
    });
  }

  /**
   * The signatures of a record, each with `valid` (the record's content still hashes to what
   * was signed) and the state of its personal signature (docs/ledger.md §3.2): `verified`
   * when it verifies with the signer's key on record, `legacy` when made before personal keys.
   */
  signaturesFor(entity: string, entityId: string): SignatureRow[] {
    const rows = this.q.signaturesOf(entity, entityId);
    if (rows.length === 0) return [];
    const def = entityDef(entity);
    if (!def) fail('not_found', { entity });
    const current = this.ledger.get(def, entityId);
    const hash = current ? recordHash(def, current) : null;
    return rows.map((r) => ({ ...r, valid: hash !== null && r.record_hash === hash, ...this.personalState(r) }));
  }

  /** A signature's personal signature: verified with the key on record, legacy, or invalid. */
  personalState(r: SignatureRecord): PersonalState {
    if (!r.sig) return { personal: 'legacy', keyFingerprint: null };
    const k = r.key_id === null ? undefined : this.q.personalKey(r.key_id);
    if (!k) return { personal: 'invalid', keyFingerprint: null };
    const f = esigFieldsOf({ ...r });
    const head = this.q.entryHash(f.head_seq);
    const headOk = f.head_seq === 0 ? f.head_hash === '0'.repeat(64) : head?.toString('hex') === f.head_hash;
    const inValidity = f.signed_at >= k.valid_from && (k.valid_to === null || f.signed_at < k.valid_to);
    const ok = k.user_id === f.signer && headOk && inValidity && verifyEsig(k.public_key, f, r.sig);
    return { personal: ok ? 'verified' : 'invalid', keyFingerprint: k.fingerprint };
  }

  /** A signature record's personal signature checked (the audit trail's signature entries); null if there is none. */
  signatureCheck(id: string): (PersonalState & { keyId: string | null; headSeq: number | null }) | null {
    const r = this.q.signature(id);
    if (!r) return null;
    const st = this.personalState(r);
    return {
      personal: st.personal,
      keyFingerprint: st.keyFingerprint,
      keyId: r.key_id ?? null,
      headSeq: r.head_seq ?? null,
    };
  }

  /** The keys register (trust screen): every host key with who enrolled it, every personal key. */
  keyRegister(): KeyRegister {
    const hosts = this.q.signingKeys().map((k) => ({
      id: k.id,
      fingerprint: k.fingerprint,
      host: k.host,
      hostKind: k.host_kind,
      validFrom: iso(k.valid_from),
      validTo: k.valid_to === null ? null : iso(k.valid_to),
      enrolledBy: this.q.hostEnrolledBy(k.id) ?? null,
    }));
    const personal = this.q.allPersonalKeys().map((k) => ({
      id: k.id,
      userId: k.user_id,
      fingerprint: k.fingerprint,
      validFrom: iso(k.valid_from),
      validTo: k.valid_to === null ? null : iso(k.valid_to),
      enrolment: enrolmentKind(k.enrolment),
      retiredReason: k.retired_reason ?? null,
    }));
    return { hosts, personal };
  }
}
