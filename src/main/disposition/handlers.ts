import { readFileSync } from 'node:fs';
import { fail } from '../../shared/contract/errors';
import type { Locale } from '../../shared/i18n';
import type { AppCore } from '../app/core';
import { signatureView } from '../identity';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Row } from '../ledger/entities';
import type { Actor } from '../ledger/ledger';
import { traceLot } from '../trace/trace';
import { coaHtml, dossierHtml, type CoaData, type DossierSection } from './documents';

type DispositionHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `disposition.${string}`>>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

const A4 = { pageWidthMm: 210, pageHeightMm: 297, marginsMm: 0 };

/** The data a certificate of analysis prints, from the records. */
export function coaData(core: AppCore, lotCode: string, issuedBy: string): CoaData {
  const svc = core.need();
  const lot = svc.disposition.lot(lotCode);
  if (lot['kind'] !== 'finished' || lot['status'] !== 'released')
    fail('conflict', { lot: lotCode, status: lot['status'] }, 'errors.coa_needs_release');
  const db = svc.ledger.db;
  const p = db.prepare('SELECT * FROM product WHERE code = ?').get(lot['item_code']) as Row | undefined;
  const c = svc.results.completeness(lotCode);
  const v = c.spec
    ? (db
        .prepare('SELECT s.standard FROM spec_version v JOIN specification s ON s.id = v.spec_id WHERE v.id = ?')
        .get(c.spec.versionId) as { standard: string | null } | undefined)
    : undefined;
  const methods = new Map<string, string | null>();
  for (const i of c.items) {
    if (!i.resultId) continue;
    const r = db.prepare('SELECT method_code FROM test_result WHERE id = ?').get(i.resultId) as
      | { method_code: string | null }
      | undefined;
    methods.set(i.code, r?.method_code ?? null);
  }
  // The signatures that stand behind the release: the lot's own (released, audit review) in order.
  const sigs = [
    ...svc.identity.signaturesFor('lot', lot.id),
    ...(
      db
        .prepare('SELECT id FROM lot_audit_review WHERE lot_code = ? ORDER BY through_seq DESC LIMIT 1')
        .all(lotCode) as Array<{ id: string }>
    ).flatMap((r) => svc.identity.signaturesFor('lot_audit_review', r.id)),
  ]
    .filter((s) => s.valid)
    .map(signatureView)
    .sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  return {
    plantName: svc.settings.get().plantName ?? null,
    product: {
      code: lot['item_code'] as string,
      nameZh: (p?.['name_zh'] as string | undefined) ?? (lot['item_name'] as string),
      nameEn: (p?.['name_en'] as string | undefined) ?? (lot['item_name'] as string),
      registrationNo: (p?.['registration_no'] as string | null | undefined) ?? null,
    },
    lot: {
      code: lotCode,
      productionDate: (lot['lot_date'] as string).slice(0, 10),
      expiryDate: (lot['expiry_date'] as string | null)?.slice(0, 10) ?? null,
      quantity: lot['quantity'] as string,
      unit: lot['unit'] as string,
    },
    spec: c.spec
      ? {
          code: c.spec.code,
          version: c.spec.version,
          effectiveFrom: c.spec.effectiveFrom,
          standard: v?.standard ?? null,
        }
      : null,
    items: c.items.map((i) => ({
      code: i.code,
      nameZh: i.nameZh,
      nameEn: i.nameEn,
      reported: i.reported,
      limit: i.limitText,
      // The unit with its basis ("g/100 kJ"), the reported value as its rule prints it (issue 20 §2).
      unit: i.reportUnit,
      reporting: i.reporting,
      method: methods.get(i.code) ?? null,
      verdict: i.verdict,
    })),
    signatures: sigs.map((s) => ({
      printedName: s.printedName,
      meaning: s.meaning,
      signedAt: s.signedAt,
      timeZone: s.timeZone,
      comment: s.comment,
    })),
    issuedBy,
  };
}

