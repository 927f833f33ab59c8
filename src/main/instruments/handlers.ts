import { fail } from '../../shared/contract/errors';
import { actorOf as actor, type HandlersOf } from '../dispatcher/handler-kit';
import type { Ledger } from '../ledger/ledger';
import { listPorts } from './connections';
import { testCapture } from './drivers/print-format';
import { translate } from '../../shared/i18n';
import type { InstrumentsService } from './instruments-service';
import type { Connection } from '../dispatcher/dispatcher';
import { captureAtBench, type BenchLink } from './bench-capture';
import { commandAnswer } from './outcome';

/** What the instrument channels need: the instruments service and the ledger's write path. */
export interface InstrumentsHandlerDeps {
  instruments: InstrumentsService;
  ledger: Pick<Ledger, 'write'>;
  /** The bench's signed-frame queue and how it sends, for this connection (issue 23 §4); null: capture directly. */
  benchLink(conn: Connection): BenchLink | null;
}

export function instrumentsHandlers(use: () => InstrumentsHandlerDeps): HandlersOf<'instruments'> {
  const svc = () => use().instruments;
  return {
    'instruments.list': ({ includeInactive }) => svc().list(includeInactive),
    'instruments.get': ({ id }) => svc().get(id),
    'instruments.save': (i, ctx) => svc().save(actor(ctx), i),
    'instruments.ports': async (_i, ctx) => {
      const r = await listPorts();
      // Listing needs the OS's help (udev on Linux): a clear message, never a crash.
      return {
        ports: r.ports,
        error: r.error
          ? translate(ctx.connection.locale, 'errors.instrument_ports_unavailable', { reason: r.error })
          : null,
      };
    },
    'instruments.connect': ({ id }) => svc().connect(id),
    'instruments.disconnect': ({ id }) => svc().disconnect(id),
    'instruments.command': async ({ id, command }) => {
      const r = svc().row(id);
      try {
        const f = await svc().connections.command(id, command);
        return commandAnswer(f);
      } catch (e) {
        return svc().instrumentFailure(e, r);
      }
    },
    'instruments.terminal.send': async ({ id, text }) => {
      const r = svc().row(id);
      try {
        await svc().connections.send(id, text);
      } catch (e) {
        svc().instrumentFailure(e, r);
      }
      return { ok: true as const };
    },
    'instruments.capture': (i, ctx) => {
      const d = use();
      const link = d.benchLink(ctx.connection);
      // A capture at the bench is a signed frame, queued and sent to the record (D-095–D-096).
      if (link)
        return captureAtBench(
          { captures: d.instruments.captures, registry: d.instruments.registry, hooks: () => d.instruments.hooks },
          link,
          actor(ctx),
          ctx.connection.locale,
          i,
        );
      return svc().capture(actor(ctx), ctx.connection.locale, i);
    },
    'instruments.submitFrame': ({ frame, forward }, ctx) =>
      svc().submitFrame(actor(ctx), ctx.connection.locale, frame, forward),
    'instruments.submitCheckFrame': ({ frame, forward }, ctx) =>
      svc().submitFrame(actor(ctx), ctx.connection.locale, frame, forward, 'check'),
    'instruments.read': ({ id, readingId }, ctx) => svc().read(actor(ctx), ctx.connection.locale, id, readingId),
    'instruments.dailyCheck': ({ id, readings, note }, ctx) => svc().dailyCheck(actor(ctx), id, readings, note),
    'instruments.checkPlan.save': ({ id, points, note, reason }, ctx) =>
      svc().saveCheckPlan(actor(ctx), id, points, note, reason),
    'instruments.impact': ({ eventId }) => svc().impact(eventId),
    'instruments.impact.hold': ({ eventId, lotCodes, reason, signature }, ctx) => {
      if (!ctx.session) fail('not_signed_in');
      return svc().holdImpact(
        ctx.session.userId,
        eventId,
        lotCodes,
        reason,
        signature.password,
        signature.meaning,
        signature.comment,
      );
    },
    'instruments.methods.list': () => svc().rules.methodRules(),
    'instruments.methods.save': (i, ctx) => {
      const d = use();
      return d.ledger.write(actor(ctx), (w) => d.instruments.rules.saveMethodRule(w, i));
    },
    'instruments.calibration': ({ id, ...i }, ctx) => svc().calibration(actor(ctx), id, i),
    'instruments.printConfig.test': ({ config, text }) => testCapture(config, text),
  };
}
