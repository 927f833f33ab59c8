import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { emptySchema, okSchema } from '../common';
import { TRANSFER_CHUNK_MAX } from '../../site/protocol';

/**
 * Downloads of what the server made (issue 23, D-103, docs/site-server.md §8): a verified backup
 * copy, an evidence folder, an audit-trail CSV, offered by the job that made them to the user who
 * started it. A workstation on a site server reads them in bounded, hashed chunks and checks each
 * file's SHA-256 before anything is reported ok (src/main/remote/download.ts).
 */
export const transferFileSchema = lazySchema(() =>
  z.object({
    /** Relative, '/'-separated path inside the transfer (the file's own name for a single file). */
    path: z.string(),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
);
export type TransferFile = z.infer<typeof transferFileSchema>;

export const transferViewSchema = lazySchema(() =>
  z.object({
    transferId: z.string(),
    kind: z.enum(['backup', 'evidence', 'audit_csv']),
    /** A single file (backup, CSV) or a folder (evidence). */
    shape: z.enum(['file', 'folder']),
    /** The name the server gave it (file or folder name). */
    name: z.string(),
    files: z.array(transferFileSchema),
    bytes: z.number().int().nonnegative(),
    /** What the job reported (backup: entries, bytes; evidence: the export's result), for the command's output. */
    meta: z.record(z.string(), z.unknown()),
  }),
);
export type TransferView = z.infer<typeof transferViewSchema>;

const jobId = lazySchema(() => z.string().min(1).max(100));
const transferId = lazySchema(() => z.string().min(1).max(100));

export const transferChannels = {
  /**
   * A backup copy for download (`lotseal backup --out FILE --server …`): the server copies its
   * database with SQLite's online backup into a staging folder of its own, verifies the copy as
   * `lotseal verify` does, records the `backup_event` (who, SHA-256), and offers it to this user
   * as a transfer (`transfer.open` with the job id once `job.progress` says it finished).
   */
  'backup.stage': channel({
    input: emptySchema,
    output: lazySchema(() => z.object({ jobId: z.string() })),
    access: 'backup.run',
    writes: false,
  }),
  /** The transfer a finished job of this user offers: null while the job runs or its files are being hashed. */
  'transfer.open': channel({
    input: lazySchema(() => z.object({ jobId })),
    output: lazySchema(() => transferViewSchema.nullable()),
    access: 'session',
    writes: false,
  }),
  /** One chunk of a file of a transfer: at most TRANSFER_CHUNK_MAX bytes from `offset`, with its SHA-256. */
  'transfer.read': channel({
    input: lazySchema(() =>
      z.object({
        transferId,
        path: z.string().min(1).max(400),
        offset: z.number().int().nonnegative(),
        length: z.number().int().min(1).max(TRANSFER_CHUNK_MAX),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        offset: z.number().int(),
        bytes: z.number().int(),
        base64: z.string(),
        sha256: z.string(),
        eof: z.boolean(),
      }),
    ),
    access: 'session',
    writes: false,
  }),
  /** The client has what it needs: a staged copy (backup) is removed from the server; an export folder stays. */
  'transfer.close': channel({
    input: lazySchema(() => z.object({ transferId })),
    output: okSchema,
    access: 'session',
    writes: false,
  }),
  /**
   * The audit screen's "Download to this workstation" (issue 23): the evidence folder or CSV that
   * an export job of this user made on the site server is downloaded (verified chunk by chunk,
   * every file's SHA-256 and the manifest checked) into this workstation's exports folder.
   * Answered by the workstation (src/shared/site/routing.ts); embedded, the export is already here.
   */
  'exports.download': channel({
    input: lazySchema(() => z.object({ jobId })),
    output: lazySchema(() => z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
    access: 'ledger.export',
    writes: false,
  }),
} as const;
