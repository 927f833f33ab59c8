import bwipjs from 'bwip-js/node';
import type { Locale } from '../../shared/i18n';
import { html, page, trusted, type LedgerStamp, type SafeHtml } from '../documents';
import { reportedForReader } from '../../shared/rules/testing';
import { formatReported, type ReportingRule } from '../../shared/rules/reporting';
import { signatureTime } from '../../shared/domain/zoned-time';

/** What a certificate of analysis prints (issue 11 §4). */
export interface CoaData {
  plantName: string | null;
  product: { code: string; nameZh: string; nameEn: string; registrationNo: string | null };
  lot: { code: string; productionDate: string; expiryDate: string | null; quantity: string; unit: string };
  spec: { code: string; version: number; effectiveFrom: string | null; standard: string | null } | null;
  items: Array<{
    code: string;
    nameZh: string;
    nameEn: string;
    reported: string | null;
    limit: string;
    unit: string;
    reporting?: ReportingRule | null;
    method: string | null;
    verdict: string | null;
  }>;
  signatures: Array<{
    printedName: string;
    meaning: string;
    signedAt: string;
    timeZone: string;
    comment: string | null;
  }>;
  issuedBy: string;
  /**
   * The checks the conclusion certifies (results complete, within specification) hold on the
   * records now; false: the conclusion is not printed. Absent: true.
   */
  conforms?: boolean;
}

const W = {
  'zh-CN': {
    coa: '产品检验报告（合格证明）',
    plant: '生产企业',
    product: '产品',
    registration: '产品配方注册号',
    lot: '批号',
    production: '生产日期',
    expiry: '保质期至',
    quantity: '数量',
    spec: '执行标准（版本）',
    item: '检验项目',
    result: '结果',
    limit: '标准要求',
    unit: '单位',
    method: '检验方法',
    verdict: '判定',
    pass: '合格',
    fail: '不合格',
    none: '—',
    signatures: '电子签名',
    meaning: {
      authored: '录入',
      reviewed: '复核',
      released: '放行',
      audit_reviewed: '审计追踪审核',
      held: '暂扣',
      rejected: '拒收',
      accepted: '接收',
      approved: '批准',
    } as Record<string, string>,
    ledger: '审计追踪',
    verify: '持有数据库者可凭批号与哈希值核验本报告。',
    conclusion: '结论：本批产品按上述标准全项检验，结果符合要求，准予放行。',
    issued: '签发',
    dossier: '批次档案',
  },
  en: {
    coa: 'Certificate of analysis',
    plant: 'Manufacturer',
    product: 'Product',
    registration: 'Formula registration no.',
    lot: 'Lot',
    production: 'Production date',
    expiry: 'Best before',
    quantity: 'Quantity',
    spec: 'Specification (version)',
    item: 'Item',
    result: 'Result',
    limit: 'Requirement',
    unit: 'Unit',
    method: 'Method',
    verdict: 'Verdict',
    pass: 'pass',
    fail: 'FAIL',
    none: '—',
    signatures: 'Electronic signatures',
    meaning: {
      authored: 'authored',
      reviewed: 'reviewed',
      released: 'released',
      audit_reviewed: 'audit trail reviewed',
      held: 'held',
      rejected: 'rejected',
      accepted: 'accepted',
      approved: 'approved',
    } as Record<string, string>,
    ledger: 'Audit trail',
    verify: 'Anyone holding the database can verify this certificate from the lot and the hash.',
    conclusion:
      'Conclusion: every item of the specification was tested in-house; the results conform; the lot is released.',
    issued: 'Issued',
    dossier: 'Lot dossier',
  },
} as const;

/** The QR code carries the lot and the ledger head: `LOTSEAL|COA|<lot>|<seq>|<hash>`. */
export function coaQrText(lot: string, stamp: LedgerStamp): string {
  return `LOTSEAL|COA|${lot}|${stamp.seq}|${stamp.hash}`;
}

function qrSvg(text: string): SafeHtml {
  return trusted(bwipjs.toSVG({ bcid: 'qrcode', text, scale: 2, paddingwidth: 0, paddingheight: 0 }));
}

