/**
 * The intake capability's front door (issue 21): raw milk intake — panels and sampling levels,
 * the tanker's reception and signed decision, its documents and late failures, the working
 * calendar, legacy appeals, supplier performance — the government spot-check register, and
 * the 第二十八条 authority report. Other capabilities import only from here.
 */
export { IntakeService, type IntakeIdentity } from './intake-service';
export type { IntakeOwners } from './queries';
export { intakeReads, type IntakeReads } from './queries';
export { SpotCheckService } from './spot-checks';
export { AuthorityReports } from './authority-report';
export { I as intakeEntities } from './entities';
