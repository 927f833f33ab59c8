/**
 * The samples capability's front door (issue 21): samples from registration to disposal,
 * custody, retention samples and sampling sites. Other capabilities import only from here.
 */
export {
  SamplesService,
  DEFAULT_RETENTION_MARGIN_DAYS,
  addDays,
  defaultSampleCodePatterns,
  type SampleDetail,
  type SamplesDeps,
  type SamplesOptions,
  type ReceiptInput,
  type RegisterInput,
} from './samples-service';
export { asSample, asSchedule, sampleReads, type SampleReads, type SampleRow, type SiteFacts, type RetentionSampleFacts, type LotSampleRow } from './queries';
export { S } from './entities';
