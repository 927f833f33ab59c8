import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { ReleaseEvidenceService } from './release-evidence-service';

/** What the label-value and retention channels need: the release-evidence service alone. */
export interface ReleaseEvidenceHandlerDeps {
  evidence: ReleaseEvidenceService;
}

/** The handlers of src/shared/contract/channels/release-evidence.ts. */
export function releaseEvidenceHandlers(use: () => ReleaseEvidenceHandlerDeps): HandlersOf<'labels' | 'retention'> {
  return {
    'labels.list': ({ productCode }) => use().evidence.labels(productCode),
    'labels.save': (i, ctx) => use().evidence.saveLabel(actorOf(ctx), i),
    'labels.retire': ({ id, reason }, ctx) => use().evidence.retireLabel(actorOf(ctx), id, reason),
    'labels.confirmRule': ({ id, reference }, ctx) => use().evidence.confirmRule(actorOf(ctx), id, reference),
    'labels.compare': ({ lotCode }) => use().evidence.compare(lotCode),
    'retention.profile.get': ({ productCode }) => use().evidence.profile(productCode),
    'retention.profile.save': (i, ctx) => use().evidence.saveProfile(actorOf(ctx), i),
    'retention.detail': ({ code }) => use().evidence.detail(code),
    'retention.withdraw': ({ code, ...i }, ctx) => use().evidence.withdraw(actorOf(ctx), code, i),
    'retention.observe': ({ code, ...i }, ctx) => use().evidence.observe(actorOf(ctx), code, i),
    'retention.observations.due': ({ withinDays }) => use().evidence.observationsDue(withinDays),
  };
}
