import { createHash } from 'node:crypto';
import { fail } from '../../shared/contract/errors';
import {
  COMPANY_STAMP_MAX_BYTES,
  type CompanyView,
  type companyInput,
  type companyStampMimes,
} from '../../shared/contract/channels/catalog';
import type { Actor, Ledger } from '../ledger/ledger';
import type { z } from 'zod';
import { C } from './entities';
import { COMPANY_ID, companyQueries, type CompanyQueries, type CompanyRow } from './queries';

export type CompanyInput = z.output<typeof companyInput>;
type StampMime = (typeof companyStampMimes)[number];

/** What a printed document needs of the company: names, licence number, address and the stamp's bytes. */
export interface CompanyFacts {
  name: string;
  nameEn: string | null;
  scNumber: string;
  address: string;
  stamp: { mime: StampMime; bytes: Buffer; sha256: string } | null;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function invalidStamp(messageKey: string, details: Record<string, unknown> = {}): never {
  fail(
    'invalid_input',
    { field: 'stampImage', ...details, issues: [{ path: 'stampImage', code: 'custom', message: messageKey }] },
    messageKey,
  );
}

/**
 * The image really is what its type says: a PNG with its signature and a first IHDR chunk of
 * sane dimensions, or a JPEG that starts with SOI and ends with EOI. A renamed file, a
 * truncated upload or something else entirely is refused before anything is written.
 */
export function checkStampImage(mime: StampMime, bytes: Buffer): void {
  if (bytes.length === 0) invalidStamp('errors.company_stamp_invalid');
  if (bytes.length > COMPANY_STAMP_MAX_BYTES)
    invalidStamp('errors.company_stamp_too_large', { max: COMPANY_STAMP_MAX_BYTES / 1024 });
  if (mime === 'image/png') {
    if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_MAGIC) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
      invalidStamp('errors.company_stamp_invalid');
    }
    const w = bytes.readUInt32BE(16);
    const h = bytes.readUInt32BE(20);
    if (w < 16 || h < 16 || w > 4000 || h > 4000) invalidStamp('errors.company_stamp_invalid');
    return;
  }
  const n = bytes.length;
  if (
    n < 4 ||
    bytes[0] !== 0xff ||
    bytes[1] !== 0xd8 ||
    bytes[2] !== 0xff ||
    bytes[n - 2] !== 0xff ||
    bytes[n - 1] !== 0xd9
  ) {
    invalidStamp('errors.company_stamp_invalid');
  }
}

/**
 * The company the plant's documents name (issue 22 §3, D-077): 企业名称, the 食品生产许可证 SC
 * number, the address and the stamp image. One ledgered record (`company_profile`), set by an
 * administrator with a reason; a stamp image is its own append-only record (`company_stamp`)
 * kept with its SHA-256, so an image once printed on a certificate is never lost.
 */
export class CompanyService {
  private readonly q: CompanyQueries;

  constructor(
    private readonly ledger: Ledger,
    /** A person's printed name by user id (identity, given by the composition root). */
    private readonly personName: (userId: string) => string = (id) => id,
  ) {
    this.q = companyQueries(ledger.db);
  }

  get(): CompanyView | null {
    const row = this.q.profile();
    return row ? this.view(row) : null;
  }

  /** The licence number alone (null until set): what the plant's zone depends on (D-089), without the stamp's bytes. */
  licence(): { scNumber: string } | null {
    const row = this.q.profile();
    return row ? { scNumber: row.sc_number } : null;
  }

  /**
   * A stamp record's image (D-089): its bytes from the record (stamps recorded before migration
   * 0020) or from the image store by SHA-256, used only when their SHA-256 and size are the
   * record's — a swapped or truncated image is never printed (undefined).
   */
  private stampImage(id: string): { mime: StampMime; bytes: Buffer; sha256: string } | undefined {
    const stamp = this.q.stamp(id);
    if (!stamp) return undefined;
    const data = stamp.data || this.q.imageData(stamp.sha256);
    if (!data) return undefined;
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length !== stamp.bytes || createHash('sha256').update(bytes).digest('hex') !== stamp.sha256)
      return undefined;
    return { mime: stamp.mime, bytes, sha256: stamp.sha256 };
  }

  /** The company as documents print it (null until set). */
  facts(): CompanyFacts | null {
    const row = this.q.profile();
    if (!row) return null;
    return {
      name: row.name,
      nameEn: row.name_en,
      scNumber: row.sc_number,
      address: row.address,
      stamp: (row.stamp_id ? this.stampImage(row.stamp_id) : undefined) ?? null,
    };
  }

  set(actor: Actor, input: CompanyInput): CompanyView {
    // The image is decoded and checked before the transaction: a bad one changes nothing.
    let image: { mime: StampMime; bytes: Buffer; sha256: string } | null | undefined;
    if (input.stampImage) {
      const bytes = Buffer.from(input.stampImage.bytesBase64, 'base64');
      if (bytes.toString('base64').replace(/=+$/, '') !== input.stampImage.bytesBase64.replace(/=+$/, '')) {
        invalidStamp('errors.company_stamp_invalid');
      }
      checkStampImage(input.stampImage.mime, bytes);
      image = { mime: input.stampImage.mime, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
    } else image = input.stampImage; // null: remove; undefined: keep
    const row = this.ledger.write(actor, (w) => {
      const before = this.q.profile();
      let stampId: string | null = before?.stamp_id ?? null;
      if (image === null) stampId = null;
      else if (image) {
        const kept = this.q.stampBySha256(image.sha256, image.mime);
        // The bytes go to the image store by their hash; the ledgered record holds the hash,
        // type and size, not the image (D-089). Same transaction: both or neither.
        this.q.keepImage(image.sha256, image.mime, image.bytes.toString('base64'));
        stampId = kept
          ? kept.id
          : w.create(
              C.companyStamp,
              {
                mime: image.mime,
                bytes: image.bytes.length,
                sha256: image.sha256,
                data: '',
                added_by: actor.id,
                added_at: w.at,
              },
              { reason: input.reason },
            ).id;
      }
      const fields = {
        name: input.name,
        name_en: input.nameEn?.trim() ? input.nameEn.trim() : null,
        sc_number: input.scNumber,
        address: input.address,
        stamp_id: stampId,
        updated_by: actor.id,
        updated_at: w.at,
      };
      if (before) w.update(C.company, COMPANY_ID, fields, { reason: input.reason });
      else w.create(C.company, fields, { id: COMPANY_ID, reason: input.reason });
      return this.q.profile();
    });
    if (!row) fail('internal');
    return this.view(row);
  }

  private view(row: CompanyRow): CompanyView {
    const stamp = row.stamp_id ? this.stampImage(row.stamp_id) : undefined;
    return {
      name: row.name,
      nameEn: row.name_en,
      scNumber: row.sc_number,
      address: row.address,
      stampImage: stamp
        ? {
            mime: stamp.mime,
            bytesBase64: stamp.bytes.toString('base64'),
            sha256: stamp.sha256,
            bytes: stamp.bytes.length,
          }
        : null,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
      updatedByName: this.personName(row.updated_by),
    };
  }
}
