import bwipjs from 'bwip-js/node';
import type { Locale } from '../../shared/i18n';
import { html, page, runningBand, trusted, unbroken, type LedgerStamp, type SafeHtml } from '../documents';
import { BEIJING_ZONE, printedLocalTime, printedTime, printedZoneLabel } from '../../shared/domain/printed-time';
import { reportedForReader } from '../../shared/rules/testing';
import { formatReported, type ReportingRule } from '../../shared/rules/reporting';

/** A person who signed, as the certificate prints them: the printed name and the signed instant. */
export interface CoaSigner {
  printedName: string;
  signedAt: string;
}

/** What a certificate of analysis prints (issue 11 §4, issue 22 §3). */
export interface CoaData {
  /** The company the documents name (site.company); null: not set yet (then `plantName`). */
  company?: {
    name: string;
    nameEn: string | null;
    scNumber: string;
    address: string;
    stamp: { mime: string; base64: string } | null;
  } | null;
  /** The plant's name from the older settings, printed when no company is set. */
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
    /** The method's limit of quantification: a number below it prints as "<LOQ". */
    loq?: string | null;
    verdict: string | null;
  }>;
  /**
   * 检验 (the analysts who authored the results) / 审核 (who reviewed them) / 批准 (who
   * released the lot). Names only: a signature's comment is internal and never printed.
   */
  signers?: { tested: CoaSigner[]; reviewed: CoaSigner[]; approved: CoaSigner[] };
  /** Older callers: the lot's signatures (only `released` ones are printed, as 批准). */
  signatures?: Array<{ printedName: string; meaning: string; signedAt: string; timeZone: string; comment?: string | null }>;
  issuedBy: string;
  /** When the certificate was made (ISO); now when absent. */
  issuedAt?: string;
  /** The zone the certificate prints times in (D-078); Beijing time when absent. */
  timeZone?: string;
  /**
   * The checks the conclusion certifies (results complete, within specification) hold on the
   * records now; false: the conclusion is not printed. Absent: true.
   */
  conforms?: boolean;
}

const W = {
  'zh-CN': {
    coa: '产品检验报告',
    plant: '生产企业',
    licence: '食品生产许可证编号',
    address: '地址',
    product: '产品名称',
    registration: '产品配方注册号',
    lot: '批号',
    production: '生产日期',
    expiry: '保质期至',
    quantity: '批量',
    standard: '执行标准',
    spec: '质量规格（版本）',
    issuedAt: '签发时间',
    no: '序号',
    item: '检验项目',
    result: '检验结果',
    limit: '标准要求',
    unit: '单位',
    method: '检验方法',
    verdict: '单项判定',
    pass: '合格',
    fail: '不合格',
    none: '—',
    tested: '检验',
    reviewed: '审核',
    approved: '批准',
    signedAt: '签名时间',
    stamp: '（盖章）',
    ledger: '审计追踪',
    verify: '持有数据库者可凭批号与哈希值核验本报告。',
    conclusion: '结论：本批产品按上述标准全项检验，结果符合要求，准予放行。',
    issued: '签发',
    dossier: '批次档案',
    noCompany: '（企业信息未设置）',
    allTimes: '时间均为',
  },
  en: {
    coa: 'Certificate of analysis',
    plant: 'Manufacturer',
    licence: 'Food production licence no.',
    address: 'Address',
    product: 'Product',
    registration: 'Formula registration no.',
    lot: 'Lot',
    production: 'Production date',
    expiry: 'Best before',
    quantity: 'Lot size',
    standard: 'Standard',
    spec: 'Specification (version)',
    issuedAt: 'Issued',
    no: 'No.',
    item: 'Item',
    result: 'Result',
    limit: 'Requirement',
    unit: 'Unit',
    method: 'Method',
    verdict: 'Verdict',
    pass: 'pass',
    fail: 'FAIL',
    none: '—',
    tested: 'Tested',
    reviewed: 'Reviewed',
    approved: 'Approved',
    signedAt: 'Signed',
    stamp: '(company stamp)',
    ledger: 'Audit trail',
    verify: 'Anyone holding the database can verify this certificate from the lot and the hash.',
    conclusion:
      'Conclusion: every item of the specification was tested in-house; the results conform; the lot is released.',
    issued: 'Issued',
    dossier: 'Lot dossier',
    noCompany: '(company not set)',
    allTimes: 'Times are',
  },
} as const;

/** The QR code carries the lot and the ledger head: `LOTSEAL|COA|<lot>|<seq>|<hash>`. */
export function coaQrText(lot: string, stamp: LedgerStamp): string {
  return `LOTSEAL|COA|${lot}|${stamp.seq}|${stamp.hash}`;
}

