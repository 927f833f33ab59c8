import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import { signatureView } from '../identity';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Actor } from '../ledger/ledger';
import { chartKey } from './charts';

type ResultHandlers = Pick<
  HandlerTable,
  Extract<
    keyof HandlerTable,
    `results.${string}` | `oos.${string}` | `methods.${string}` | `trends.${string}` | `qc.${string}`
  >
>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

export function resultsHandlers(core: AppCore): ResultHandlers {
  const results = () => core.need().results;
  return {
    'results.forSample': ({ sampleCode }) => results().forSample(sampleCode),
    'results.worklist': (i) => results().worklist(i),
    'results.get': ({ id }) => {
      const g = results().get(id);
      return { ...g, signatures: g.signatures.map(signatureView) };
    },
    'results.enter': ({ id, ...i }, ctx) => results().enter(actor(ctx), id, i),
    'results.enterMany': ({ entries, verdictChangeReason }, ctx) =>
      results().enterMany(actor(ctx), entries, verdictChangeReason),
    'results.correct': ({ id, reason, ...i }, ctx) => results().correct(actor(ctx), id, i, reason),
    'results.assign': ({ ids, assignedTo, instrumentId }, ctx) =>
      results().assign(actor(ctx), ids, assignedTo, instrumentId),
    'results.plan': ({ sampleCode }, ctx) => results().plan(actor(ctx), sampleCode),
    'results.addTest': ({ sampleCode, itemCode, reason }, ctx) =>
      results().addTest(actor(ctx), sampleCode, itemCode, reason),
    'results.submit': ({ sampleCode, ids, expectedRevs, signature }, ctx) =>
      results().submit(
        actor(ctx).id,
        sampleCode,
        ids,
        signature.password,
        signature.meaning,
        signature.comment,
        expectedRevs,
      ),
    'results.review': ({ ids, decision, reason, expectedRevs, signature }, ctx) =>
      results().review(
        actor(ctx).id,
        ids,
        decision,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
        expectedRevs,
      ),
    'results.reviewQueue': ({ offset, limit }, ctx) => results().reviewQueue(actor(ctx).id, offset, limit),
    'results.attach': ({ id, fileName, mediaType, base64, note }, ctx) =>
      results().attach(actor(ctx), id, fileName, mediaType, base64, note),
    'results.attachment': ({ attachmentId }) => results().attachment(attachmentId),
    'results.completeness': ({ lotCode }) => results().completeness(lotCode),
    'oos.list': (i) => results().oosList(i),
    'oos.get': ({ code }) => {
      const g = results().oosGet(code);
      return { ...g, signatures: g.signatures.map(signatureView) };
    },
    'oos.phase1': ({ code, checklist, summary, signature }, ctx) =>
      results().phase1(
        actor(ctx).id,
        code,
        checklist,
        summary,
        signature.password,
        signature.meaning,
        signature.comment,
      ),
    'oos.conclude': ({ code, outcome, conclusion, signature }, ctx) =>
      results().conclude(
        actor(ctx).id,
        code,
        outcome,
        conclusion,
        signature.password,
        signature.meaning,
        signature.comment,
      ),
    'methods.rules.list': () => results().methodRules(),
    'methods.rules.save': (i, ctx) => results().saveMethodRule(actor(ctx), i),
    'results.microStart': ({ ids, startedAt }, ctx) => results().microStart(actor(ctx), ids, startedAt),
    'results.microConfirm': ({ id, unit, outcome, evidence }, ctx) =>
      results().microConfirm(actor(ctx), id, unit, outcome, evidence),
    'results.microHolds': (i) => results().microHolds(i),
    'results.microHoldReview': ({ id, note, signature }, ctx) =>
      results().microHoldReview(actor(ctx).id, id, note, signature.password, signature.meaning),
    'results.microStatus': ({ lotCode }) => results().microStatus(lotCode),
    'trends.items': ({ productCode }) => results().trendItems(productCode),
    'trends.baselines': ({ chart }) => results().charts.baselines(chartKey(chart)),
    'trends.baselineCreate': ({ chart, from, to, note, signature }, ctx) =>
      results().charts.createBaseline(actor(ctx).id, chart, from, to, note, signature.password, signature.meaning),
    'qc.materials': () => results().charts.materials(),
    'qc.materialSave': (i, ctx) => results().charts.saveMaterial(actor(ctx), i),
    'qc.record': (i, ctx) => results().charts.recordQc(actor(ctx), i),
    'qc.charts': () => results().charts.qcCharts(),
    'qc.series': (i) => results().qcSeries(i),
    'trends.verdictChanges': ({ from, to }) => results().verdictChangeFigure(from, to),
    'trends.series': (i) => results().trendSeries(i),
  };
}
