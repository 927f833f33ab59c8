import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type ChannelInput, type ChannelName } from '../../src/shared/contract';
import { roles, type Role } from '../../src/shared/domain/roles';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, type TestApp } from '../helpers/core';

/**
 * Every channel called as every role. Both tables are typed by the contract, so a new
 * channel fails the build until it has a sample input and an expected row here.
 */
const sig = { password: 'user-password-01', meaning: 'audit_reviewed' as const };
const samples: { [K in ChannelName]: ChannelInput<K> } = {
  'app.status': {},
  'app.setLocale': { locale: 'en' },
  'app.setup': { userId: 'another', printedName: 'Another', password: 'another-password' },
  'auth.session': {},
  'auth.signIn': { userId: 'nobody', password: 'x' },
  'auth.signOut': {},
  'auth.lock': {},
  'auth.unlock': { password: 'x' },
  'auth.changePassword': { currentPassword: 'wrong-password', newPassword: 'new-password-123' },
  'users.list': {},
  'users.create': { userId: 'matrix-new', printedName: 'New', roles: ['technician'], password: 'matrix-password-1' },
  'users.update': { userId: 'nobody-here', printedName: 'N', roles: ['technician'], reason: 'matrix test' },
  'users.deactivate': { userId: 'nobody-here', reason: 'matrix test' },
  'users.unlock': { userId: 'nobody-here', reason: 'matrix test' },
  'users.resetPassword': { userId: 'nobody-here', newPassword: 'matrix-password-2', reason: 'matrix test' },
  'settings.get': {},
  'settings.update': {
    settings: { idleTimeoutMinutes: 15, passwordExpiryDays: 180, clockSkewMinutes: 5, verifyEveryHours: 24, backupFolder: null, backupEveryHours: 24 },
    reason: 'matrix test',
  },
  'ledger.status': {},
  'ledger.verify': {},
  'ledger.lastRun': {},
  'ledger.reviewFindings': { runId: 'none', explanation: 'matrix test', signature: { ...sig, meaning: 'finding_reviewed' } },
  'audit.query': { filter: {}, offset: 0, limit: 10 },
  'audit.entry': { seq: 1 },
  'audit.exportCsv': { filter: { entity: 'user' } },
  'audit.review': { throughSeq: 1, filter: {}, comment: 'matrix test', signature: { ...sig, password: 'wrong-password' } },
  'audit.reviews': {},
  'signatures.forRecord': { entity: 'user', entityId: 'admin' },
  'backup.create': { folder: '/nonexistent-folder-for-matrix' },
  'backup.restore': { file: '/nonexistent.db', reason: 'matrix test', password: 'wrong-password' },
  'catalog.products.list': {},
  'catalog.products.save': {
    fields: { code: 'MX-P', name_zh: '测试', name_en: 'Matrix', stage: 'infant', protein_base: 'cow', registration_no: null, shelf_life_days: 540, pack_sizes: ['800 g'] },
  },
  'catalog.materials.list': {},
  'catalog.materials.save': { fields: { code: 'MX-M', name_zh: '乳清蛋白', name_en: 'Whey', kind: 'ingredient', default_unit: 'kg' } },
  'catalog.suppliers.list': {},
  'catalog.suppliers.save': {
    fields: { code: 'MX-S', name: 'Farm', kind: 'farm', approval_status: 'approved', approved_on: null, last_audit_on: null, next_audit_due: null, contact: null, phone: null },
  },
  'catalog.customers.list': {},
  'catalog.customers.save': { fields: { code: 'MX-C', name: 'Shop', contact: null, phone: null, address: null } },
  'catalog.methods.list': {},
  'catalog.methods.save': { fields: { code: 'GB 5009.5', title_zh: '蛋白质', title_en: 'Protein', analyte: 'protein', unit: 'g/100 g', lod: null, loq: null, in_house: true } },
  'specs.list': {},
  'specs.get': { versionId: 'none' },
  'specs.packs': {},
  'specs.create': { subjectKind: 'product', subjectId: 'none', code: 'MX-SPEC', titleZh: '规格', titleEn: 'Spec', from: { kind: 'empty' } },
  'specs.newVersion': { specId: 'none', changeNote: 'matrix test' },
  'specs.saveItem': {
    versionId: 'none',
    item: {
      code: 'protein', name_zh: '蛋白质', name_en: 'Protein', group: 'macronutrients', method_code: null, unit: 'g/100 kJ', basis: 'per_100kj',
      limit_form: 'range', min: '0.45', max: '0.70', target: null, lod: null, n: null, c: null, m: null, big_m: null, precision: 2,
      comparison: 'full_value', required_for_release: true, in_house_only: true, frequency: 'every_lot', frequency_n: null, period_days: null,
      formula: null, clause: null, source: null, verification: 'plant', note: null,
    },
  },
  'specs.removeItem': { versionId: 'none', itemId: 'none', reason: 'matrix test' },
  'specs.setEffective': { versionId: 'none', effectiveFrom: '2027-01-01' },
  'specs.approve': { versionId: 'none', signature: { password: 'wrong-password', meaning: 'approved' } },
  'specs.diff': { fromVersionId: 'a', toVersionId: 'b' },
  'specs.export': { versionId: 'none' },
  'specs.effective': { subjectKind: 'product', subjectId: 'none', date: '2026-01-01' },
  'lots.list': {},
  'lots.get': { code: 'none' },
  'lots.receive': {
    kind: 'ingredient', materialCode: 'none', supplierCode: 'none', supplierLot: 'S-1', quantity: '100', unit: 'kg', containers: 4, condition: 'intact',
  },
  'lots.receiveTanker': {
    supplierCode: 'none', farms: ['Farm A'], vehicle: '宁A12345', compartments: [{ no: 1, seal: 'S1', sealIntact: true }], quantity: '25000', unit: 'kg', temperature: '4.0',
  },
  'lots.decide': { code: 'none', decision: 'accept', reason: 'matrix test', signature: { password: 'wrong-password', meaning: 'accepted' } },
  'batches.list': {},
  'batches.start': { line: 'L1', outputKind: 'finished', itemCode: 'none', unit: 'kg' },
  'batches.consume': { batchId: 'none', inputLot: 'none', quantity: '1', unit: 'kg' },
  'batches.finish': { batchId: 'none', quantity: '1' },
  'shipments.create': { shipmentCode: 'SH-1', customerCode: 'none', date: '2026-01-01', lines: [{ lotCode: 'none', quantity: '1', unit: 'kg' }] },
  'stock.record': { lotCode: 'none', movement: 'on_hand', quantity: '1', unit: 'kg', date: '2026-01-01' },
  'trace.run': { code: 'none' },
  'samples.list': {},
  'samples.get': { code: 'none' },
  'samples.register': { kind: 'finished_release', lotCode: 'none', samplingPoint: 'Line 2 filler', quantity: '6', unit: 'can', container: '800 g can' },
  'samples.receive': { code: 'none', condition: 'intact' },
  'samples.move': { code: 'none', storageLocation: 'Fridge 2' },
  'samples.cancel': { code: 'none', reason: 'matrix test' },
  'samples.retention.list': {},
  'samples.retention.dispose': { code: 'none', reason: 'matrix test', signature: { password: 'wrong-password', meaning: 'disposed' } },
  'results.forSample': { sampleCode: 'none' },
  'results.worklist': {},
  'results.get': { id: 'none' },
  'results.enter': { id: 'none', replicates: ['1.0'] },
  'results.enterMany': { entries: [{ id: 'none', replicates: ['1.0'] }] },
  'results.correct': { id: 'none', replicates: ['1.0'], reason: 'matrix test' },
  'results.assign': { ids: ['none'], assignedTo: null },
  'results.plan': { sampleCode: 'none' },
  'results.addTest': { sampleCode: 'none', itemCode: 'protein', reason: 'matrix test' },
  'results.submit': { sampleCode: 'none', signature: { password: 'wrong-password', meaning: 'authored' } },
  'results.review': { ids: ['none'], decision: 'approve', signature: { password: 'wrong-password', meaning: 'reviewed' } },
  'results.reviewQueue': {},
  'results.attach': { id: 'none', fileName: 'a.txt', mediaType: 'text/plain', base64: 'YQ==' },
  'results.attachment': { attachmentId: 'none' },
  'results.completeness': { lotCode: 'none' },
  'oos.list': {},
  'oos.get': { code: 'none' },
  'oos.phase1': {
    code: 'none',
    checklist: Object.fromEntries(['calculation', 'instrument', 'method', 'standards', 'preparation'].map((k) => [k, { ok: true, note: 'checked' }])) as never,
    summary: 'matrix test',
    signature: { password: 'wrong-password', meaning: 'authored' },
  },
  'oos.conclude': { code: 'none', outcome: 'no_assignable_cause', conclusion: 'matrix test', signature: { password: 'wrong-password', meaning: 'oos_concluded' } },
  'methods.rules.list': {},
  'methods.rules.save': { methodCode: 'none', replicates: 2, repeatability: 'relative', limit: '10', reason: 'matrix test' },
  'trends.items': { productCode: 'none' },
  'trends.series': { productCode: 'none', itemCode: 'protein' },
  'intake.list': {},
  'intake.get': { lotCode: 'none' },
  'intake.start': { lotCode: 'none', declarations: { noColostrum: true, noTreatment: true, withdrawalRespected: true, healthCertificates: true } },
  'intake.decide': { lotCode: 'none', decision: 'accept', reason: 'matrix test', signature: { password: 'wrong-password', meaning: 'accepted' } },
  'intake.report': { lotCode: 'none', locale: 'en' },
  'intake.panels.list': {},
  'intake.panels.save': { fields: { code: 'P-MATRIX', nameZh: '矩阵', nameEn: 'Matrix', supplierCode: 'none', items: [], active: true } },
  'appeals.list': {},
  'appeals.create': { lotCode: 'none', notifiedOn: '2026-01-05', firstLab: 'Lab A', itemCodes: ['beta_lactam'] },
  'appeals.update': { id: 'none', reason: 'matrix test' },
  'calendar.list': { year: 2026 },
  'calendar.save': { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
  'suppliers.sampling': { supplierCode: 'none' },
  'suppliers.sampling.configure': { supplierCode: 'none', passesRequired: 3, reason: 'matrix test' },
  'suppliers.performance': { from: '2026-01-01', to: '2026-12-31' },
  'env.alerts.list': {},
  'env.alerts.get': { code: 'none' },
  'env.alerts.hold': { code: 'none', lotCodes: ['none'], reason: 'matrix test', signature: { password: 'wrong-password', meaning: 'held' } },
  'env.alerts.close': { code: 'none', reason: 'matrix test' },
  'env.heatmap': { from: '2026-01-01', to: '2026-03-31' },
  'instruments.list': {},
  'instruments.get': { id: 'none' },
  'instruments.save': { id: 'none', fields: { code: 'M-1', name: 'Balance', kind: 'balance', make: null, model: null, serialNo: null, location: null, portPath: '/dev/null-matrix', usbSerial: null, usbVendorId: null, usbProductId: null, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', lineEnding: 'crlf', driver: 'mt-sics', printConfig: null, checkIntervalHours: 24, active: true }, reason: 'matrix test' },
  'instruments.ports': {},
  'instruments.connect': { id: 'none' },
  'instruments.disconnect': { id: 'none' },
  'instruments.command': { id: 'none', command: 'serial' },
  'instruments.terminal.send': { id: 'none', text: 'S' },
  'instruments.capture': { instrumentId: 'none', resultId: 'none', replicateIndex: 0 },
  'instruments.read': { id: 'none' },
  'instruments.dailyCheck': { id: 'none', points: [{ nominal: '100.00', tolerance: '0.05', unit: 'g', reading: '100.01' }] },
  'instruments.calibration': { id: 'none', kind: 'maintenance', performedOn: '2026-01-05' },
  'disposition.queue': {},
  'disposition.readiness': { lotCode: 'none' },
  'disposition.auditEntries': { lotCode: 'none' },
  'disposition.auditReview': { lotCode: 'none', throughSeq: 1, comment: 'matrix test', signature: { password: 'wrong-password', meaning: 'audit_reviewed' } },
  'disposition.forward': { lotCode: 'none' },
  'disposition.decide': { lotCode: 'none', decision: 'hold', reason: 'matrix test', signature: { password: 'wrong-password', meaning: 'held' } },
  'disposition.coa': { lotCode: 'none', locale: 'en' },
  'disposition.dossier': { lotCode: 'none', locale: 'en' },
  'drills.start': { lotCode: 'none' },
  'drills.list': {},
  'drills.get': { code: 'none' },
  'drills.step': { code: 'none', step: 'affected_lots' },
  'drills.finding': { code: 'none', explanation: 'matrix test' },
  'drills.complete': { code: 'none', signature: { password: 'wrong-password', meaning: 'drill_completed' } },
  'drills.evidence': { code: 'none', locale: 'en' },
  'drills.plan': { year: 2026 },
  'drills.plan.save': { year: 2026, productGroup: 'infant', direction: 'both', dueOn: '2026-06-30' },
  'drills.kpis': {},
  'recalls.hold': { code: 'none', reason: 'matrix test', signature: { password: 'wrong-password', meaning: 'held' } },
  'recalls.contact': { code: 'none', customerCode: 'C001', channel: 'phone', outcome: 'reached' },
  'recalls.return': { code: 'none', customerCode: 'C001', lotCode: 'none', quantity: '1', unit: 'kg', date: '2026-01-05' },
  'trace.epcis': { lotCode: 'none' },
  'instruments.printConfig.test': { config: { fields: [{ analyte: 'ph', pattern: 'p(\\d+\\.\\d+)pH', unit: 'pH' }] }, text: 'p06.80pH' },
  'samples.retention.missing': {},
  'sites.list': {},
  'sites.save': { fields: { code: 'MX-SITE', name_zh: '灌装机', name_en: 'Filler', kind: 'environment', zone: 1, line: 'L2', room: 'Filling', active: true } },
  'sites.schedule.save': { siteId: 'none', frequencyDays: 7, nextDue: '2026-01-01', targets: ['cronobacter'] },
  'sites.due': {},
  'samples.printLabel': { code: 'none', size: '60x40', locale: 'en' },
  'scan.lookup': { code: 'none' },
  'import.upload': { file: 'customers', fileName: 'customers.csv', chunkBase64: Buffer.from('customer_code,name\nC9,Shop\n').toString('base64'), final: true },
  'import.start': { uploadId: 'none', dryRun: true },
  'import.result': { jobId: 'none' },
  'import.status': {},
  'documents.get': { id: 'none' },
  'documents.list': { subjectEntity: 'sample', subjectId: 'none' },
};

type Who = Role | 'anonymous';
const ALL: Who[] = [...roles, 'anonymous'];
const SIGNED_IN: Who[] = [...roles];
const READERS: Who[] = [...roles];

/** Who may call what (the domain model's table, per channel). */
const allowed: { [K in ChannelName]: Who[] } = {
  'app.status': ALL,
  'app.setLocale': ALL,
  'app.setup': ALL,
  'auth.session': ALL,
  'auth.signIn': ALL,
  'auth.unlock': ALL,
  'auth.signOut': SIGNED_IN,
  'auth.lock': SIGNED_IN,
  'auth.changePassword': SIGNED_IN,
  'users.list': ['administrator', 'qa_manager', 'inspector'],
  'users.create': ['administrator'],
  'users.update': ['administrator'],
  'users.deactivate': ['administrator'],
  'users.unlock': ['administrator'],
  'users.resetPassword': ['administrator'],
  'settings.get': SIGNED_IN,
  'settings.update': ['administrator'],
  'ledger.status': SIGNED_IN,
  'ledger.verify': ['qa_manager', 'inspector', 'administrator'],
  'ledger.lastRun': READERS,
  'ledger.reviewFindings': ['qa_manager'],
  'audit.query': READERS,
  'audit.entry': READERS,
  'audit.exportCsv': ['qa_manager', 'inspector'],
  'audit.review': ['qa_manager'],
  'audit.reviews': READERS,
  'signatures.forRecord': READERS,
  'backup.create': ['administrator'],
  'backup.restore': ['administrator'],
  'catalog.products.list': READERS,
  'catalog.products.save': ['qa_manager'],
  'catalog.materials.list': READERS,
  'catalog.materials.save': ['qa_manager'],
  'catalog.suppliers.list': READERS,
  'catalog.suppliers.save': ['qa_manager'],
  'catalog.customers.list': READERS,
  'catalog.customers.save': ['production', 'qa_manager'],
  'catalog.methods.list': READERS,
  'catalog.methods.save': ['qa_manager'],
  'specs.list': READERS,
  'specs.get': READERS,
  'specs.packs': READERS,
  'specs.create': ['qa_manager'],
  'specs.newVersion': ['qa_manager'],
  'specs.saveItem': ['qa_manager'],
  'specs.removeItem': ['qa_manager'],
  'specs.setEffective': ['qa_manager'],
  'specs.approve': ['qa_manager'],
  'specs.diff': READERS,
  'specs.export': READERS,
  'specs.effective': READERS,
  'lots.list': READERS,
  'lots.get': READERS,
  'lots.receive': ['production'],
  'lots.receiveTanker': ['production'],
  'lots.decide': ['qa_manager'],
  'batches.list': READERS,
  'batches.start': ['production'],
  'batches.consume': ['production'],
  'batches.finish': ['production'],
  'shipments.create': ['production'],
  'stock.record': ['production'],
  'trace.run': READERS,
  'samples.list': READERS,
  'samples.get': READERS,
  'samples.register': ['technician'],
  'samples.receive': ['technician'],
  'samples.move': ['technician'],
  'samples.cancel': ['technician'],
  'samples.retention.list': READERS,
  'samples.retention.dispose': ['qa_manager'],
  'results.forSample': READERS,
  'results.worklist': READERS,
  'results.get': READERS,
  'results.enter': ['technician'],
  'results.enterMany': ['technician'],
  'results.correct': ['technician'],
  'results.assign': ['technician'],
  'results.plan': ['technician'],
  'results.addTest': ['technician'],
  'results.submit': ['technician'],
  'results.review': ['reviewer', 'qa_manager'],
  'results.reviewQueue': READERS,
  'results.attach': ['technician'],
  'results.attachment': READERS,
  'results.completeness': READERS,
  'oos.list': READERS,
  'oos.get': READERS,
  'oos.phase1': ['technician', 'reviewer', 'qa_manager'],
  'oos.conclude': ['qa_manager'],
  'methods.rules.list': READERS,
  'methods.rules.save': ['qa_manager'],
  'trends.items': READERS,
  'trends.series': READERS,
  'intake.list': READERS,
  'intake.get': READERS,
  'intake.start': ['technician'],
  'intake.decide': ['technician', 'qa_manager'],
  'intake.report': ['technician', 'qa_manager'],
  'intake.panels.list': READERS,
  'intake.panels.save': ['qa_manager'],
  'appeals.list': READERS,
  'appeals.create': ['qa_manager'],
  'appeals.update': ['qa_manager'],
  'calendar.list': READERS,
  'calendar.save': ['qa_manager'],
  'suppliers.sampling': READERS,
  'suppliers.sampling.configure': ['qa_manager'],
  'suppliers.performance': READERS,
  'env.alerts.list': READERS,
  'env.alerts.get': READERS,
  'env.alerts.hold': ['qa_manager'],
  'env.alerts.close': ['qa_manager'],
  'env.heatmap': READERS,
  'instruments.list': READERS,
  'instruments.get': READERS,
  'instruments.save': ['administrator'],
  'instruments.ports': READERS,
  'instruments.connect': ['technician', 'administrator'],
  'instruments.disconnect': ['technician', 'administrator'],
  'instruments.command': ['technician', 'administrator'],
  'instruments.terminal.send': ['technician', 'administrator'],
  'instruments.capture': ['technician'],
  'instruments.read': ['technician', 'qa_manager'],
  'instruments.dailyCheck': ['technician', 'qa_manager'],
  'instruments.calibration': ['technician', 'qa_manager'],
  'instruments.printConfig.test': READERS,
  'disposition.queue': READERS,
  'disposition.readiness': READERS,
  'disposition.auditEntries': READERS,
  'disposition.auditReview': ['qa_manager'],
  'disposition.forward': READERS,
  'disposition.decide': ['reviewer', 'qa_manager'],
  'disposition.coa': ['qa_manager'],
  'disposition.dossier': READERS,
  'drills.start': ['qa_manager'],
  'drills.list': READERS,
  'drills.get': READERS,
  'drills.step': ['qa_manager'],
  'drills.finding': ['qa_manager'],
  'drills.complete': ['qa_manager'],
  'drills.evidence': ['qa_manager'],
  'drills.plan': READERS,
  'drills.plan.save': ['qa_manager'],
  'drills.kpis': READERS,
  'recalls.hold': ['qa_manager'],
  'recalls.contact': ['qa_manager'],
  'recalls.return': ['qa_manager'],
  'trace.epcis': READERS,
  'samples.retention.missing': READERS,
  'sites.list': READERS,
  'sites.save': ['qa_manager'],
  'sites.schedule.save': ['qa_manager'],
  'sites.due': READERS,
  'samples.printLabel': ['technician'],
  'scan.lookup': READERS,
  'import.upload': ['production'],
  'import.start': ['production'],
  'import.result': ['production'],
  'import.status': SIGNED_IN,
  'documents.get': READERS,
  'documents.list': READERS,
};

/** Channels whose effect is on the caller's own session, not on records. */
const selfService = new Set<ChannelName>(['auth.signOut', 'auth.lock', 'auth.changePassword', 'app.setLocale']);

describe('role × channel matrix', () => {
  let app: TestApp;
  const conns = new Map<Who, Connection>();
  beforeAll(async () => {
    app = await createTestApp();
    for (const r of roles) conns.set(r, r === 'administrator' ? app.admin : await app.userWith([r]));
    conns.set('anonymous', app.conn());
  }, 60_000);
  afterAll(() => app.close());

  for (const name of Object.keys(contract) as ChannelName[]) {
    for (const who of ALL) {
      const expectAllowed = allowed[name].includes(who);
      it(`${name} as ${who}: ${expectAllowed ? 'allowed' : 'refused'}`, async () => {
        if (name === 'auth.signOut' || name === 'auth.lock') {
          // Use a throwaway session so the shared ones stay signed in.
          if (who === 'anonymous') {
            const r = await app.call(app.conn(), name, {});
            expect(r.ok ? null : r.error.code).toBe('not_signed_in');
            return;
          }
        }
        const conn = name === 'auth.signOut' || name === 'auth.lock' ? await freshSession(who as Role) : conns.get(who)!;
        const r = await app.call(conn, name, samples[name] as never);
        const code = r.ok ? null : r.error.code;
        if (expectAllowed && contract[name].access === 'public') {
          // Public channels answer for themselves (unlock without a session is not_signed_in).
          expect(['forbidden', 'bad_sender', 'unknown_channel', 'invalid_input']).not.toContain(code);
        } else if (expectAllowed) {
          expect(['forbidden', 'not_signed_in', 'bad_sender', 'unknown_channel', 'invalid_input']).not.toContain(code);
        } else {
          expect(code).toBe(who === 'anonymous' ? 'not_signed_in' : 'forbidden');
        }
      });
    }
  }

  async function freshSession(role: Role): Promise<Connection> {
    const userId = role === 'administrator' ? 'admin' : [...app.core.need().identity.listUsers()].find((u) => JSON.parse(u.roles).includes(role))!.id;
    const c = app.conn();
    await app.ok(c, 'auth.signIn', { userId, password: role === 'administrator' ? 'admin-password-1' : 'user-password-01' });
    return c;
  }

  it('an inspector cannot change anything over the contract', async () => {
    const inspector = conns.get('inspector')!;
    const head = app.core.need().ledger.head().seq;
    for (const name of Object.keys(contract) as ChannelName[]) {
      if (!contract[name].writes || contract[name].access === 'public' || selfService.has(name)) continue;
      const r = await app.call(inspector, name, samples[name] as never);
      expect(r.ok ? null : r.error.code, name).toBe('forbidden');
    }
    expect(app.core.need().ledger.head().seq).toBe(head);
  });
});
