import { describe, expect, it } from 'vitest';
import { leaksIn } from '../e2e/sweep-words';

/** The sweep's own rules: what a Chinese screen may show in Latin letters, and what fails it. */
describe('language sweep word rules', () => {
  it('lets through codes, units, standards, method abbreviations and what the test typed', () => {
    const text =
      '批次 IF1-2612-001 蛋白质 11.83 g/100 g（限量 0.43–0.72 g/100 kJ）依据 GB 10765-2021、GB/T 8170、GB 5009.5 ' +
      '铅 Pb 0.02 mg/kg ICP-MS 维生素 A 维生素 B12 n=5 c=0 m=0 未检出 ND <10 CFU/g 用户 sun.li pH 6.7 ' +
      '2026-12-05 20:10 北京时间 (UTC+08:00)';
    expect(leaksIn(text, ['sun.li'])).toEqual([]);
  });

  it('fails on English words, raw UUIDs and epoch milliseconds, naming the word', () => {
    const leaks = leaksIn(
      '结果 absent 原因：password changed by its owner 实体 3f1c2a9e-1b2c-4d5e-8f90-1234567890ab 时间 1764964800000',
      [],
    );
    expect(leaks.filter((l) => l.kind === 'latin').map((l) => l.word)).toEqual(['absent', 'password', 'changed', 'by', 'its', 'owner']);
    expect(leaks.find((l) => l.kind === 'uuid')?.word).toBe('3f1c2a9e-1b2c-4d5e-8f90-1234567890ab');
    expect(leaks.find((l) => l.kind === 'epoch')?.word).toBe('1764964800000');
    expect(leaks.find((l) => l.word === 'absent')?.context).toContain('结果 absent');
  });

  it('reads a snake_case table name or status transition as a leak', () => {
    expect(leaksIn('recall_drill status: on_hold → released', []).map((l) => l.word)).toEqual([
      'recall_drill',
      'status',
      'on_hold',
      'released',
    ]);
  });
});
