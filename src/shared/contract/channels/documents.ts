import { z } from 'zod';
import { channel, lazySchema } from '../define';

/** Generated document types (issue 7 §3); labels first, the others as their issues land. */
export const documentKinds = ['label', 'coa', 'authority_report', 'dossier', 'drill_pack'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    kind: z.string(),
    subjectEntity: z.string(),
    subjectId: z.string(),
    locale: z.string(),
    fileName: z.string(),
    sha256: z.string(),
    bytes: z.number().int(),
    pageSize: z.string(),
    /** The ledger head printed on the document when it was made. */
    headSeq: z.number().int(),
    headHash: z.string(),
    reprintOf: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  }),
);
export type DocumentView = z.infer<typeof documentViewSchema>;

const id = lazySchema(() => z.string().trim().min(1).max(80));

export const documentsChannels = {
  /**
   * One stored PDF for preview or download, checked against its recorded SHA-256 (≤ 20 MB,
   * as base64). Reading a document is reading the record store: every role.
   */
  'documents.get': channel({
    input: lazySchema(() => z.object({ id })),
    output: lazySchema(() =>
      z.object({
        id: z.string(),
        fileName: z.string(),
        base64: z.string(),
        sha256: z.string(),
        kind: z.string(),
        reprint: z.boolean(),
      }),
    ),
    access: 'ledger.read',
    writes: false,
  }),
  /**
   * Opens a stored document (documents/<sha256>.pdf, checked against its record) or a preview
   * made in this session in the workstation's PDF viewer, or prints it through the system
   * print dialog (docs/decisions.md D-041). Desktop only: the browser harness answers
   * errors.viewer_unavailable (its PDFs open in a browser tab).
   */
  'documents.open': channel({
    input: lazySchema(() =>
      z.object({
        ref: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('document'), id }),
          z.object({ kind: z.literal('preview'), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
        ]),
        action: z.enum(['open', 'print']),
      }),
    ),
    output: lazySchema(() => z.object({ ok: z.literal(true), action: z.enum(['open', 'print']) })),
    access: 'ledger.read',
    writes: false,
  }),
  /** Every document made for a record (a sample's labels and reprints, a lot's certificates). */
  'documents.list': channel({
    input: lazySchema(() => z.object({ subjectEntity: z.string().trim().min(1).max(40), subjectId: id })),
    output: lazySchema(() => z.array(documentViewSchema)),
    access: 'ledger.read',
    writes: false,
  }),
} as const;
