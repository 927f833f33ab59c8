/** Moved to src/shared/domain/zoned-time.ts (screens and documents share it, issue 18 §7). */
export { signatureTime, zonedTime } from '../../shared/domain/zoned-time';
