/**
 * Pure rules shared by every host (Electron main, renderer, CLI, harness, tests): GB/T 8170
 * rounding and limit comparison, sampling plans, basis conversion and formulas on decimal
 * strings. No Node, DOM or Electron (eslint.config.mjs, src/shared).
 */
export * from './result';
export * from './decimal';
export * from './rounding';
export * from './limits';
export * from './basis';
export * from './formula';
export * from './control-chart';
export * from './reporting';
export * from './entry';
export * from './micro';

import { basisErrorCodes } from './basis';
import { decimalErrorCodes } from './decimal';
import { formulaErrorCodes, formulaEvalErrorCodes, formulaSetErrorCodes } from './formula';
import { verdictReasons } from './limits';
import { roundingErrorCodes } from './rounding';
import { reportingErrorCodes } from './reporting';
import { testingReasons } from './testing';

/**
 * Every i18n key the rules can return (error messageKeys and verdict reasons), so the
 * message catalogues (src/shared/i18n) can be checked for completeness.
 */
export const rulesMessageKeys: readonly string[] = [
  ...decimalErrorCodes.map((c) => `decimal.${c}`),
  ...roundingErrorCodes.map((c) => `rounding.${c}`),
  ...reportingErrorCodes.map((c) => `reporting.${c}`),
  ...basisErrorCodes.map((c) => `basis.${c}`),
  ...formulaErrorCodes.map((c) => `formula.${c}`),
  ...formulaEvalErrorCodes.map((c) => `formula.${c}`),
  ...formulaSetErrorCodes.map((c) => `formula.set.${c}`),
  ...verdictReasons,
  ...testingReasons,
];
export * from './testing';
export * from './working-days';
