import type { SignatureView } from '../../shared/contract/common';
import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { IdentityService } from '../identity';
import { chartKey } from './charts';
import type { TestingService } from './testing-service';

type SignatureRow = ReturnType<IdentityService['signaturesFor']>[number];

/** What the testing handlers need: the testing service and how a signature is shown. */
export interface TestingHandlerDeps {
  testing: TestingService;
  signatureView(row: SignatureRow): SignatureView;
}

/** The handlers of src/shared/contract/channels/testing.ts (results, OOS, methods, trends, QC). */
export function testingHandlers(
  use: () => TestingHandlerDeps,
): HandlersOf<'results' | 'oos' | 'methods' | 'trends' | 'qc'> {
  const t = () => use().testing;
  return {
    'results.forSample': ({ sampleCode }) => t().reading.forSample(sampleCode),
    'results.worklist': (i) => t().reading.worklist(i),
    'results.get': ({ id }) => {
      const { signatureView } = use();
      const g = t().reading.get(id);
      return { ...g, signatures: g.signatures.map(signatureView) };
    },
    'results.enter': ({ id, ...i }, ctx) => t().entry.enter(actorOf(ctx), id, i),
    'results.enterMany': ({ entries, verdictChangeReason }, ctx) =>
      t().entry.enterMany(actorOf(ctx), entries, verdictChangeReason),
    'results.correct': ({ id, reason, ...i }, ctx) => t().entry.correct(actorOf(ctx), id, i, reason),
    'results.assign': ({ ids, assignedTo, instrumentId }, ctx) =>
      t().plan.assign(actorOf(ctx), ids, assignedTo, instrumentId),
    'results.plan': ({ sampleCode }, ctx) => t().plan.plan(actorOf(ctx), sampleCode),
    'results.addTest': ({ sampleCode, itemCode, reason }, ctx) =>
      t().plan.addTest(actorOf(ctx), sampleCode, itemCode, reason),
    'results.submit': ({ sampleCode, ids, expectedRevs, signature }, ctx) =>
      t().review.submit(
        actorOf(ctx).id,
        sampleCode,
        ids,
        signature.password,
        signature.meaning,
        signature.comment,
        expectedRevs,
      ),
    'results.review': ({ ids, decision, reason, expectedRevs, signature }, ctx) =>
      t().review.review(
        actorOf(ctx).id,
        ids,
        decision,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
        expectedRevs,
      ),
    'results.reviewQueue': ({ offset, limit }, ctx) => t().review.reviewQueue(actorOf(ctx).id, offset, limit),
    'results.attach': ({ id, fileName, mediaType, base64, note }, ctx) =>
      t().attachments.attach(actorOf(ctx), id, fileName, mediaType, base64, note),
    'results.attachment': ({ attachmentId }) => t().attachments.attachment(attachmentId),
    'results.completeness': ({ lotCode }) => t().completeness(lotCode),
    'oos.list': (i) => t().oos.oosList(i),
    'oos.get': ({ code }) => {
      const { signatureView } = use();
      const g = t().oos.oosGet(code);
      return { ...g, signatures: g.signatures.map(signatureView) };
    },
    'oos.phase1': ({ code, checklist, summary, signature }, ctx) =>
      t().oos.phase1(
        actorOf(ctx).id,
        code,
        checklist,
        summary,
        signature.password,
        signature.meaning,
        signature.comment,
      ),
    'oos.conclude': ({ code, outcome, conclusion, signature }, ctx) =>
      t().oos.conclude(
        actorOf(ctx).id,
        code,
        outcome,
        conclusion,
        signature.password,
        signature.meaning,
        signature.comment,
      ),
    'methods.rules.list': () => t().methods.methodRules(),
    'methods.rules.save': (i, ctx) => t().methods.saveMethodRule(actorOf(ctx), i),
    'results.microStart': ({ ids, startedAt }, ctx) => t().microSteps.microStart(actorOf(ctx), ids, startedAt),
    'results.microConfirm': ({ id, unit, outcome, evidence }, ctx) =>
      t().microSteps.microConfirm(actorOf(ctx), id, unit, outcome, evidence),
    'results.microHolds': (i) => t().microSteps.microHolds(i),
    'results.microHoldReview': ({ id, note, signature }, ctx) =>
      t().microSteps.microHoldReview(actorOf(ctx).id, id, note, signature.password, signature.meaning),
    'results.microStatus': ({ lotCode }) => t().microSteps.microStatus(lotCode),
    'trends.items': ({ productCode }) => t().trends.trendItems(productCode),
    'trends.baselines': ({ chart }) => t().charts.baselines(chartKey(chart)),
    'trends.baselineCreate': ({ chart, from, to, note, signature }, ctx) =>
      t().charts.createBaseline(actorOf(ctx).id, chart, from, to, note, signature.password, signature.meaning),
    'qc.materials': () => t().charts.materials(),
    'qc.materialSave': (i, ctx) => t().charts.saveMaterial(actorOf(ctx), i),
    'qc.record': (i, ctx) => t().charts.recordQc(actorOf(ctx), i),
    'qc.charts': () => t().charts.qcCharts(),
    'qc.series': (i) => t().trends.qcSeries(i),
    'trends.verdictChanges': ({ from, to }) => t().trends.verdictChangeFigure(from, to),
    'trends.series': (i) => t().trends.trendSeries(i),
  };
}
