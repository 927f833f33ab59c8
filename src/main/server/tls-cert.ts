import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/**
 * The site server's TLS certificate (issue 23 §1, D-093). Without `--tls-cert/--tls-key`,
 * `lotseal serve` creates a self-signed ECDSA P-256 certificate in the data folder on first
 * start and keeps it; workstations pin its SHA-256 fingerprint (they never trust a CA for
 * it). Node can sign but has no X.509 builder, so this file writes the certificate's DER with
 * a minimal encoder (only the types a certificate needs) rather than adding a dependency.
 */

// --- DER (X.690), the few types a certificate uses -------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
/** Context-specific, constructed ([n] EXPLICIT). */
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 | n, body);

/** A non-negative INTEGER from big-endian bytes (a leading 0 when the top bit is set). */
function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const octetString = (b: Buffer): Buffer => tlv(0x04, b);
const boolTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = d.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

function name(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), utf8(cn))), set(seq(oid('2.5.4.10'), utf8('LotSeal site server'))));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand '::'.
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function subjectAltName(names: readonly string[]): Buffer {
  const entries = names.map(
    (n) => (isIP(n) ? tlv(0x87, ipBytes(n)) /* [7] iPAddress */ : tlv(0x82, Buffer.from(n, 'ascii'))) /* [2] dNSName */,
  );
  return seq(...entries);
}

export interface SelfSignedOptions {
  /** The certificate's common name (the server's host name). */
  commonName: string;
  /** DNS names and IP addresses the certificate names (subjectAltName). */
  altNames: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

/** A self-signed ECDSA P-256 / SHA-256 certificate and its private key, both PEM. */
export function selfSignedCertificate(o: SelfSignedOptions): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const extensions = seq(
    // basicConstraints: critical, not a CA.
    seq(oid('2.5.29.19'), boolTrue(), octetString(seq())),
    // keyUsage: critical, digitalSignature.
    seq(oid('2.5.29.15'), boolTrue(), octetString(tlv(0x03, Buffer.from([0x07, 0x80])))),
    // extKeyUsage: serverAuth.
    seq(oid('2.5.29.37'), octetString(seq(oid('1.3.6.1.5.5.7.3.1')))),
    // subjectAltName.
    seq(oid('2.5.29.17'), octetString(subjectAltName(o.altNames))),
    // subjectKeyIdentifier: SHA-1 of the key bits is the RFC's method 1; SHA-256 truncated is allowed (RFC 7093).
    seq(oid('2.5.29.14'), octetString(octetString(createHash('sha256').update(spki).digest().subarray(0, 20)))),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ecdsaWithSha256,
    name(o.commonName),
    seq(time(o.notBefore), time(o.notAfter)),
    name(o.commonName),
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, ecdsaWithSha256, bitString(signature));
  const pem = (label: string, b: Buffer): string =>
    `-----BEGIN ${label}-----\n${(b.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
  return { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** SHA-256 of a certificate's DER, hex: what `lotseal serve` prints and clients pin. */
export function certificateFingerprint(certPem: string | Buffer): string {
  const x = new X509Certificate(certPem);
  return createHash('sha256').update(x.raw).digest('hex');
}

export interface ServerTls {
  cert: string;
  key: string;
  fingerprint: string;
  /** Where the certificate came from: created now, kept from an earlier start, or given. */
  source: 'created' | 'kept' | 'given';
  certFile: string;
}

/** The folder of the self-signed certificate in a data folder. */
export function tlsDir(dataDir: string): string {
  return join(dataDir, 'site-tls');
}

/**
 * The server's certificate: the files given, else the one kept in `<dataDir>/site-tls/`, else a
 * new self-signed one written there (key 0600) on this first start. A given pair is checked
 * (the key must match the certificate) so a mistake is a clear refusal at start, not a TLS
 * failure at every workstation.
 */
export function loadServerTls(
  dataDir: string,
  given: { certFile?: string | undefined; keyFile?: string | undefined },
  names: { host: string; altNames: readonly string[] },
  now: Date = new Date(),
): ServerTls {
  if (given.certFile || given.keyFile) {
    if (!given.certFile || !given.keyFile) throw new Error('--tls-cert and --tls-key go together');
    const cert = readFileSync(given.certFile, 'utf8');
    const key = readFileSync(given.keyFile, 'utf8');
    if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key)))
      throw new Error(`the key ${given.keyFile} does not belong to the certificate ${given.certFile}`);
    return { cert, key, fingerprint: certificateFingerprint(cert), source: 'given', certFile: given.certFile };
  }
  const dir = tlsDir(dataDir);
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return {
      cert,
      key: readFileSync(keyFile, 'utf8'),
      fingerprint: certificateFingerprint(cert),
      source: 'kept',
      certFile,
    };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 20);
  const made = selfSignedCertificate({
    commonName: names.host,
    altNames: [...new Set(['localhost', '127.0.0.1', '::1', ...names.altNames])],
    notBefore: new Date(now.getTime() - 24 * 3_600_000),
    notAfter,
  });
  // The key first, then the certificate: a start interrupted between them makes a new pair next time.
  const write = (file: string, text: string, mode: number): void => {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
  };
  write(keyFile, made.key, 0o600);
  write(certFile, made.cert, 0o644);
  return { ...made, fingerprint: certificateFingerprint(made.cert), source: 'created', certFile };
}
