import { importFileKinds } from '../../../../shared/contract/channels/trace';
import { call } from '../../core/api/client';
import { fileToBase64 } from '../../ui/form-errors';

export type ImportFileKind = (typeof importFileKinds)[number];
export type ImportFiles = Partial<Record<ImportFileKind, File>>;

/** 4 MiB of raw bytes per call: about 5.6 MB of base64, under the channel's 8 MB limit. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface UploadProgress {
  file: ImportFileKind;
  sent: number;
  total: number;
}

/**
 * Uploads the chosen files as one upload: the first chunk starts it (no uploadId), every
 * later chunk names it; each file's last chunk says `final`. Returns the uploadId.
 */
export async function uploadFiles(
  files: ImportFiles,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<string> {
  let uploadId: string | undefined;
  const chosen = importFileKinds.filter((k) => files[k]);
  const total = chosen.reduce((n, k) => n + (files[k]?.size ?? 0), 0);
  let sent = 0;
  for (const kind of chosen) {
    const f = files[kind] as File;
    let offset = 0;
    do {
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const end = Math.min(f.size, offset + CHUNK_BYTES);
      const chunkBase64 = end > offset ? await fileToBase64(f.slice(offset, end)) : '';
      const r = await call('import.upload', {
        ...(uploadId ? { uploadId } : {}),
        file: kind,
        fileName: f.name,
        chunkBase64,
        final: end >= f.size,
      });
      uploadId = r.uploadId;
      sent += end - offset;
      offset = end;
      onProgress({ file: kind, sent, total });
    } while (offset < f.size);
  }
  if (!uploadId) throw new Error('no files');
  return uploadId;
}
