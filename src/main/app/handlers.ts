import type { HandlerTable } from '../dispatcher/dispatcher';
import type { AppCore } from './core';
import { systemHandlers } from './system-handlers';
import { ledgerHandlers } from './ledger-handlers';
import { trustHandlers } from './trust-handlers';
import { transferHandlers } from './transfer-handlers';
import { currentOrigin } from '../ledger/origin';
import { homeHandlers } from './home-handlers';
import { identityHandlers } from '../identity/handlers';
import { lotsHandlers } from '../lots/handlers';
import { traceHandlers } from '../trace/handlers';
import { documentsHandlers } from '../documents/handlers';
import { importHandlers } from '../import/handlers';
import { catalogHandlers } from '../catalog/handlers';
import { samplesHandlers } from '../samples/handlers';
import { testingHandlers } from '../testing/handlers';
import { intakeHandlers } from '../intake/handlers';
import { environmentHandlers } from '../environment/handlers';
import { instrumentsHandlers } from '../instruments/handlers';
import { dispositionHandlers } from '../disposition/handlers';
import { releaseEvidenceHandlers } from '../release-evidence/handlers';
import { recallHandlers } from '../recall/handlers';
import { epcisExport, traceView } from '../trace';
import { evidenceHandlers } from '../evidence/handlers';
import { workstationHandlers } from '../workstation/handlers';
import { signatureView } from '../identity';
import { documentZone } from '../../shared/domain/printed-time';
import { siteJoinHandlers } from '../remote/site-join';

/**
 * The handler tables of every contract file, assembled (issue 21): one line per capability,
 * each given only the services it needs (its `…HandlerDeps`), never the whole core. The
 * system, ledger and trust channels act on the core itself (jobs, anchors, backup, restore)
 * and live beside it in app/.
 */
export function buildHandlers(core: AppCore): HandlerTable {
  return {
    ...systemHandlers(core),
    ...ledgerHandlers(core),
    ...trustHandlers(core),
    ...transferHandlers(core),
    ...identityHandlers(
      () => {
        const s = core.need();
        return {
          identity: s.identity,
          sessions: s.sessions,
          settings: s.settings,
          ledger: s.ledger,
          goLive: s.controls,
          clockBehindLedger: () => core.ledgerState().clockBehindLedger,
          hostFingerprint: core.key.fingerprint,
          now: core.clock,
          plantZone: () => documentZone(s.company.licence(), s.ledger.timeZone),
        };
      },
      () => core.initialized,
    ),
    ...catalogHandlers(() => {
      const s = core.need();
      return { catalog: s.catalog, specs: s.specs, company: s.company, clock: () => core.clock() };
    }),
    ...lotsHandlers(() => {
      const s = core.need();
      return {
        lots: s.lots,
        signaturesFor: (entity, id) => s.identity.signaturesFor(entity, id).map(signatureView),
        openFindings: () => core.ledgerState().openFindings,
      };
    }),
    ...traceHandlers(() => {
      const db = core.need().ledger.db;
      return { traceView: (code) => traceView(db, code) };
    }),
    ...documentsHandlers(() => ({
      // The viewer is checked before the database is asked for (a host without one says so first).
      get documents() {
        return core.need().documents;
      },
      viewer: core.viewer,
      log: core.log,
    })),
    ...importHandlers(() => ({
      dataDir: core.dataDir,
      dbFile: core.dbFile,
      key: core.key,
      jobs: core.jobs,
      ledger: () => core.need().ledger,
      goLiveDate: () => core.maybe()?.controls.goLiveDate() ?? null,
      ledgerChanged: () => core.dispatcher.emit('all', 'ledger.changed', core.ledgerState()),
    })),
    ...samplesHandlers(() => {
      const s = core.need();
      return {
        samples: s.samples,
        signaturesFor: (entity, id) => s.identity.signaturesFor(entity, id).map(signatureView),
      };
    }),
    ...testingHandlers(() => ({ testing: core.need().testing, signatureView })),
    ...intakeHandlers(() => {
      const s = core.need();
      return { intake: s.intake, spotChecks: s.spotChecks, reports: s.intakeReports };
    }),
    ...environmentHandlers(() => ({ environment: core.need().env })),
    ...instrumentsHandlers(() => {
      const s = core.need();
      return { instruments: s.instruments, ledger: s.ledger, benchLink: (conn) => core.benchLink(conn) };
    }),
    ...dispositionHandlers(() => {
      const s = core.need();
      return { disposition: s.disposition, coa: s.coa, signatureView };
    }),
    ...releaseEvidenceHandlers(() => ({ evidence: core.need().evidenceOfRelease })),
    ...recallHandlers(() => {
      const s = core.need();
      return {
        drills: s.drills,
        epcis: (lotCode) =>
          epcisExport(s.ledger.db, lotCode, { now: core.clock(), plant: s.settings.get().plantName ?? null }),
      };
    }),
    ...evidenceHandlers(() => ({
      dataDir: core.dataDir,
      dbFile: core.dbFile,
      workstation: core.workstation,
      appVersion: core.version,
      jobs: core.jobs,
      log: core.log,
      now: core.clock,
      ledger: () => core.need().ledger,
      openLedger: () => core.maybe()?.ledger ?? null,
      skewMs: () => core.need().settings.get().clockSkewMinutes * 60_000,
      anchorFile: (id) => core.anchors.file(id),
      // A call from a site workstation: its finished export is offered for download (D-103).
      offer: currentOrigin()
        ? (jobId, userId, kind, path, meta) =>
            core.transfers.offer(jobId, { userId, permission: 'ledger.export' }, kind, path, meta)
        : null,
    })),
    ...homeHandlers(() => {
      const s = core.need();
      return {
        testing: s.testing,
        disposition: s.disposition,
        instruments: s.instruments,
        lots: s.lots,
        samples: s.samples,
        drills: s.drills,
        catalog: s.catalog,
        specs: s.specs,
        identity: s.identity,
        ledger: () => core.ledgerState(),
        now: core.clock,
      };
    }),
    ...workstationHandlers(() => ({
      dataDir: core.dataDir,
      hostKind: core.hostKind,
      fingerprint: core.key.fingerprint,
    })),
    // This workstation keeps its own record (the default); a site client answers locally (src/main/remote/).
    'connection.status': () => ({ mode: 'embedded' as const }),
    // Joining a site server (or cancelling a join before the restart), D-107.
    ...siteJoinHandlers(() => ({ dataDir: core.dataDir, key: core.key, queued: () => core.benchQueued() })),
  };
}
