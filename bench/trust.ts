/**
 * Trust bench (issue 18): `npm run bench -- --only trust [--data DIR]`. Figures, not asserts.
 *
 * - signing: a QA manager's e-signature with the personal key, as the services make it:
 *   `authenticateSigner` (the password checked by opening the seal: scrypt N=2^15 + AES-GCM)
 *   then one `Ledger.write` that makes the change and signs it (record hash, Ed25519, the
 *   write-time checks of the signature and the rule table, commit with fsync), p50/p95; with
 *   the password hash check alone (what signing cost before personal keys) beside it;
 * - signature-dense verification: a ledger with thousands of personal signatures, verified
 *   with and without the signature pass, and the pass alone (signatures per second);
 * - plant scale: with `--data` (the import bench's database, bench/data.ts's ten-year plant),
 *   the full verification with the signature pass against the same verification without it
 *   (today's, before personal signatures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore } from '../src/main/app/core';
import { actorOf } from '../src/main/identity';
import { verifyPassword } from '../src/main/identity/passwords';
import { unsealPersonalKey } from '../src/main/identity/personal-keys';
import { openSqlite } from '../src/main/db/database';
import { E } from '../src/main/ledger/entities';
import { recordHash, signEsig } from '../src/main/ledger/esig';
import { passphraseProtector } from '../src/main/ledger/keys';
import { allEntities } from '../src/main/ledger/registry';
import { signatureDefs } from '../src/main/ledger/verify';
import { verifyFile } from '../src/main/ledger/verify-runner';
import { verifySignatures } from '../src/main/ledger/verify-signatures';
import * as plant from '../tests/fixtures/plant';
import { inProcessHost } from '../tests/fixtures/plant';

const PASSWORD = 'bench-qa-password-1';
const ADMIN = 'bench-admin-password';

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Full verification on 2 workers, wall and CPU (all threads of this process). */
async function verifyRun(file: string, withoutSignaturePass: boolean) {
  const cpu0 = process.cpuUsage();
  const { ms, value } = await timed(() =>
    verifyFile(file, { skewMs: 300_000, anchor: null, workers: 2, withoutSignaturePass }),
  );
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return {
    entries: value.entries,
    findings: value.findings.length,
    signatures: value.signatures ?? null,
    wall_s: Math.round(ms) / 1000,
    entries_per_s: Math.round(value.entries / (ms / 1000)),
    // Worker threads' CPU is not in process.cpuUsage() on every platform: a lower bound.
    main_thread_cpu_s: Math.round(cpuS * 10) / 10,
  };
}

