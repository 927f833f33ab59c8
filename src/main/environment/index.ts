/**
 * The environment capability's front door (issue 21): environmental monitoring alerts raised
 * by positive swabs, their lots at risk, the signed hold and closure, and the heat map. Other
 * capabilities import only from here.
 */
export { EnvService, DEFAULT_NEGATIVE_SWABS } from './env-service';
export type { EnvironmentOwners } from './queries';
export { EV as environmentEntities } from './entities';
