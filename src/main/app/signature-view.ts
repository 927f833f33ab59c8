/** Moved to the identity capability (issue 21): import `signatureView` from `../identity`. */
export { signatureView } from '../identity/signature-view';