export async function runTrustBench(
  opts: { plantDb?: string | null; samples?: number; signatures?: number; log?: (s: string) => void } = {},
): Promise<object> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const samples = opts.samples ?? 30;
  const work = mkdtempSync(join(tmpdir(), 'lotseal-trust-bench-'));
  const out: Record<string, unknown> = {};
  try {
    const quiet = { refused: () => undefined, error: () => undefined, info: () => undefined };
    const core = new AppCore({
      dataDir: work,
      hostKind: 'cli',
      protector: passphraseProtector('bench passphrase 1'),
      host: 'bench-host',
      log: quiet,
      timeZone: 'Asia/Shanghai',
    });
    // The QA manager from the plant fixtures (tests/fixtures/plant), through the contract.
    const host = inProcessHost(core.dispatcher);
    const admin = await plant.firstRun(host, { userId: 'admin', printedName: 'Bench admin', password: ADMIN });
    await plant.staff(host, admin, { qa: { ...plant.benchPeople(PASSWORD).qa, printedName: 'Bench QA' } });
    const svc = core.need();

    // ------------------------------------------------------------------ signing latency
    log(`trust: ${samples} signatures with the personal key`);
    const auth: number[] = [];
    const write: number[] = [];
    const total: number[] = [];
    const hashOnly: number[] = [];
    for (let i = 0; i < samples; i++) {
      const u = svc.identity.getUser('qa.bench')!;
      hashOnly.push((await timed(() => verifyPassword(PASSWORD, u.password_hash))).ms);
      const a = await timed(() => svc.identity.authenticateSigner('qa.bench', PASSWORD));
      const signer = a.value;
      const b = await timed(() =>
        svc.ledger.write(actorOf(signer), (w) => {
          const r = w.create(E.auditReview, { through_seq: w.head.seq, filter: '{}', comment: `bench review ${i}` });
          svc.identity.sign(
            w,
            signer,
            { def: E.auditReview, id: r.id },
            { meaning: 'audit_reviewed', comment: 'bench' },
          );
        }),
      );
      auth.push(a.ms);
      write.push(b.ms);
      total.push(a.ms + b.ms);
    }
    out['signing'] = {
      samples,
      password_check_and_unseal_ms: { p50: pct(auth, 50), p95: pct(auth, 95) },
      sign_and_commit_ms: { p50: pct(write, 50), p95: pct(write, 95) },
      total_ms: { p50: pct(total, 50), p95: pct(total, 95) },
      password_hash_check_only_ms: { p50: pct(hashOnly, 50), p95: pct(hashOnly, 95) },
    };

    // ------------------------------------------------------------------ signature-dense ledger
    const n = opts.signatures ?? 20_000;
    log(`trust: writing ${n} personal signatures`);
    const pair = (await unsealPersonalKey(svc.identity.activeKey('qa.bench')!.sealed!, PASSWORD))!;
    const actor = { id: 'qa.bench', name: 'Bench QA' };
    const perTx = 100;
    for (let t = 0; t < n / perTx; t++) {
      svc.ledger.write(actor, (w) => {
        for (let k = 0; k < perTx; k++) {
          const r = w.create(E.auditReview, { through_seq: w.head.seq, filter: '{}', comment: `dense ${t}.${k}` });
          const f = {
            comment: null,
            entity: 'audit_review',
            entity_id: r.id,
            head_hash: w.head.hash,
            head_seq: w.head.seq,
            key: pair.id,
            meaning: 'audit_reviewed',
            printed_name: 'Bench QA',
            record_hash: recordHash(E.auditReview, r),
            signed_at: w.at,
            signer: 'qa.bench',
            tz: 'Asia/Shanghai',
          };
          w.create(E.signature, {
            entity: f.entity,
            entity_id: f.entity_id,
            meaning: f.meaning,
            user_id: f.signer,
            printed_name: f.printed_name,
            signed_at: f.signed_at,
            tz: f.tz,
            comment: f.comment,
            record_hash: f.record_hash,
            key_id: f.key,
            head_seq: f.head_seq,
            head_hash: f.head_hash,
            sig: signEsig(pair.privateKey, f),
          });
        }
      });
    }
    const file = core.dbFile;
    svc.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    core.close();
    const db = openSqlite(file, { readonly: true });
    const head = (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number }).s;
    const pass = await timed(() => verifySignatures(db, head, signatureDefs(allEntities())));
    db.close();
    out['signature_dense'] = {
      entries: head,
      signatures: pass.value.signatures,
      findings: pass.value.findings.length,
      signature_pass_single_thread_s: Math.round(pass.ms) / 1000,
      signatures_per_s: Math.round(pass.value.signatures / (pass.ms / 1000)),
      with_signature_pass: await verifyRun(file, false),
      without_signature_pass: await verifyRun(file, true),
    };

    // ------------------------------------------------------------------ plant scale
    if (opts.plantDb) {
      log(`trust: plant-scale verification of ${opts.plantDb}`);
      const without = await verifyRun(opts.plantDb, true);
      const withPass = await verifyRun(opts.plantDb, false);
      const pdb = openSqlite(opts.plantDb, { readonly: true });
      const ph = (pdb.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number }).s;
      const alone = await timed(() => verifySignatures(pdb, ph, signatureDefs(allEntities())));
      pdb.close();
      out['plant_scale'] = {
        with_signature_pass: withPass,
        without_signature_pass_as_before: without,
        signature_pass_alone_single_thread_s: Math.round(alone.ms) / 1000,
      };
    } else {
      out['plant_scale'] = { skipped: 'give --data DIR (the import bench imports it first)' };
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

if (require.main === module) {
  const i = process.argv.indexOf('--plant-db');
  runTrustBench({ plantDb: i >= 0 ? process.argv[i + 1] : null })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    });
}