/** Everything about a lot (issue 11 §5), as dossier sections. */
export function dossierSections(core: AppCore, lotCode: string, locale: Locale): DossierSection[] {
  const svc = core.need();
  const zh = locale === 'zh-CN';
  const L = (zhText: string, en: string) => (zh ? zhText : en);
  const db = svc.ledger.db;
  const lot = svc.disposition.lot(lotCode);
  const sections: DossierSection[] = [];
  sections.push({
    title: L('批次', 'Lot'),
    rows: [
      [L('批号', 'Lot'), lotCode],
      [L('类别', 'Kind'), lot['kind'] as string],
      [L('品项', 'Item'), `${lot['item_code'] as string} ${lot['item_name'] as string}`],
      [L('数量', 'Quantity'), `${lot['quantity'] as string} ${lot['unit'] as string}`],
      [L('日期', 'Date'), (lot['lot_date'] as string).slice(0, 10)],
      [L('有效期', 'Expiry'), (lot['expiry_date'] as string | null) ?? '—'],
      [L('状态', 'Status'), lot['status'] as string],
    ],
  });
  const t = traceLot(db, lotCode, { edges: true });
  if (t) {
    const inputs = db
      .prepare(
        'SELECT c.input_lot, c.quantity, c.unit, c.date, l.kind, l.item_code, l.status, l.supplier_code FROM consumption c LEFT JOIN lot l ON l.code = c.input_lot WHERE c.output_lot = ? AND c.retired = 0 ORDER BY c.input_lot',
      )
      .all(lotCode) as Array<Record<string, string | null>>;
    sections.push({
      title: L('投料（输入批次）', 'Inputs (batching)'),
      table: {
        head: [
          L('批号', 'Lot'),
          L('类别', 'Kind'),
          L('品项', 'Item'),
          L('供应商', 'Supplier'),
          L('用量', 'Quantity'),
          L('日期', 'Date'),
          L('状态', 'Status'),
        ],
        rows: inputs.map((i) => [
          i['input_lot'] ?? '',
          i['kind'] ?? '',
          i['item_code'] ?? '',
          i['supplier_code'] ?? '',
          `${i['quantity']} ${i['unit']}`,
          i['date'] ?? '',
          i['status'] ?? '',
        ]),
      },
    });
    sections.push({
      title: L('追溯（向后 / 向前）', 'Genealogy (backward / forward)'),
      table: {
        head: [L('方向', 'Direction'), L('批号', 'Lot'), L('品项', 'Item'), L('层级', 'Depth'), L('状态', 'Status')],
        rows: [
          ...t.backward.map((b) => [L('向后', 'backward'), b.lot, b.item_code ?? '', String(b.depth), b.status ?? '']),
          ...t.forward.map((f) => [L('向前', 'forward'), f.lot, f.item_code ?? '', String(f.depth), f.status ?? '']),
        ],
      },
    });
    sections.push({
      title: L('发货', 'Shipments'),
      table: {
        head: [
          L('发货单', 'Shipment'),
          L('批号', 'Lot'),
          L('客户', 'Customer'),
          L('数量', 'Quantity'),
          L('日期', 'Date'),
        ],
        rows: t.shipments.map((s) => [s.shipment, s.lot, s.customer, `${s.quantity} ${s.unit}`, s.date]),
      },
    });
    const mb = t.mass_balance;
    sections.push({
      title: L('物料平衡', 'Mass balance'),
      rows: Object.entries(mb).map(([k, v]) => [k, String(v ?? '—')]),
    });
  }
  const samples = db
    .prepare('SELECT * FROM sample WHERE lot_code = ? AND parent_sample_id IS NULL ORDER BY taken_at')
    .all(lotCode) as Row[];
  sections.push({
    title: L('样品', 'Samples'),
    table: {
      head: [L('编号', 'Code'), L('类别', 'Kind'), L('取样时间', 'Taken'), L('状态', 'Status'), L('存放', 'Storage')],
      rows: samples.map((s) => [
        s['code'] as string,
        s['kind'] as string,
        new Date(s['taken_at'] as number).toISOString().slice(0, 16),
        s['status'] as string,
        (s['storage_location'] as string | null) ?? '',
      ]),
    },
  });
  const results = db
    .prepare(
      "SELECT * FROM test_result WHERE lot_code = ? AND retired = 0 AND plan_reason <> 'parameter' ORDER BY sample_code, position, attempt",
    )
    .all(lotCode) as Row[];
  sections.push({
    title: L('检验结果（含复核与 OOS 历史）', 'Results (with review and OOS history)'),
    table: {
      head: [
        L('样品', 'Sample'),
        L('项目', 'Item'),
        L('次', 'Att.'),
        L('原始数据', 'Raw'),
        L('结果', 'Reported'),
        L('判定', 'Verdict'),
        L('状态', 'Status'),
        L('检验员', 'Analyst'),
        L('复核', 'Reviewer'),
        L('仪器', 'Instrument'),
        'OOS',
      ],
      rows: results.map((r) => [
        r['sample_code'] as string,
        r['item_code'] as string,
        String(r['attempt']),
        [r['replicates'], r['unit_values']]
          .filter(Boolean)
          .map((x) => (JSON.parse(x as string) as string[]).join(' / '))
          .join(' '),
        (r['reported'] as string | null) ?? '',
        (r['verdict'] as string | null) ?? '',
        `${r['status'] as string}${r['invalidated_reason'] ? `: ${r['invalidated_reason'] as string}` : ''}`,
        (r['submitted_by'] as string | null) ?? (r['analyst_id'] as string | null) ?? '',
        (r['reviewed_by'] as string | null) ?? '',
        (r['instrument_id'] as string | null) ??
          (r['external_lab'] ? `${r['external_lab'] as string} ${r['external_report_no'] as string}` : ''),
        r['oos_id']
          ? ((
              db.prepare('SELECT code FROM oos_investigation WHERE id = ?').get(r['oos_id']) as
                | { code: string }
                | undefined
            )?.code ?? '')
          : '',
      ]),
    },
  });
  const oos = db.prepare('SELECT * FROM oos_investigation WHERE lot_code = ? ORDER BY opened_at').all(lotCode) as Row[];
  sections.push({
    title: L('OOS 调查', 'OOS investigations'),
    table: {
      head: [
        L('编号', 'Code'),
        L('项目', 'Item'),
        L('结果', 'Reported'),
        L('状态', 'Status'),
        L('结论', 'Outcome'),
        L('说明', 'Conclusion'),
      ],
      rows: oos.map((o) => [
        o['code'] as string,
        o['item_code'] as string,
        (o['reported'] as string | null) ?? '',
        o['status'] as string,
        (o['outcome'] as string | null) ?? '',
        (o['conclusion'] as string | null) ?? '',
      ]),
    },
  });
  const instruments = db
    .prepare(
      'SELECT DISTINCT i.code, i.name, i.serial_no FROM instrument_capture c JOIN instrument i ON i.id = c.instrument_id JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?',
    )
    .all(lotCode) as Array<Record<string, string | null>>;
  sections.push({
    title: L('所用仪器', 'Instruments used'),
    table: {
      head: [L('编号', 'Code'), L('名称', 'Name'), L('序列号', 'Serial no.')],
      rows: instruments.map((i) => [i['code'] ?? '', i['name'] ?? '', i['serial_no'] ?? '']),
    },
  });
  const sigs = svc.identity.signaturesFor('lot', lot.id).map(signatureView);
  sections.push({
    title: L('决定与签名', 'Decisions and signatures'),
    table: {
      head: [
        L('签名人', 'Signed by'),
        L('含义', 'Meaning'),
        L('时间', 'When'),
        L('说明', 'Comment'),
        L('有效', 'Valid'),
      ],
      rows: sigs.map((s) => [s.printedName, s.meaning, s.signedAt.slice(0, 16), s.comment ?? '', s.valid ? '✓' : '✗']),
    },
  });
  const audit = svc.disposition.auditEntries(lotCode, false);
  sections.push({
    title: L('审计追踪', 'Audit trail'),
    table: {
      head: [
        '#',
        L('时间', 'When'),
        L('人员', 'Who'),
        L('操作', 'Action'),
        L('记录', 'Record'),
        L('原因', 'Reason'),
        L('变更', 'Changes'),
      ],
      rows: audit.entries.map((e) => [
        String(e.seq),
        e.at.slice(0, 19),
        e.actorName,
        e.action,
        `${e.entity} ${e.entityId.slice(0, 8)}`,
        e.reason ?? '',
        e.changes
          .slice(0, 6)
          .map((c) => `${c.field}: ${c.from ?? '∅'} → ${c.to ?? '∅'}`)
          .join('; '),
      ]),
    },
  });
  return sections;
}

