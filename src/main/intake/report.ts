import type { z } from 'zod';
import type { intakeDetailSchema, lateFailureDetailSchema } from '../../shared/contract/channels/intake';
import type { Locale } from '../../shared/i18n';
import { printedTime } from '../../shared/domain/printed-time';
import { html, page, runningBand, unbroken, type LedgerStamp, type SafeHtml } from '../documents';

type IntakeDetail = z.infer<typeof intakeDetailSchema>;
type LateFailure = z.infer<typeof lateFailureDetailSchema>;

const T = {
  'zh-CN': {
    title: '不符合生鲜乳质量安全标准的报告',
    to: '致：县级人民政府农业农村主管部门',
    basis:
      '依据《宁夏回族自治区奶产业发展条例》第二十八条：乳制品生产企业对收购的生鲜乳逐批进行质量安全检测，发现不符合生鲜乳质量安全标准的，应当立即停止收购或者使用，并向所在地县级以上人民政府农业农村主管部门报告。',
    tanker: '罐车与来源',
    lot: '批次',
    supplier: '供应商（收购站/牧场）',
    farms: '牧场',
    vehicle: '车辆',
    quantity: '数量',
    received: '到厂时间',
    temperature: '到厂温度',
    declarations: '收奶声明',
    checks: '检测结果',
    item: '项目',
    result: '结果',
    limit: '要求',
    verdict: '判定',
    decision: '处理决定',
    decisionText: '拒收，已立即停止收购和使用。',
    lateText:
      '该批生鲜乳已接收；追溯检验结果不符合生鲜乳质量安全国家标准，已立即停止使用，并对使用该批生鲜乳的产品采取控制措施。',
    lateTitle: '追溯检验不合格（接收后）',
    acceptedAt: '接收时间',
    lateResults: '追溯检验结果',
    affected: '使用该批生鲜乳的奶仓、批次和产品批',
    held: '已暂扣',
    notHeld: '未暂扣',
    shippedNote: '已发货',
    tankerItself: '本罐车生鲜乳',
    national: '国家标准',
    plant: '厂内标准',
    basisCol: '依据',
    reason: '原因',
    causes: '不合格项',
    signed: '签名',
    ledger: '审计追踪',
    yes: '是',
    no: '否',
    pass: '合格',
    fail: '不合格',
    none: '—',
    decl: {
      noColostrum: '无产犊 7 日内初乳',
      noTreatment: '无治疗期奶牛',
      withdrawalRespected: '无休药期内奶牛',
      healthCertificates: '检疫（健康）证明齐全',
    },
    negative: '阴性',
    positive: '阳性',
    meaning: { rejected: '拒收', accepted: '接收', authored: '录入', held: '暂扣' } as Record<string, string>,
  },
  en: {
    title: 'Report of raw milk not meeting the quality and safety standard',
    to: 'To: the county agriculture and rural affairs authority',
    basis:
      'Under Article 28 of the Ningxia Hui Autonomous Region Dairy Industry Development Regulations, a dairy producer tests every lot of raw milk it buys; raw milk found not to meet the raw milk quality and safety standard is stopped from purchase and use at once and reported to the agriculture authority at county level or above.',
    tanker: 'Tanker and origin',
    lot: 'Lot',
    supplier: 'Supplier (collection station / farm)',
    farms: 'Farms',
    vehicle: 'Vehicle',
    quantity: 'Quantity',
    received: 'Received',
    temperature: 'Temperature on arrival',
    declarations: 'Receipt declarations',
    checks: 'Test results',
    item: 'Item',
    result: 'Result',
    limit: 'Requirement',
    verdict: 'Verdict',
    decision: 'Decision',
    decisionText: 'Rejected; purchase and use stopped at once.',
    lateText:
      'This raw milk had been accepted; a retrospective result does not meet the national raw milk standard. Its use was stopped at once and the products made from it were put under control.',
    lateTitle: 'Retrospective result failed (after acceptance)',
    acceptedAt: 'Accepted',
    lateResults: 'Retrospective results',
    affected: 'Silos, batches and lots that used this raw milk',
    held: 'held',
    notHeld: 'not held',
    shippedNote: 'shipped',
    tankerItself: 'this tanker’s raw milk',
    national: 'national standard',
    plant: 'plant rule',
    basisCol: 'Basis',
    reason: 'Reason',
    causes: 'Non-conforming',
    signed: 'Signatures',
    ledger: 'Audit trail',
    yes: 'yes',
    no: 'no',
    pass: 'pass',
    fail: 'FAIL',
    none: '—',
    decl: {
      noColostrum: 'No colostrum (calved within 7 days)',
      noTreatment: 'No cows under treatment',
      withdrawalRespected: 'No cows in a withdrawal period',
      healthCertificates: 'Health (quarantine) certificates present',
    },
    negative: 'negative',
    positive: 'positive',
    meaning: { rejected: 'rejected', accepted: 'accepted', authored: 'authored', held: 'held' } as Record<
      string,
      string
    >,
  },
} as const;

