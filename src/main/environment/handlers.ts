import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { EnvService } from './env-service';

/** What the handlers of src/shared/contract/channels/environment.ts need. */
export interface EnvironmentHandlerDeps {
  environment: EnvService;
}

/** The channels of src/shared/contract/channels/environment.ts. */
export function environmentHandlers(use: () => EnvironmentHandlerDeps): HandlersOf<'env'> {
  const env = () => use().environment;
  return {
    'env.alerts.list': ({ status }) => env().list(status),
    'env.alerts.get': ({ code }) => env().get(code),
    'env.alerts.hold': ({ code, lotCodes, reason, signature }, ctx) =>
      env().hold(actorOf(ctx).id, code, lotCodes, reason, signature.password, signature.meaning, signature.comment),
    'env.alerts.close': ({ code, reason, signature }, ctx) =>
      env().close(actorOf(ctx).id, code, reason, signature.password, signature.meaning, signature.comment),
    'env.heatmap': ({ from, to, zone }) => env().heatmap(from, to, zone),
  };
}
