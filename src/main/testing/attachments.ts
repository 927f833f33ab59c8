import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../shared/contract/errors';
import type { Actor } from '../ledger/ledger';
import type { TestingContext } from './context';
import { T } from './entities';
import { asAttachment } from './queries';
import type { AttachmentView, ResultViews } from './views';

/** Attachments up to 20 MiB (a chromatogram PDF, a photo of a printout). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const ATTACHMENT_TYPES =
  /^(application\/pdf|image\/(png|jpeg|tiff|gif|webp)|text\/(plain|csv)|application\/(vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|octet-stream))$/;

/** Raw-data attachments of results, content-addressed under the data folder (issue 8 §3). */
export class ResultAttachments {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
  ) {}

  attach(actor: Actor, id: string, fileName: string, mediaType: string, base64: string, note?: string): AttachmentView {
    const r = this.views.row(id);
    if (r.status === 'invalidated') fail('conflict', { item: r.item_code }, 'errors.result_transition_not_allowed');
    if (!ATTACHMENT_TYPES.test(mediaType))
      fail('invalid_input', { field: 'mediaType', mediaType }, 'errors.attachment_type');
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length === 0) fail('invalid_input', { field: 'base64' }, 'errors.result_attachment_empty');
    if (bytes.length > MAX_ATTACHMENT_BYTES)
      fail('invalid_input', { field: 'base64', max: MAX_ATTACHMENT_BYTES }, 'errors.attachment_too_large');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(this.ctx.attachmentsDir, { recursive: true });
    const file = join(this.ctx.attachmentsDir, sha256);
    if (!existsSync(file)) {
      // Content-addressed: written once, under its hash, atomically.
      writeFileSync(`${file}.tmp`, bytes, { flag: 'w' });
      renameSync(`${file}.tmp`, file);
    }
    return this.ctx.ledger.write(actor, (w) => {
      const a = w.create(T.attachment, {
        result_id: id,
        file_name: fileName.replace(/[\\/]/g, '_'),
        media_type: mediaType,
        bytes: bytes.length,
        sha256,
        added_by: actor.id,
        added_at: w.at,
        note: note ?? null,
      });
      return this.views.attachmentView(asAttachment(a));
    });
  }

  attachment(attachmentId: string): { attachment: AttachmentView; base64: string; intact: boolean } {
    const a = asAttachment(this.ctx.ledger.get(T.attachment, attachmentId));
    if (!a) fail('not_found', { entity: 'result_attachment', id: attachmentId }, 'errors.attachment_not_found');
    const file = join(this.ctx.attachmentsDir, a.sha256);
    if (!existsSync(file)) return { attachment: this.views.attachmentView(a), base64: '', intact: false };
    const bytes = readFileSync(file);
    const intact = createHash('sha256').update(bytes).digest('hex') === a.sha256;
    return { attachment: this.views.attachmentView(a), base64: bytes.toString('base64'), intact };
  }
}
