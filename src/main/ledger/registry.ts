/**
 * Every module that defines ledgered entities, imported for its side effect. Verification
 * (also in worker threads) and the ledger load this list, so a table can never be missed by
 * the replay. tests/unit/entity-registry.test.ts fails when a table with the ledger's
 * columns (id, rev, retired) is not registered. Append a capability's module here.
 */
import './entities';
import '../catalog/entities';
import '../lots/entities';
import '../samples/entities';
import '../documents/entities';
import '../testing/entities';
import '../intake/entities';
import '../environment/entities';
import '../instruments/entities';
import '../disposition/entities';
import '../recall/entities';
import '../release-evidence/entities';

export { allEntities, entityDef } from './entities';
