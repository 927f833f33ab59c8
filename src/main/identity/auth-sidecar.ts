import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

/**
 * The authentication sidecar (docs/decisions.md D-031): failed authentications, and
 * successful ones that could not be written to the ledger (a host not yet enrolled, a
 * database whose writes are blocked), kept in a small append-only file beside the database,
 * `<database file>.auth-log`, one JSON object per line.
 *
 * Why not the ledger: a wrong password, a wrong recovery code or an unknown user id must leave
 * the database byte for byte as it was (issue 18 §5: an unauthenticated caller must not be
 * able to make the database grow, move its head or register anything). The lockout still
 * works for the app and the CLI alike, because both read this same file.
 *
 * - Lines are appended with O_APPEND (atomic for these small writes on a local file system,
 *   so two processes never interleave a line) and fsynced before the caller is answered.
 * - A user's failure count is the number of failure lines for that user after the user's
 *   last reset line (a successful authentication or an administrator's unlock).
 * - Lines are carried into the ledger (as `auth_event` records with the line's id, time and
 *   workstation) at the next write that can carry them; the ledger records, the file counts.
 */
export interface AuthLine {
  /** Unique; the id of the `auth_event` record when carried into the ledger. */
  id: string;
  /** ms since the epoch, UTC. */
  at: number;
  /** e.g. `sign_in_failed`, `signature_failed`, `recovery_failed`, `account_locked`, `sign_in`, `account_unlocked`. */
  kind: string;
  user: string;
  ws: string;
  detail: string | null;
  /** The database id the line belongs to. */
  db: string | null;
  /** A successful authentication or an unlock: the user's failure count starts again. */
  reset?: boolean;
}

export function isFailure(kind: string): boolean {
  return kind.endsWith('_failed');
}

export class AuthSidecar {
  private memory: AuthLine[] = [];
  private cache: { size: number; mtimeMs: number; lines: AuthLine[] } | null = null;

  /** `file` null: kept in memory (an in-memory database in tests). */
  constructor(readonly file: string | null) {}

  static forDatabase(dbFile: string | null | undefined): AuthSidecar {
    return new AuthSidecar(dbFile && dbFile !== ':memory:' && dbFile !== '' ? `${dbFile}.auth-log` : null);
  }

  newLine(l: Omit<AuthLine, 'id'> & { id?: string }): AuthLine {
    return { ...l, id: l.id ?? randomUUID() };
  }

  append(line: AuthLine): void {
    if (!this.file) {
      this.memory.push(line);
      return;
    }
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(line) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.cache = null;
  }

  /** Every line, oldest first (a damaged line — e.g. a torn write at power loss — is skipped). */
  lines(): AuthLine[] {
    if (!this.file) return this.memory;
    let st: { size: number; mtimeMs: number };
    try {
      st = statSync(this.file);
    } catch {
      return [];
    }
    if (this.cache && this.cache.size === st.size && this.cache.mtimeMs === st.mtimeMs) return this.cache.lines;
    const lines: AuthLine[] = [];
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      try {
        const l = JSON.parse(text) as AuthLine;
        if (
          typeof l.id === 'string' &&
          typeof l.at === 'number' &&
          typeof l.kind === 'string' &&
          typeof l.user === 'string'
        )
          lines.push(l);
      } catch {
        // skipped
      }
    }
    this.cache = { size: st.size, mtimeMs: st.mtimeMs, lines };
    return lines;
  }

  /** The failures of `user` since its last reset (a success or an unlock). */
  failuresSinceReset(user: string, db: string | null, kind?: string): AuthLine[] {
    const out: AuthLine[] = [];
    for (const l of this.lines()) {
      if (l.user !== user || (db && l.db && l.db !== db)) continue;
      if (l.reset) out.length = 0;
      else if (isFailure(l.kind) && (!kind || l.kind === kind)) out.push(l);
    }
    return out;
  }
}
