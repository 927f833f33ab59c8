/**
 * The recall capability's front door (issue 21): recall drills and real recalls, their
 * findings and evidence, the yearly programme. Other capabilities import only from here.
 */
export { DrillsService } from './drills-service';