export function dispositionHandlers(core: AppCore): DispositionHandlers {
  const svc = () => core.need().disposition;
  return {
    'disposition.queue': ({ limit }) => {
      const db = core.need().ledger.db;
      const lots = db
        .prepare(
          "SELECT code, item_code, item_name, lot_date, status FROM lot WHERE kind = 'finished' AND status = 'on_hold' AND retired = 0 ORDER BY lot_date, code LIMIT ?",
        )
        .all(limit) as Array<Record<string, string>>;
      return {
        lots: lots.map((l) => {
          const r = svc().readiness(l['code']!);
          const held = db
            .prepare(
              "SELECT comment FROM signature s JOIN lot l ON l.id = s.entity_id WHERE s.entity = 'lot' AND l.code = ? AND s.meaning = 'held' ORDER BY s.signed_at DESC LIMIT 1",
            )
            .get(l['code']) as { comment: string | null } | undefined;
          return {
            lotCode: l['code']!,
            itemCode: l['item_code']!,
            itemName: l['item_name']!,
            date: l['lot_date']!.slice(0, 10),
            status: l['status']!,
            ready: r.ready,
            failing: r.lines.filter((x) => !x.ok).map((x) => x.key),
            heldFor: held?.comment ?? null,
          };
        }),
      };
    },
    'disposition.readiness': ({ lotCode }) => svc().readiness(lotCode),
    'disposition.auditEntries': ({ lotCode, onlyUnreviewed }) => svc().auditEntries(lotCode, onlyUnreviewed),
    'disposition.auditReview': ({ lotCode, throughSeq, comment, signature }, ctx) =>
      svc().auditReview(actor(ctx).id, lotCode, throughSeq, comment, signature.password, signature.meaning),
    'disposition.forward': ({ lotCode }) => svc().forward(lotCode),
    'disposition.decide': async ({ lotCode, decision, reason, propagate, signature }, ctx) => {
      const r = await svc().decide(
        actor(ctx).id,
        lotCode,
        decision,
        reason,
        propagate,
        signature.password,
        signature.meaning,
        signature.comment,
      );
      return { ...r, signatures: r.signatures.map(signatureView) };
    },
    'disposition.coa': async ({ lotCode, locale }, ctx) => {
      const who = actor(ctx);
      const data = coaData(core, lotCode, who.name);
      const lot = svc().lot(lotCode);
      const doc = await core.need().documents.generate(who, {
        kind: 'coa',
        subject: { entity: 'lot', id: lot.id },
        locale,
        html: (stamp) => coaHtml(data, locale, stamp),
        size: A4,
        fileName: `coa-${lotCode}`,
      });
      return {
        documentId: doc.id,
        fileName: doc.fileName,
        base64: readFileSync(doc.file).toString('base64'),
        sha256: doc.sha256,
        reprint: doc.reprint,
      };
    },
    'disposition.dossier': async ({ lotCode, locale }) => {
      const sections = dossierSections(core, lotCode, locale);
      const { pdf, sha256 } = await core
        .need()
        .documents.preview((stamp) => dossierHtml(lotCode, sections, locale, stamp), A4);
      return {
        documentId: null,
        fileName: `dossier-${lotCode}.pdf`,
        base64: pdf.toString('base64'),
        sha256,
        reprint: false,
      };
    },
  };
}