function qrSvg(text: string): SafeHtml {
  return trusted(bwipjs.toSVG({ bcid: 'qrcode', text, scale: 2, paddingwidth: 0, paddingheight: 0 }));
}

/** A numeric result below the method's limit of quantification prints as "<LOQ"; anything else as it was reported. */
export function reportedOnCertificate(reported: string, loq: string | null | undefined): string {
  if (!loq || !/^-?\d+(\.\d+)?$/.test(reported) || !/^\d+(\.\d+)?$/.test(loq)) return reported;
  return Number(reported) < Number(loq) ? `<${loq}` : reported;
}

/** The page geometry of the certificate and the dossier (A4; running header and footer in the margins). */
export const COA_PAGE = { widthMm: 210, heightMm: 297, topMm: 16, bottomMm: 16, sideMm: 14 } as const;
const MARGINS = { topMm: COA_PAGE.topMm, rightMm: COA_PAGE.sideMm, bottomMm: COA_PAGE.bottomMm, leftMm: COA_PAGE.sideMm };

/** The signers of each role: older data (a list of the lot's signatures) gives only the release. */
function signersOf(d: CoaData): { tested: CoaSigner[]; reviewed: CoaSigner[]; approved: CoaSigner[] } {
  if (d.signers) return d.signers;
  const approved = (d.signatures ?? []).filter((s) => s.meaning === 'released').map((s) => ({ printedName: s.printedName, signedAt: s.signedAt }));
  return { tested: [], reviewed: [], approved };
}

function companyName(d: CoaData, zh: boolean): string {
  if (d.company) return zh ? d.company.name : (d.company.nameEn ?? d.company.name);
  return d.plantName ?? '';
}

/** The running header and footer of the certificate: who, which lot, which ledger head, page n of m. */
export function coaRunning(d: CoaData, locale: Locale, stamp: LedgerStamp): { headerHtml: string; footerHtml: string } {
  const t = W[locale];
  const zh = locale === 'zh-CN';
  return {
    headerHtml: runningBand({
      left: `${companyName(d, zh) || t.noCompany} · ${t.coa}`,
      right: `${t.lot} ${d.lot.code}`,
      locale,
      sideMm: COA_PAGE.sideMm,
      align: 'top',
    }),
    footerHtml: runningBand({
      left: `${t.ledger} #${stamp.seq} · ${stamp.hash.slice(0, 16)} · ${t.verify}`,
      locale,
      sideMm: COA_PAGE.sideMm,
    }),
  };
}

