import { describe, expect, it } from 'vitest';
import { checkTarget, pairLatencies, ratio, summariseLatencies } from './latency';

describe('pairLatencies', () => {
  it('pairs the i-th appearance with the i-th keydown', () => {
    expect(pairLatencies([100, 200, 300], [112, 215])).toEqual([12, 15]);
  });

  it('refuses appearances a keystroke cannot have caused', () => {
    expect(() => pairLatencies([100, 200], [90])).toThrow(/before its keydown/);
    expect(() => pairLatencies([100], [110, 120])).toThrow(/2 characters appeared for 1/);
  });
});

describe('summariseLatencies', () => {
  it('takes nearest-rank percentiles and counts what never appeared', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summariseLatencies(latencies, 104)).toEqual({
      keystrokes: 104,
      missing: 4,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });
  });

  it('reports nothing rather than zero when nothing appeared', () => {
    expect(summariseLatencies([], 5)).toEqual({
      keystrokes: 5,
      missing: 5,
      p50: null,
      p95: null,
      p99: null,
      max: null,
    });
  });
});

describe('ratio and targets', () => {
  it('divides Weft by the floor, and declines without a floor', () => {
    expect(ratio(22, 11)).toBe(2);
    expect(ratio(22, 0)).toBeNull();
    expect(ratio(null, 11)).toBeNull();
  });

  it('meets a target at or under its limit, and says when it was not measured', () => {
    expect(checkTarget('p50', 1.1, 1.1).met).toBe(true);
    expect(checkTarget('p50', 1.11, 1.1).met).toBe(false);
    expect(checkTarget('p50', null, 1.1).met).toBeNull();
  });
});
