/**
 * The identity service and its vocabulary, at the path they had before the split (issue 21).
 * Other capabilities import them from the front door, `../identity`.
 */
export * from './model';
export { IdentityService } from './accounts';
