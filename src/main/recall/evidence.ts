import type { z } from 'zod';
import type { drillDetailSchema } from '../../shared/contract/channels/recall';
import type { Locale } from '../../shared/i18n';
import type { LedgerStamp } from '../documents/templates/label';
import { dossierHtml, type DossierSection } from '../disposition/documents';
import type { TraceEdge } from '../trace/trace';

type Detail = z.infer<typeof drillDetailSchema>;

const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** The evidence pack's sections (issue 12 §3): scope, timeline, trace with quantities, mass balance, customers, findings, signatures. */
export function evidenceSections(
  d: Detail,
  edges: { backward: TraceEdge[]; forward: TraceEdge[] },
  locale: Locale,
): DossierSection[] {
  const zh = locale === 'zh-CN';
  const L = (a: string, b: string) => (zh ? a : b);
  const v = d.drill;
  const recall = v.mode === 'recall';
  return [
    {
      title: L('范围', 'Scope'),
      rows: [
        [L('类型', 'Type'), recall ? L('召回（真实）', 'RECALL (real)') : L('模拟召回演练', 'Recall drill (exercise)')],
        [L('编号', 'Code'), v.code],
        [L('起始批次', 'Root lot'), v.rootLot],
        [L('方向', 'Direction'), v.direction],
        [
          L('选择方式', 'Selection'),
          `${v.selection}${v.selectionCriteria ? ` ${JSON.stringify(v.selectionCriteria)}` : ''}`,
        ],
        [L('原因', 'Reason'), v.reason ?? '—'],
        [L('开始', 'Started'), `${v.startedAt} (${v.startedBy})`],
        [L('完成', 'Completed'), v.completedAt ? `${v.completedAt} (${v.completedBy ?? ''})` : L('进行中', 'open')],
        [
          L('用时 / 目标', 'Elapsed / target'),
          `${minutes(v.elapsedMs)} / ${v.targetMinutes} min — ${v.withinTarget ? L('达标', 'within target') : L('超时', 'OVER TARGET')}`,
        ],
        [
          L('物料平衡 / 容差', 'Accounted / tolerance'),
          `${v.accountedPct ?? '—'} % / ${v.toleranceMin}–${v.toleranceMax} % — ${v.withinTolerance === null ? '—' : v.withinTolerance ? L('在容差内', 'within tolerance') : L('超出容差', 'OUTSIDE TOLERANCE')}`,
        ],
      ],
    },
    {
      title: L('时间线', 'Timeline'),
      table: {
        head: [L('步骤', 'Step'), L('时间', 'When'), L('人员', 'Who'), L('结果', 'Found')],
        rows: d.steps.map((s) => [s.step, s.doneAt.slice(0, 19), s.doneBy, JSON.stringify(s.summary).slice(0, 300)]),
      },
    },
    {
      title: L('受影响批次（库存与位置）', 'Affected lots (stock and location)'),
      table: {
        head: [
          L('方向', 'Direction'),
          L('层级', 'Depth'),
          L('批号', 'Lot'),
          L('类别', 'Kind'),
          L('品项', 'Item'),
          L('状态', 'Status'),
          L('剩余', 'Remaining'),
          L('位置', 'Location'),
          L('已发货', 'Shipped'),
        ],
        rows: d.lots.map((l) => [
          l.direction,
          String(l.depth),
          l.lot,
          l.kind ?? '?',
          l.itemCode ?? '',
          l.status ?? '',
          `${l.remaining ?? '—'} ${l.unit ?? ''}`,
          l.location ?? '',
          l.shipped ? '✓' : '',
        ]),
      },
    },
    {
      title: L('追溯（含数量）', 'Trace (with quantities)'),
      table: {
        head: [L('方向', 'Direction'), L('投入批次', 'Input lot'), L('产出批次', 'Output lot'), L('数量', 'Quantity')],
        rows: [
          ...edges.backward.map((e) => [L('向后', 'backward'), e.input, e.output, `${e.quantity} ${e.unit}`]),
          ...edges.forward.map((e) => [L('向前', 'forward'), e.input, e.output, `${e.quantity} ${e.unit}`]),
        ],
      },
    },
    {
      title: L('物料平衡', 'Mass balance'),
      rows: Object.entries(d.massBalance ?? {}).map(([k, val]) => [k, val ?? '—']),
    },
    {
      title: L('客户与发货', 'Customers and shipments'),
      table: {
        head: [
          L('客户', 'Customer'),
          L('联系人', 'Contact'),
          L('电话', 'Phone'),
          L('发货单', 'Shipment'),
          L('批号', 'Lot'),
          L('数量', 'Quantity'),
          L('日期', 'Date'),
          L('联络记录', 'Contacts'),
          L('退回', 'Returned'),
        ],
        rows: d.customers.flatMap((c) =>
          c.shipments.map((s) => [
            `${c.code} ${c.name ?? ''}`,
            c.contact ?? '',
            c.phone ?? '',
            s.shipment,
            s.lot,
            `${s.quantity} ${s.unit}`,
            s.date,
            c.contacts.map((x) => `${x.at.slice(0, 16)} ${x.channel} ${x.outcome}`).join('; '),
            c.returned
              .filter((x) => x.lot === s.lot)
              .map((x) => `${x.quantity} ${x.unit}`)
              .join('; '),
          ]),
        ),
      },
    },
    {
      title: L('相关记录', 'Linked records'),
      table: { head: [L('类别', 'Kind'), L('记录', 'Record')], rows: d.documents.map((x) => [x.kind, x.label]) },
    },
    {
      title: L('发现项', 'Findings'),
      table: {
        head: [L('类别', 'Kind'), L('对象', 'Ref'), L('描述', 'Detail'), L('说明', 'Explanation')],
        rows: d.findings.map((f) => [f.kind, f.ref, f.detail, f.explanation ?? L('（未说明）', '(not explained)')]),
      },
    },
    {
      title: L('签名', 'Signatures'),
      table: {
        head: [L('签名人', 'Signed by'), L('含义', 'Meaning'), L('时间', 'When'), L('说明', 'Comment')],
        rows: d.signatures.map((s) => [
          s.printedName,
          s.meaning,
          `${s.signedAt.slice(0, 16)} (${s.timeZone})`,
          s.comment ?? '',
        ]),
      },
    },
  ];
}

export function evidenceHtml(
  d: Detail,
  edges: { backward: TraceEdge[]; forward: TraceEdge[] },
  locale: Locale,
  stamp: LedgerStamp,
): string {
  return dossierHtml(
    `${d.drill.mode === 'recall' ? 'RECALL' : 'DRILL'} ${d.drill.code} · ${d.drill.rootLot}`,
    evidenceSections(d, edges, locale),
    locale,
    stamp,
  ).replaceAll(
    locale === 'zh-CN' ? '批次档案' : 'Lot dossier',
    locale === 'zh-CN'
      ? d.drill.mode === 'recall'
        ? '召回证据包'
        : '召回演练证据包'
      : d.drill.mode === 'recall'
        ? 'Recall evidence pack'
        : 'Recall drill evidence pack',
  );
}
