/**
 * Migration 0021: the site server's request log (issue 23 §2, D-092). Every write a
 * workstation sends carries a request id; the server records it in the write's own transaction
 * and keeps the reply, so a retry after a lost reply returns the first result and writes
 * nothing twice. Not a ledgered table: the server's memory of what it ran (docs/ledger.md §6.1).
 * SHIPPED MIGRATIONS NEVER CHANGE (see 0001's header).
 */
export const sql = `
CREATE TABLE request_log (
  request_id TEXT PRIMARY KEY NOT NULL,
  host_key TEXT NOT NULL,
  channel TEXT NOT NULL,
  user_id TEXT,
  at INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  reply TEXT
);
`;