/** The report's page margins: the running footer (ledger head, page n of m) prints in the bottom one. */
export const REPORT_MARGINS = { topMm: 16, rightMm: 16, bottomMm: 18, leftMm: 16 } as const;

/** The report's running footer: the ledger head and the page number, in the bottom margin (never over a row). */
export function authorityReportFooter(locale: Locale, stamp: LedgerStamp): { footerHtml: string; headerHtml: string } {
  return {
    headerHtml: '<span></span>',
    footerHtml: runningBand({ left: `${T[locale].ledger} #${stamp.seq} · ${stamp.hash.slice(0, 16)}`, locale, sideMm: REPORT_MARGINS.leftMm }),
  };
}

/** The 第二十八条 report for a rejected tanker: A4, bilingual by locale, ledger head in the footer. */
export function authorityReportHtml(
  d: IntakeDetail,
  locale: Locale,
  stamp: LedgerStamp,
  late: LateFailure | null = null,
  /** The zone the plant's documents print in (D-078); the zone the first signature recorded when absent. */
  zone?: string,
): string {
  const t = T[locale];
  const zh = locale === 'zh-CN';
  const intake = d.intake!;
  const row = (k: string, v: string | SafeHtml | null) =>
    html`<tr>
      <th>${k}</th>
      <td>${v ?? '—'}</td>
    </tr>`;
  // The plant's local time with an honest label (北京时间（UTC+08:00）for a plant with an SC licence, D-078).
  const tz = zone ?? d.signatures[0]?.timeZone ?? 'UTC';
  const when = (s: string | null) => printedTime(s, tz, locale);
  const screenValue = (v: string | null) =>
    v === null ? '—' : v === 'absent' ? t.negative : v.startsWith('present') ? t.positive : v;
  const checkName = (code: string) => {
    const c = d.checks.find((x) => x.code === code);
    return c ? (zh ? c.nameZh : c.nameEn) : code;
  };
  const cause = (c: string) =>
    c.startsWith('check.')
      ? checkName(c.slice(6))
      : c.startsWith('declaration.')
        ? (t.decl[c.slice(12) as keyof typeof t.decl] ?? c)
        : c;
  const body = html` <main>
    <h1>${t.title}</h1>
    <p class="to">${t.to}</p>
    <p class="basis">${t.basis}</p>
    <h2>${t.tanker}</h2>
    <table class="kv">
      ${row(t.lot, d.lot.code)} ${row(t.supplier, `${d.supplier.name} (${d.supplier.code})`)}
      ${row(t.farms, d.receipt?.farms.join('、') ?? null)} ${row(t.vehicle, d.receipt?.vehicle ?? null)}
      ${row(t.quantity, unbroken(`${d.lot.quantity} ${d.lot.unit}`))} ${row(t.received, when(d.receipt?.receivedAt ?? null))}
      ${row(t.temperature, d.receipt?.temperature ? `${d.receipt.temperature} °C` : null)}
    </table>
    <h2>${t.declarations}</h2>
    <table class="kv">
      ${(Object.keys(t.decl) as Array<keyof typeof t.decl>).map((k) =>
        row(t.decl[k], intake.declarations[k] ? t.yes : t.no),
      )}
    </table>
    <h2>${t.checks}</h2>
    <table class="grid">
      <thead>
        <tr>
          <th>${t.item}</th>
          <th>${t.result}</th>
          <th>${t.limit}</th>
          <th>${t.verdict}</th>
        </tr>
      </thead>
      <tbody>
        ${d.checks.map(
          (c) =>
            html`<tr class="${c.verdict === 'fail' ? 'bad' : ''}">
              <td>${zh ? c.nameZh : c.nameEn}</td>
              <td>${c.screen ? screenValue(c.reported) : unbroken(`${c.reported ?? '—'}${c.reported && c.unit ? ` ${c.unit}` : ''}`)}</td>
              <td>${c.screen ? t.negative : c.limitText}</td>
              <td>${c.verdict === 'fail' ? t.fail : c.verdict === 'pass' ? t.pass : t.none}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${late
      ? html`<h2>${t.lateTitle}</h2>
          <table class="kv">
            ${row(t.acceptedAt, when(late.acceptedAt))}
          </table>
          <table class="grid">
            <thead>
              <tr>
                <th>${t.item}</th>
                <th>${t.result}</th>
                <th>${t.limit}</th>
                <th>${t.basisCol}</th>
              </tr>
            </thead>
            <tbody>
              ${late.results.map(
                (r) =>
                  html`<tr class="bad">
                    <td>${zh ? r.nameZh : r.nameEn}</td>
                    <td>${unbroken(`${r.reported ?? '—'} ${r.unit}`)}</td>
                    <td>${r.limitText}</td>
                    <td>${r.rule === 'national' ? t.national : t.plant}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <h2>${t.affected}</h2>
          <table class="grid">
            <tbody>
              ${[
                {
                  lot: late.lotCode,
                  itemName: t.tankerItself,
                  itemCode: null,
                  batchCode: null,
                  shipped: false,
                },
                ...late.affected,
              ].map((a) => {
                const held = late.holds.some((h) => h.heldLots.includes(a.lot));
                return html`<tr>
                  <td>${a.lot}</td>
                  <td>${a.itemName ?? a.itemCode ?? ''}</td>
                  <td>${a.batchCode ?? ''}</td>
                  <td>${held ? t.held : t.notHeld}${a.shipped ? ` · ${t.shippedNote}` : ''}</td>
                </tr>`;
              })}
            </tbody>
          </table>
          <h2>${t.decision}</h2>
          <table class="kv">
            ${row(t.decision, t.lateText)} ${row(t.reason, late.holds.map((h) => h.reason).join('；') || null)}
          </table>`
      : html`<h2>${t.decision}</h2>
          <table class="kv">
            ${row(t.decision, t.decisionText)}
            ${row(t.causes, intake.rejectCauses.map(cause).join(zh ? '、' : ', ') || null)}
            ${row(t.reason, intake.decisionReason)}
          </table>`}
    <h2>${t.signed}</h2>
    <table class="grid">
      <tbody>
        ${[...d.signatures, ...(late?.holds.flatMap((h) => h.signatures) ?? [])].map(
          (s) =>
            html`<tr>
              <td>${s.printedName}</td>
              <td>${t.meaning[s.meaning] ?? s.meaning}</td>
              <td>${when(s.signedAt)}</td>
              <td>${s.comment ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </main>`;
  return page({
    title: `${t.title} ${d.lot.code}`,
    lang: locale,
    widthMm: 210,
    heightMm: 297,
    margins: REPORT_MARGINS,
    css: `main { font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 16pt; margin-bottom: 4mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 0.3mm solid #000; }
p.to { font-weight: bold; margin-bottom: 2mm; }
p.basis { font-size: 9.5pt; color: #222; }
table { border-collapse: collapse; width: 100%; }
.kv th { text-align: left; width: 55mm; font-weight: normal; color: #333; padding: 1mm 2mm 1mm 0; vertical-align: top; }
.kv td { padding: 1mm 0; }
.grid th, .grid td { border: 0.2mm solid #999; padding: 1mm 2mm; text-align: left; }
.grid tr.bad td { font-weight: bold; background: #fde2e2; }
tr { break-inside: avoid; }`,
    body,
  });
}
