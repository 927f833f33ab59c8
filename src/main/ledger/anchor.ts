import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The last head this workstation signed, kept outside the database (in the data folder),
 * so that a database replaced by an older copy of itself is detected (`anchor_behind`).
 */
export interface Anchor {
  database_id: string;
  seq: number;
  hash: string;
  at: number;
}

export class AnchorStore {
  constructor(private readonly dir: string) {}

  static forDataDir(dataDir: string): AnchorStore {
    return new AnchorStore(join(dataDir, 'anchors'));
  }

  file(databaseId: string): string {
    return join(this.dir, `${databaseId}.json`);
  }

  read(databaseId: string): Anchor | null {
    return readAnchorFile(this.file(databaseId));
  }

  write(anchor: Anchor): void {
    const f = this.file(anchor.database_id);
    mkdirSync(dirname(f), { recursive: true });
    const tmp = `${f}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(anchor));
    renameSync(tmp, f);
  }
}

export function readAnchorFile(file: string): Anchor | null {
  if (!existsSync(file)) return null;
  try {
    const a = JSON.parse(readFileSync(file, 'utf8')) as Anchor;
    if (typeof a.seq !== 'number' || typeof a.hash !== 'string' || typeof a.database_id !== 'string') return null;
    return a;
  } catch {
    return null;
  }
}