export function coaHtml(d: CoaData, locale: Locale, stamp: LedgerStamp): string {
  const t = W[locale];
  const zh = locale === 'zh-CN';
  const zone = d.timeZone ?? BEIJING_ZONE;
  const issuedAt = d.issuedAt ?? new Date().toISOString();
  const signers = signersOf(d);
  const company = d.company ?? null;
  const name = companyName(d, zh);
  const signLine = (role: string, people: CoaSigner[], key: string) => {
    const last = people.map((p) => p.signedAt).sort().at(-1) ?? null;
    return html`<tr data-role="${key}">
      <th>${role}</th>
      <td class="names">${people.length ? people.map((p, i) => html`${i ? '、' : ''}<span class="name">${p.printedName}</span>`) : t.none}</td>
      <td class="when">${last ? printedLocalTime(last, zone) : ''}</td>
    </tr>`;
  };
  const body = html`<main>
    <header>
      <div class="company">
        <div class="co-name">${name || t.noCompany}</div>
        ${company && zh && company.nameEn ? html`<div class="co-en">${company.nameEn}</div>` : ''}
        ${company
          ? html`<div class="co-meta"><span>${t.licence}：${company.scNumber}</span><span>${t.address}：${company.address}</span></div>`
          : ''}
      </div>
      <div class="qr">${qrSvg(coaQrText(d.lot.code, stamp))}</div>
    </header>
    <h1>${t.coa}</h1>
    <table class="kv">
      <tr>
        <th>${t.product}</th>
        <td>${zh ? d.product.nameZh : d.product.nameEn}</td>
        <th>${t.lot}</th>
        <td class="lot">${d.lot.code}</td>
      </tr>
      <tr>
        <th>${t.production}</th>
        <td>${d.lot.productionDate}</td>
        <th>${t.expiry}</th>
        <td>${d.lot.expiryDate ?? '—'}</td>
      </tr>
      ${d.product.registrationNo
        ? html`<tr>
            <th>${t.registration}</th>
            <td>${d.product.registrationNo}</td>
            <th>${t.quantity}</th>
            <td>${unbroken(`${d.lot.quantity} ${d.lot.unit}`)}</td>
          </tr>`
        : html`<tr>
            <th>${t.quantity}</th>
            <td colspan="3">${unbroken(`${d.lot.quantity} ${d.lot.unit}`)}</td>
          </tr>`}
      <tr>
        <th>${t.standard}</th>
        <td>${d.spec?.standard ?? '—'}</td>
        <th>${t.spec}</th>
        <td>${d.spec ? `${d.spec.code} v${d.spec.version}` : '—'}</td>
      </tr>
      <tr>
        <th>${t.issuedAt}</th>
        <td colspan="3">${printedTime(issuedAt, zone, locale)} · ${t.issued}：${d.issuedBy}</td>
      </tr>
    </table>
    <table class="grid items">
      <colgroup>
        <col class="c-no" /><col class="c-item" /><col class="c-unit" /><col class="c-limit" /><col class="c-result" /><col
          class="c-verdict"
        /><col class="c-method" />
      </colgroup>
      <thead>
        <tr>
          <th>${t.no}</th>
          <th>${t.item}</th>
          <th>${t.unit}</th>
          <th>${t.limit}</th>
          <th>${t.result}</th>
          <th>${t.verdict}</th>
          <th>${t.method}</th>
        </tr>
      </thead>
      <tbody>
        ${d.items.map(
          (i, n) =>
            html`<tr data-item="${i.code}">
              <td class="no">${n + 1}</td>
              <td>${zh ? i.nameZh : i.nameEn}</td>
              <td class="unit">${unbroken(i.unit)}</td>
              <td>${i.limit}</td>
              <td class="num">
                ${i.reported === null
                  ? '—'
                  : reportedForReader(reportedOnCertificate(formatReported(i.reported, i.reporting), i.loq), zh ? 'zh-CN' : 'en')}
              </td>
              <td class="verdict">${i.verdict === 'pass' ? t.pass : i.verdict === 'fail' ? t.fail : t.none}</td>
              <td>${i.method ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <section class="closing">
      ${d.conforms === false ? '' : html`<p class="conclusion">${t.conclusion}</p>`}
      <div class="sign-block">
        <table class="sig">
          <thead>
            <tr>
              <th></th>
              <th></th>
              <th class="when">${t.signedAt} · ${printedZoneLabel(zone, locale, new Date(issuedAt))}</th>
            </tr>
          </thead>
          <tbody>
            ${signLine(t.tested, signers.tested, 'tested')} ${signLine(t.reviewed, signers.reviewed, 'reviewed')}
            ${signLine(t.approved, signers.approved, 'approved')}
          </tbody>
        </table>
        <div class="stamp-box${company?.stamp ? ' has-image' : ''}">
          ${company?.stamp
            ? html`<img alt="" src="${trusted(`data:${company.stamp.mime};base64,${company.stamp.base64}`)}" />`
            : html`<span>${t.stamp}</span>`}
        </div>
      </div>
      <p class="verify">${t.ledger} #${stamp.seq} · ${stamp.hash.slice(0, 16)} — ${t.verify}</p>
    </section>
  </main>`;
  return page({
    title: `${t.coa} ${d.lot.code}`,
    lang: locale,
    widthMm: COA_PAGE.widthMm,
    heightMm: COA_PAGE.heightMm,
    margins: MARGINS,
    css: `main { font-size: 9pt; line-height: 1.35; padding-top: 1.5mm; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 6mm; border-bottom: 0.4mm solid #000; padding-bottom: 2mm; }
.co-name { font-size: 14pt; font-weight: bold; }
.co-en { font-size: 9pt; color: #333; }
.co-meta { margin-top: 1mm; font-size: 8.5pt; display: flex; flex-wrap: wrap; column-gap: 6mm; }
.co-meta span { white-space: nowrap; }
.qr svg { width: 22mm; height: 22mm; }
h1 { font-size: 16pt; text-align: center; letter-spacing: 0.2em; margin: 3mm 0 2mm; }
table { border-collapse: collapse; width: 100%; }
.kv th { text-align: left; font-weight: normal; color: #333; width: 30mm; padding: 0.6mm 2mm 0.6mm 0; white-space: nowrap; }
.kv td { padding: 0.6mm 4mm 0.6mm 0; }
.kv td.lot { font-weight: bold; font-size: 11pt; }
.items { margin-top: 3mm; table-layout: fixed; }
.items .c-no { width: 9mm; } .items .c-item { width: 34mm; } .items .c-unit { width: 25mm; } .items .c-limit { width: 29mm; }
.items .c-result { width: 22mm; } .items .c-verdict { width: 15mm; } .items .c-method { width: auto; }
.grid th, .grid td { border: 0.2mm solid #999; padding: 0.6mm 1.2mm; text-align: left; vertical-align: top; overflow-wrap: break-word; }
.grid thead th { background: #eee; white-space: nowrap; }
.grid td.no, .grid td.verdict { text-align: center; }
.grid td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.items tr { break-inside: avoid; }
.closing { break-inside: avoid; margin-top: 3mm; }
.conclusion { font-weight: bold; }
.sign-block { display: flex; align-items: flex-start; gap: 6mm; margin-top: 3mm; }
.sig { flex: 1; }
.sig th, .sig td { padding: 1.2mm 2mm 1.2mm 0; border-bottom: 0.2mm solid #bbb; text-align: left; vertical-align: top; }
.sig thead th { border-bottom: 0; font-weight: normal; color: #444; font-size: 8pt; padding-bottom: 0; }
.sig tbody th { width: 12mm; white-space: nowrap; }
.sig .name { white-space: nowrap; }
.sig td.when { white-space: nowrap; width: 30mm; }
.sig thead th.when { white-space: nowrap; }
.stamp-box { width: 38mm; height: 38mm; flex: none; border: 0.3mm dashed #999; border-radius: 50%; display: flex; align-items: center; justify-content: center; color: #999; font-size: 8pt; }
.stamp-box.has-image { border: 0; }
.stamp-box img { max-width: 36mm; max-height: 36mm; }
.verify { margin-top: 3mm; font-size: 7.5pt; color: #444; }`,
    body,
  });
}

/** The lot dossier: sections of key/value and tables, in one long PDF. */
export interface DossierSection {
  title: string;
  rows?: Array<[string, string]>;
  /** `wrap`: the columns whose text may wrap (names, raw data, reasons); the others stay on one line. Absent: all may wrap. */
  table?: { head: string[]; rows: string[][]; wrap?: number[] };
}

/** The running header and footer of the dossier and the evidence packs made from it: title, ledger head, page n of m. */
export function dossierRunning(title: string, locale: Locale, stamp: LedgerStamp, heading?: string): { headerHtml: string; footerHtml: string } {
  const t = W[locale];
  return {
    headerHtml: runningBand({ left: `${heading ?? t.dossier} — ${title}`, locale, sideMm: COA_PAGE.sideMm, align: 'top' }),
    footerHtml: runningBand({ left: `${t.ledger} #${stamp.seq} · ${stamp.hash.slice(0, 16)}`, locale, sideMm: COA_PAGE.sideMm }),
  };
}

/**
 * The lot dossier (and the recall evidence packs): sections of key/value and tables, in one
 * long PDF. Printed with COA_PAGE's margins; the running header and footer (dossierRunning)
 * print in them, so no row is ever printed over.
 */
export function dossierHtml(title: string, sections: DossierSection[], locale: Locale, _stamp: LedgerStamp, heading?: string): string {
  const t = W[locale];
  const body = html`<main>
    <h1>${heading ?? t.dossier} — ${title}</h1>
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
                          ${r.map((c, k) => (s.table!.wrap && !s.table!.wrap.includes(k) ? html`<td class="nw">${c}</td>` : html`<td>${c}</td>`))}
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p class="empty">—</p>`
            : ''}
        </section>`,
    )}
  </main>`;
  return page({
    title: `${heading ?? t.dossier} ${title}`,
    lang: locale,
    widthMm: COA_PAGE.widthMm,
    heightMm: COA_PAGE.heightMm,
    margins: MARGINS,
    css: `main { font-size: 8.5pt; line-height: 1.3; padding-top: 1.5mm; }
h1 { font-size: 15pt; margin-bottom: 3mm; }
h2 { font-size: 10.5pt; margin: 4mm 0 1.5mm; border-bottom: 0.3mm solid #000; break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
.kv th { text-align: left; font-weight: normal; color: #333; width: 40mm; padding: 0.5mm 2mm 0.5mm 0; vertical-align: top; }
.grid th, .grid td { border: 0.2mm solid #aaa; padding: 0.5mm 1.2mm; text-align: left; vertical-align: top; overflow-wrap: break-word; }
.grid thead th { background: #eee; white-space: nowrap; }
.grid td.nw { white-space: nowrap; }
tr { break-inside: avoid; }
.empty { color: #666; }`,
    body,
  });
}