export function coaHtml(d: CoaData, locale: Locale, stamp: LedgerStamp): string {
  const t = W[locale];
  const zh = locale === 'zh-CN';
  const body = html` <main>
    <header>
      <div>
        <h1>${t.coa}</h1>
        <p class="plant">${d.plantName ?? ''}</p>
      </div>
      <div class="qr">${qrSvg(coaQrText(d.lot.code, stamp))}</div>
    </header>
    <table class="kv">
      <tr>
        <th>${t.product}</th>
        <td>${zh ? d.product.nameZh : d.product.nameEn} (${d.product.code})</td>
        <th>${t.lot}</th>
        <td class="lot">${d.lot.code}</td>
      </tr>
      <tr>
        <th>${t.registration}</th>
        <td>${d.product.registrationNo ?? '—'}</td>
        <th>${t.production}</th>
        <td>${d.lot.productionDate}</td>
      </tr>
      <tr>
        <th>${t.spec}</th>
        <td>${d.spec ? `${d.spec.standard ? `${d.spec.standard} · ` : ''}${d.spec.code} v${d.spec.version}` : '—'}</td>
        <th>${t.expiry}</th>
        <td>${d.lot.expiryDate ?? '—'}</td>
      </tr>
    </table>
    <table class="grid">
      <thead>
        <tr>
          <th>${t.item}</th>
          <th>${t.result}</th>
          <th>${t.limit}</th>
          <th>${t.unit}</th>
          <th>${t.method}</th>
          <th>${t.verdict}</th>
        </tr>
      </thead>
      <tbody>
        ${d.items.map(
          (i) =>
            html`<tr>
              <td>${zh ? i.nameZh : i.nameEn}</td>
              <td class="num">${i.reported === null ? '—' : reportedForReader(formatReported(i.reported, i.reporting), zh ? 'zh-CN' : 'en')}</td>
              <td>${i.limit}</td>
              <td>${i.unit}</td>
              <td>${i.method ?? ''}</td>
              <td>${i.verdict === 'pass' ? t.pass : i.verdict === 'fail' ? t.fail : t.none}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${d.conforms === false ? '' : html`<p class="conclusion">${t.conclusion}</p>`}
    <h2>${t.signatures}</h2>
    <table class="grid sig">
      <tbody>
        ${d.signatures.map(
          (s) =>
            html`<tr>
              <td>${s.printedName}</td>
              <td>${t.meaning[s.meaning] ?? s.meaning}</td>
              <td>${signatureTime(s)}</td>
              <td>${s.comment ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <footer>${t.ledger} #${stamp.seq} · ${stamp.hash.slice(0, 16)} — ${t.verify} ${t.issued}: ${d.issuedBy}</footer>
  </main>`;
  return page({
    title: `${t.coa} ${d.lot.code}`,
    lang: locale,
    widthMm: 210,
    heightMm: 297,
    css: `main { padding: 14mm 14mm 22mm; font-size: 9.5pt; line-height: 1.35; }
header { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 4mm; }
h1 { font-size: 17pt; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm; }
.plant { font-size: 11pt; margin-top: 1mm; }
.qr svg { width: 26mm; height: 26mm; }
table { border-collapse: collapse; width: 100%; }
.kv th { text-align: left; font-weight: normal; color: #333; width: 30mm; padding: 0.8mm 2mm 0.8mm 0; }
.kv td { padding: 0.8mm 4mm 0.8mm 0; }
.kv td.lot { font-weight: bold; font-size: 11pt; }
.grid { margin-top: 3mm; }
.grid th, .grid td { border: 0.2mm solid #999; padding: 0.7mm 1.5mm; text-align: left; }
.grid thead th { background: #eee; }
.grid td.num { text-align: right; font-variant-numeric: tabular-nums; }
.conclusion { margin-top: 3mm; font-weight: bold; }
footer { position: fixed; bottom: 8mm; left: 14mm; right: 14mm; font-size: 7.5pt; color: #444; }`,
    body,
  });
}

/** The lot dossier: sections of key/value and tables, in one long PDF. */
export interface DossierSection {
  title: string;
  rows?: Array<[string, string]>;
  table?: { head: string[]; rows: string[][] };
}

export function dossierHtml(title: string, sections: DossierSection[], locale: Locale, stamp: LedgerStamp): string {
  const t = W[locale];
  // The page frame is a table whose empty head and foot repeat on every printed page: they
  // keep a top margin on every page and room for the fixed ledger footer, which would
  // otherwise print over the last lines of a long page.
  const body = html` <main>
    <table class="frame">
      <thead>
        <tr>
          <td><div class="frame-top"></div></td>
        </tr>
      </thead>
      <tfoot>
        <tr>
          <td><div class="frame-bottom"></div></td>
        </tr>
      </tfoot>
      <tbody>
        <tr>
          <td class="frame-body">
            <h1>${t.dossier} — ${title}</h1>
            ${sections.map(
              (s) =>
                html`<section>
                  <h2>${s.title}</h2>
                  ${s.rows
                    ? html`<table class="kv">
                        ${s.rows.map(
                          ([k, v]) =>
                            html`<tr>
                              <th>${k}</th>
                              <td>${v}</td>
                            </tr>`,
                        )}
                      </table>`
                    : ''}
                  ${s.table
                    ? s.table.rows.length
                      ? html`<table class="grid">
                          <thead>
                            <tr>
                              ${s.table.head.map((h) => html`<th>${h}</th>`)}
                            </tr>
                          </thead>
                          <tbody>
                            ${s.table.rows.map(
                              (r) =>
                                html`<tr>
                                  ${r.map((c) => html`<td>${c}</td>`)}
                                </tr>`,
                            )}
                          </tbody>
                        </table>`
                      : html`<p class="empty">—</p>`
                    : ''}
                </section>`,
            )}
          </td>
        </tr>
      </tbody>
    </table>
    <footer>${t.ledger} #${stamp.seq} · ${stamp.hash.slice(0, 16)}</footer>
  </main>`;
  return page({
    title: `${t.dossier} ${title}`,
    lang: locale,
    widthMm: 210,
    heightMm: 297,
    css: `main { padding: 0 12mm; font-size: 8.5pt; line-height: 1.3; }
.frame { width: 100%; border-collapse: collapse; }
.frame > thead > tr > td, .frame > tfoot > tr > td, .frame-body { padding: 0; border: 0; }
.frame-top { height: 12mm; }
.frame-bottom { height: 16mm; }
.frame > tbody > tr { break-inside: auto; }
h1 { font-size: 15pt; margin-bottom: 3mm; }
h2 { font-size: 10.5pt; margin: 4mm 0 1.5mm; border-bottom: 0.3mm solid #000; }
section { break-inside: auto; }
table { border-collapse: collapse; width: 100%; }
.kv th { text-align: left; font-weight: normal; color: #333; width: 40mm; padding: 0.5mm 2mm 0.5mm 0; vertical-align: top; }
.grid th, .grid td { border: 0.2mm solid #aaa; padding: 0.5mm 1.2mm; text-align: left; vertical-align: top; word-break: break-word; }
.grid thead th { background: #eee; }
tr { break-inside: avoid; }
.empty { color: #666; }
footer { position: fixed; bottom: 6mm; left: 12mm; font-size: 7pt; color: #444; }`,
    body,
  });
}
