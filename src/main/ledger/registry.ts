/**
 * Every module that defines ledgered entities, imported for its side effect. Verification
 * (also in worker threads) and the ledger load this list, so a table can never be missed by
 * the replay. tests/unit/entity-registry.test.ts fails when a table with the ledger's
 * columns (id, rev, retired) is not registered. The record types of each capability are
 * defined in ./records/<capability>.ts (the kernel imports no capability, D-067) and
 * re-exported by the capability's own entities.ts. Append a new capability's module here.
 */
import './entities';
import './records/catalog';
import './records/lots';
import './records/samples';
import './records/documents';
import './records/testing';
import './records/intake';
import './records/environment';
import './records/instruments';
import './records/disposition';
import './records/recall';
import './records/release-evidence';

export { allEntities, entityDef } from './entities';
