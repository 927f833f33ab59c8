import type { z } from 'zod';
import type { drillDetailSchema } from '../../shared/contract/channels/recall';
import { translate, type Locale } from '../../shared/i18n';
import { drillStepSummary } from '../../shared/i18n/drill-text';
import { printedTime } from '../../shared/domain/printed-time';
import type { LedgerStamp } from '../documents';
import { dossierHtml, dossierRunning, type DossierSection } from '../disposition';
import type { TraceEdge } from '../trace';
import { massBalanceRows } from '../../shared/contract/channels/trace';

type Detail = z.infer<typeof drillDetailSchema>;

const MB_ROWS = massBalanceRows;

/**
 * The evidence pack's sections (issue 12 §3): scope, timeline, trace with quantities, mass
 * balance, customers, findings, signatures. Everything an inspector reads is in the pack's
 * language (the same messages as the drill page) and every time, signatures' included, is the
 * plant's local time with an honest zone label (北京时间（UTC+08:00）for a plant with an SC
 * licence, D-078), whatever zone the workstation that recorded it ran in.
 */
export function evidenceSections(
  d: Detail,
  edges: { backward: TraceEdge[]; forward: TraceEdge[] },
  locale: Locale,
  timeZone: string,
): DossierSection[] {
  const tr = (key: string, vars?: Record<string, unknown>) => translate(locale, key, vars);
  const zh = locale === 'zh-CN';
  const L = (a: string, b: string) => (zh ? a : b);
  const at = (iso: string | null | undefined) => printedTime(iso, timeZone, locale);
  const v = d.drill;
  const recall = v.mode === 'recall';
  const elapsed = (ms: number) => {
    const m = Math.floor(ms / 60_000);
    const sec = Math.round((ms % 60_000) / 1000);
    return zh ? `${m} 分 ${sec} 秒` : `${m} min ${sec} s`;
  };
  const criteria =
    v.selection === 'random' && v.selectionCriteria
      ? tr('drills.selection.randomOf', {
          group: tr(`drills.groups.${v.selectionCriteria['productGroup'] ?? ''}`, {
            defaultValue: v.selectionCriteria['productGroup'] ?? '',
          }),
          from: v.selectionCriteria['from'] ?? '',
          to: v.selectionCriteria['to'] ?? '',
        })
      : tr(`drills.selection.${v.selection}`);
  const mb = d.massBalance ?? {};
  const mbUnit = mb['unit'] ?? '';
  return [
    {
      title: L('范围', 'Scope'),
      rows: [
        [L('类型', 'Type'), recall ? L('召回（真实）', 'RECALL (real)') : L('模拟召回演练', 'Recall drill (exercise)')],
        [L('编号', 'Code'), v.code],
        [L('起始批次', 'Root lot'), v.rootLot],
        [L('方向', 'Direction'), tr(`drills.direction.${v.direction}`)],
        [L('选择方式', 'Selection'), criteria],
        [L('原因', 'Reason'), v.reason ?? '—'],
        [L('开始', 'Started'), `${at(v.startedAt)} · ${v.startedBy}`],
        [L('完成', 'Completed'), v.completedAt ? `${at(v.completedAt)} · ${v.completedBy ?? ''}` : L('进行中', 'open')],
        [
          L('用时 / 目标', 'Elapsed / target'),
          `${elapsed(v.elapsedMs)} / ${v.targetMinutes} ${L('分钟', 'min')} — ${v.withinTarget ? L('达标', 'within target') : L('超时', 'OVER TARGET')}`,
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
        rows: d.steps.map((s) => [
          tr(`drills.steps.${s.step}.title`),
          at(s.doneAt),
          s.doneBy,
          drillStepSummary(tr, s.step, s.summary),
        ]),
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
          tr(`drills.lots.dir.${l.direction}`),
          String(l.depth),
          l.lot,
          l.kind ? tr(`lots.kinds.${l.kind}`, { defaultValue: l.kind }) : tr('drills.lots.noRecord'),
          l.itemCode ?? '',
          l.status ? tr(`lots.status.${l.status}`, { defaultValue: l.status }) : '',
          l.remaining === null ? '—' : `${l.remaining} ${l.unit ?? ''}`,
          l.location ?? '',
          l.shipped ? tr('drills.lots.shippedYes') : '',
        ]),
      },
    },
    {
      title: L('追溯（含数量）', 'Trace (with quantities)'),
      table: {
        head: [L('方向', 'Direction'), L('投入批次', 'Input lot'), L('产出批次', 'Output lot'), L('数量', 'Quantity')],
        // A quantity with its unit stays on one line (issue 22 §3).
        wrap: [0],
        rows: [
          ...edges.backward.map((e) => [tr('drills.lots.dir.backward'), e.input, e.output, `${e.quantity} ${e.unit}`]),
          ...edges.forward.map((e) => [tr('drills.lots.dir.forward'), e.input, e.output, `${e.quantity} ${e.unit}`]),
        ],
      },
    },
    {
      title: `${L('物料平衡', 'Mass balance')} — ${v.rootLot}`,
      rows: d.massBalance
        ? [
            ...MB_ROWS.filter((r) => mb[r] !== undefined).map((r): [string, string] => [
              tr(`trace.massBalance.${r}`),
              mb[r] === null ? '—' : `${r === 'returned' && mb[r] !== '0' ? '−' : ''}${mb[r]} ${mbUnit}`,
            ]),
            [tr('trace.massBalance.accounted_pct'), mb['accounted_pct'] ? `${mb['accounted_pct']} %` : '—'],
          ]
        : [[L('物料平衡', 'Mass balance'), tr('drills.steps.mass_balance.none')]],
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
        // Codes, quantities with their units and dates stay on one line (issue 22 §3).
        wrap: [0, 1, 2, 7, 8],
        rows: d.customers.flatMap((c) =>
          c.shipments.map((s) => [
            `${c.code} ${c.name ?? ''}`,
            c.contact ?? '',
            c.phone ?? '',
            s.shipment,
            s.lot,
            `${s.quantity} ${s.unit}`,
            s.date,
            c.contacts
              .map(
                (x) =>
                  `${at(x.at)} ${tr(`drills.recall.channels.${x.channel}`)} · ${tr(`drills.recall.outcomes.${x.outcome}`)} (${x.by})${x.note ? `: ${x.note}` : ''}`,
              )
              .join('; '),
            c.returned
              .filter((x) => x.lot === s.lot)
              .map((x) => `${x.date} ${x.quantity} ${x.unit}`)
              .join('; '),
          ]),
        ),
      },
    },
    {
      title: L('相关记录', 'Linked records'),
      table: {
        head: [L('类别', 'Kind'), L('记录', 'Record')],
        rows: d.documents.map((x) => [
          tr(`drills.docKinds.${x.kind}`, { defaultValue: x.kind }),
          `${x.meaning ? `${tr(`meanings.${x.meaning}`, { defaultValue: x.meaning })} · ` : ''}${x.label}`,
        ]),
      },
    },
    {
      title: L('发现项', 'Findings'),
      table: {
        head: [L('类别', 'Kind'), L('对象', 'Ref'), L('描述', 'Detail'), L('说明', 'Explanation')],
        rows: d.findings.map((f) => [
          tr(`drills.findingKinds.${f.kind}`, { defaultValue: f.kind }),
          f.ref,
          f.kind === 'manual'
            ? f.detail
            : tr(`drills.findingDetails.${f.kind}`, { ref: f.ref, defaultValue: f.detail }),
          f.explanation ?? L('（未说明）', '(not explained)'),
        ]),
      },
    },
    {
      title: L('签名', 'Signatures'),
      table: {
        head: [L('签名人', 'Signed by'), L('含义', 'Meaning'), L('时间', 'When'), L('说明', 'Comment')],
        rows: d.signatures.map((s) => [
          s.printedName,
          tr(`meanings.${s.meaning}`, { defaultValue: s.meaning }),
          printedTime(s.signedAt, timeZone, locale),
          s.comment ?? '',
        ]),
      },
    },
  ];
}

/** The pack's heading and title: what it is (a drill or a real recall), its code and root lot, in the pack's language. */
export function evidenceHeading(d: Detail, locale: Locale): { heading: string; title: string } {
  const zh = locale === 'zh-CN';
  const recall = d.drill.mode === 'recall';
  return {
    heading: zh ? (recall ? '召回证据包' : '召回演练证据包') : recall ? 'Recall evidence pack' : 'Recall drill evidence pack',
    title: `${d.drill.code} · ${d.drill.rootLot}`,
  };
}

export function evidenceHtml(
  d: Detail,
  edges: { backward: TraceEdge[]; forward: TraceEdge[] },
  locale: Locale,
  stamp: LedgerStamp,
  timeZone: string,
): string {
  const { heading, title } = evidenceHeading(d, locale);
  return dossierHtml(title, evidenceSections(d, edges, locale, timeZone), locale, stamp, heading);
}

/** The pack's running header and footer (printed in the page margins, never over a row). */
export function evidenceRunning(d: Detail, locale: Locale, stamp: LedgerStamp): { headerHtml: string; footerHtml: string } {
  const { heading, title } = evidenceHeading(d, locale);
  return dossierRunning(title, locale, stamp, heading);
}
