import type { LedgerWriter } from '../../ledger/ledger';
import type { Db } from '../database';
import { sql as m0001 } from './0001-signed-store-and-identity';
import { sql as m0002 } from './0002-catalogue-and-specifications';
import { sql as m0003 } from './0003-lots-and-genealogy';
import { sql as m0004 } from './0004-samples';
import { sql as m0005 } from './0005-documents';
import { sql as m0006 } from './0006-testing';
import { sql as m0007 } from './0007-intake-and-environment';
import { sql as m0008 } from './0008-instruments';
import { sql as m0009 } from './0009-disposition';
import { sql as m0010 } from './0010-recall-drills';
import { sql as m0011 } from './0011-personal-signatures';
import { sql as m0012 } from './0012-controls';
import { sql as m0013 } from './0013-instrument-records-and-control';
import { sql as m0014 } from './0014-testing-controls';
import { sql as m0015 } from './0015-intake-clauses-and-release-evidence';
import { backfill as b0016, sql as m0016 } from './0016-corrections';
import { sql as m0017 } from './0017-company';
import { sql as m0018 } from './0018-spec-tables-and-audit-summary';
import { sql as m0019 } from './0019-production-lines';
import { sql as m0020 } from './0020-item-loq-and-stamp-store';
import { sql as m0021 } from './0021-request-log';
import { sql as m0022 } from './0022-signed-frames';

export interface Migration {
  /** Zero-padded, in order: '0001', '0002', … */
  readonly id: string;
  readonly name: string;
  readonly sql: string;
  /**
   * Records a migration writes from what the database already holds (D-073), in the migration's
   * own ledger transaction, after its SQL: ledgered rows get their audit entries like any other
   * (docs/ledger.md §5). Part of the shipped migration: it never changes either.
   */
  readonly backfill?: (w: LedgerWriter, db: Db) => void;
}

/**
 * The explicit, ordered list of migrations (bundler friendly: no directory scan).
 * Append only. A shipped entry never changes: its hash is recorded in every database.
 */
export const migrations: readonly Migration[] = [
  { id: '0001', name: 'signed-store-and-identity', sql: m0001 },
  { id: '0002', name: 'catalogue-and-specifications', sql: m0002 },
  { id: '0003', name: 'lots-and-genealogy', sql: m0003 },
  { id: '0004', name: 'samples', sql: m0004 },
  { id: '0005', name: 'documents', sql: m0005 },
  { id: '0006', name: 'testing', sql: m0006 },
  { id: '0007', name: 'intake-and-environment', sql: m0007 },
  { id: '0008', name: 'instruments', sql: m0008 },
  { id: '0009', name: 'disposition', sql: m0009 },
  { id: '0010', name: 'recall-drills', sql: m0010 },
  { id: '0011', name: 'personal-signatures', sql: m0011 },
  { id: '0012', name: 'controls', sql: m0012 },
  { id: '0013', name: 'instrument-records-and-control', sql: m0013 },
  { id: '0014', name: 'testing-controls', sql: m0014 },
  { id: '0015', name: 'intake-clauses-and-release-evidence', sql: m0015 },
  { id: '0016', name: 'corrections', sql: m0016, backfill: b0016 },
  { id: '0017', name: 'company', sql: m0017 },
  { id: '0018', name: 'spec-tables-and-audit-summary', sql: m0018 },
  { id: '0019', name: 'production-lines', sql: m0019 },
  { id: '0020', name: 'item-loq-and-stamp-store', sql: m0020 },
  { id: '0021', name: 'request-log', sql: m0021 },
  { id: '0022', name: 'signed-frames', sql: m0022 },
];
