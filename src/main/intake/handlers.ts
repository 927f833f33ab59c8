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
    `intake.${string}` | `appeals.${string}` | `calendar.${string}` | `suppliers.${string}` | `env.${string}`
  >
>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

/** Prints (or reprints) the 第二十八条 authority report of a rejected tanker and records it. */
export async function printAuthorityReport(core: AppCore, who: Actor, lotCode: string, locale: Locale) {
  const svc = core.need();
  const intake = svc.intake.mustRejected(lotCode);
  const detail = svc.intake.detail(lotCode);
  const doc = await svc.documents.generate(who, {
    kind: 'authority_report',
    subject: { entity: 'raw_milk_intake', id: intake.id },
    locale,
    html: (stamp) => authorityReportHtml(detail, locale, stamp),
    size: { pageWidthMm: 210, pageHeightMm: 297, marginsMm: 0 },
    fileName: `authority-report-${lotCode}`,
  });
  svc.intake.setReport(who, lotCode, doc.id);
  return doc;
}

export function intakeHandlers(core: AppCore): IntakeHandlers {
  const intake = () => core.need().intake;
  const env = () => core.need().env;
  return {
    'intake.list': (i) => intake().list(i),
    'intake.get': ({ lotCode }) => intake().detail(lotCode),
    'intake.start': ({ lotCode, declarations, samplingPoint, note }, ctx) =>
      intake().start(actor(ctx), lotCode, declarations, samplingPoint, note),
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
      if (decision === 'reject' && core.need().documents.canPrint) {
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
    'appeals.create': (i, ctx) => intake().createAppeal(actor(ctx), i),
    'appeals.update': (i, ctx) => intake().updateAppeal(actor(ctx), i),
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
