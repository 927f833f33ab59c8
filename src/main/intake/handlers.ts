import { readFileSync } from 'node:fs';
import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Actor } from '../ledger/ledger';
import { authorityReportHtml } from './report';
import type { Locale } from '../../shared/i18n';

type IntakeHandlers = Pick<
  HandlerTable,
  Extract<
    keyof HandlerTable,
    | `intake.${string}`
    | `appeals.${string}`
    | `spotChecks.${string}`
    | `calendar.${string}`
    | `suppliers.${string}`
    | `env.${string}`
    | `labels.${string}`
    | `retention.${string}`
  >
>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

/**
 * Prints (or reprints) the 第二十八条 authority report and records it: for a tanker rejected on
 * a national item, or accepted and then failed by a retrospective national item (late failure).
 */
export async function printAuthorityReport(core: AppCore, who: Actor, lotCode: string, locale: Locale) {
  const svc = core.need();
  const intake = svc.intake.mustReportable(lotCode);
  const detail = svc.intake.detail(lotCode);
  const late = intake['status'] === 'accepted' ? svc.intake.lateFailure(lotCode) : null;
  const doc = await svc.documents.generate(who, {
    kind: 'authority_report',
    subject: { entity: 'raw_milk_intake', id: intake.id },
    locale,
    html: (stamp) => authorityReportHtml(detail, locale, stamp, late),
    size: { pageWidthMm: 210, pageHeightMm: 297, marginsMm: 0 },
    fileName: `authority-report-${lotCode}`,
  });
  svc.intake.setReport(who, lotCode, doc.id);
  return doc;
}

export function intakeHandlers(core: AppCore): IntakeHandlers {
  const intake = () => core.need().intake;
  const env = () => core.need().env;
  const spot = () => core.need().spotChecks;
  const evidence = () => core.need().evidenceOfRelease;
  return {
    'intake.list': (i) => intake().list(i),
    'intake.get': ({ lotCode }) => intake().detail(lotCode),
    'intake.start': ({ lotCode, declarations, samplingPoint, note, documents }, ctx) =>
      intake().start(actor(ctx), lotCode, declarations, samplingPoint, note, documents),
    'intake.documents.save': ({ lotCode, documents, reason }, ctx) =>
      intake().saveDocuments(actor(ctx), lotCode, documents, reason),
    'intake.documents.override': ({ lotCode, signerId, reason, signature }, ctx) => {
      actor(ctx);
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
        actor(ctx).id,
        lotCode,
        lotCodes,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
      ),
    'intake.decide': async ({ lotCode, decision, reason, signature }, ctx) => {
      const who = actor(ctx);
      const d = await intake().decide(
        who.id,
        lotCode,
        decision,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
      );
      // The 第二十八条 report only for milk that failed the national standard.
      if (decision === 'reject' && d.reportRequired && core.need().documents.canPrint) {
        // The report is made at once; if printing fails the rejection stands and the
        // report is printed from the intake page (intake.report).
        try {
          await printAuthorityReport(core, who, lotCode, ctx.connection.locale);
          return intake().detail(lotCode);
        } catch {
          return d;
        }
      }
      return d;
    },
    'intake.report': async ({ lotCode, locale }, ctx) => {
      const doc = await printAuthorityReport(core, actor(ctx), lotCode, locale);
      return {
        documentId: doc.id,
        fileName: doc.fileName,
        base64: readFileSync(doc.file).toString('base64'),
        sha256: doc.sha256,
        reprint: doc.reprint,
      };
    },
    'intake.panels.list': () => intake().panels(),
    'intake.panels.save': (i, ctx) => intake().savePanel(actor(ctx), i),
    'appeals.list': (i) => intake().appeals(i),
    'appeals.carryForward': (i, ctx) => spot().carryForward(actor(ctx), i),
    'appeals.retire': ({ id, reason }, ctx) => intake().retireAppeal(actor(ctx), id, reason),
    'spotChecks.list': (i) => spot().list(i),
    'spotChecks.get': ({ code }) => spot().get(code),
    'spotChecks.create': (i, ctx) => spot().create(actor(ctx), i),
    'spotChecks.update': (i, ctx) => spot().update(actor(ctx), i),
    'spotChecks.retestSample': (i, ctx) => spot().retestSample(actor(ctx), i),
    'labels.list': ({ productCode }) => evidence().labels(productCode),
    'labels.save': (i, ctx) => evidence().saveLabel(actor(ctx), i),
    'labels.retire': ({ id, reason }, ctx) => evidence().retireLabel(actor(ctx), id, reason),
    'labels.confirmRule': ({ id, reference }, ctx) => evidence().confirmRule(actor(ctx), id, reference),
    'labels.compare': ({ lotCode }) => evidence().compare(lotCode),
    'retention.profile.get': ({ productCode }) => evidence().profile(productCode),
    'retention.profile.save': (i, ctx) => evidence().saveProfile(actor(ctx), i),
    'retention.detail': ({ code }) => evidence().detail(code),
    'retention.withdraw': ({ code, ...i }, ctx) => evidence().withdraw(actor(ctx), code, i),
    'retention.observe': ({ code, ...i }, ctx) => evidence().observe(actor(ctx), code, i),
    'retention.observations.due': ({ withinDays }) => evidence().observationsDue(withinDays),
    'calendar.list': ({ year }) => intake().calendarList(year),
    'calendar.save': ({ date, kind, name, reason }, ctx) =>
      intake().saveCalendarDay(actor(ctx), date, kind, name, reason),
    'suppliers.sampling': ({ supplierCode }) => intake().samplingHistory(supplierCode),
    'suppliers.sampling.configure': ({ supplierCode, passesRequired, reason }, ctx) =>
      intake().configureSampling(actor(ctx), supplierCode, passesRequired, reason),
    'suppliers.performance': ({ from, to, supplierCode }) => intake().performance(from, to, supplierCode),
    'env.alerts.list': ({ status }) => env().list(status),
    'env.alerts.get': ({ code }) => env().get(code),
    'env.alerts.hold': ({ code, lotCodes, reason, signature }, ctx) =>
      env().hold(actor(ctx).id, code, lotCodes, reason, signature.password, signature.meaning, signature.comment),
    'env.alerts.close': ({ code, reason, signature }, ctx) =>
      env().close(actor(ctx).id, code, reason, signature.password, signature.meaning, signature.comment),
    'env.heatmap': ({ from, to, zone }) => env().heatmap(from, to, zone),
  };
}
