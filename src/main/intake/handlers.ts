import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { AuthorityReports } from './authority-report';
import type { IntakeService } from './intake-service';
import type { SpotCheckService } from './spot-checks';

/** What the handlers of src/shared/contract/channels/intake.ts need. */
export interface IntakeHandlerDeps {
  intake: IntakeService;
  spotChecks: SpotCheckService;
  /** The 第二十八条 report (prints through the documents capability). */
  reports: AuthorityReports;
}

/** The channels of src/shared/contract/channels/intake.ts. */
export function intakeHandlers(
  use: () => IntakeHandlerDeps,
): HandlersOf<'intake' | 'appeals' | 'spotChecks' | 'calendar' | 'suppliers'> {
  const intake = () => use().intake;
  const spot = () => use().spotChecks;
  return {
    'intake.list': (i) => intake().list(i),
    'intake.get': ({ lotCode }) => intake().detail(lotCode),
    'intake.start': ({ lotCode, declarations, samplingPoint, note, documents }, ctx) =>
      intake().start(actorOf(ctx), lotCode, declarations, samplingPoint, note, documents),
    'intake.documents.save': ({ lotCode, documents, reason }, ctx) =>
      intake().saveDocuments(actorOf(ctx), lotCode, documents, reason),
    'intake.documents.override': ({ lotCode, signerId, reason, signature }, ctx) => {
      actorOf(ctx);
      return intake().overrideDocuments(
        signerId,
        lotCode,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
      );
    },
    'intake.lateFailures.list': ({ status }) => intake().lateFailures({ status }),
    'intake.lateFailures.get': ({ lotCode }) => intake().lateFailure(lotCode),
    'intake.lateFailures.hold': ({ lotCode, lotCodes, reason, signature }, ctx) =>
      intake().holdLateFailure(
        actorOf(ctx).id,
        lotCode,
        lotCodes,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
      ),
    'intake.decide': ({ lotCode, decision, reason, signature }, ctx) =>
      use().reports.decide(actorOf(ctx), lotCode, decision, reason, signature, ctx.connection.locale),
    'intake.report': ({ lotCode, locale }, ctx) => use().reports.download(actorOf(ctx), lotCode, locale),
    'intake.panels.list': () => intake().panels(),
    'intake.panels.save': (i, ctx) => intake().savePanel(actorOf(ctx), i),
    'appeals.list': (i) => intake().appeals(i),
    'appeals.carryForward': (i, ctx) => spot().carryForward(actorOf(ctx), i),
    'appeals.retire': ({ id, reason }, ctx) => intake().retireAppeal(actorOf(ctx), id, reason),
    'spotChecks.list': (i) => spot().list(i),
    'spotChecks.get': ({ code }) => spot().get(code),
    'spotChecks.create': (i, ctx) => spot().create(actorOf(ctx), i),
    'spotChecks.update': (i, ctx) => spot().update(actorOf(ctx), i),
    'spotChecks.retestSample': (i, ctx) => spot().retestSample(actorOf(ctx), i),
    'calendar.list': ({ year }) => intake().calendarList(year),
    'calendar.save': ({ date, kind, name, reason }, ctx) =>
      intake().saveCalendarDay(actorOf(ctx), date, kind, name, reason),
    'suppliers.sampling': ({ supplierCode }) => intake().samplingHistory(supplierCode),
    'suppliers.sampling.configure': ({ supplierCode, passesRequired, reason }, ctx) =>
      intake().configureSampling(actorOf(ctx), supplierCode, passesRequired, reason),
    'suppliers.performance': ({ from, to, supplierCode }) => intake().performance(from, to, supplierCode),
  };
}
