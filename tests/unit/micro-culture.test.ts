import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cultureProblem, MICRO_METHODS } from '../../src/shared/rules/micro';

/** D-111: a micro value counts only once its culture's incubation is on record, never typed before it. */
describe('cultureProblem (D-111)', () => {
  it('a GB 4789 result needs its incubation start on record, and a value typed no earlier', () => {
    expect(cultureProblem('GB 4789.4', null, null)).toBe('culture_not_started');
    expect(cultureProblem('GB 4789.4-2024', null, 1_000)).toBe('culture_not_started');
    expect(cultureProblem('GB 4789.40', 2_000, 1_000)).toBe('typed_before_start');
    expect(cultureProblem('GB 4789.41', 1_000, 1_000)).toBeNull();
    expect(cultureProblem('GB 4789.2', 1_000, null)).toBeNull();
  });

  it('items without a GB 4789 timetable are not covered', () => {
    expect(cultureProblem('GB 5009.5', null, 1_000)).toBeNull();
    expect(cultureProblem(null, null, 1_000)).toBeNull();
    expect(cultureProblem('QS-coliforms', null, 1_000)).toBeNull();
  });

  it('for every method and time: valid exactly when started at or before the value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MICRO_METHODS.map((m) => m.code)),
        fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null }),
        fc.integer({ min: 0, max: 1e12 }),
        (method, started, entered) => {
          const p = cultureProblem(method, started, entered);
          expect(p === null).toBe(started !== null && started <= entered);
        },
      ),
    );
  });
});
