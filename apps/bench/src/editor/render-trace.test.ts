import { describe, expect, it } from 'vitest';
import { rendererMainThread, summariseTrace, type TraceEvent } from './render-trace';

const BROWSER = 1;
const TYPIST = 10;
const WATCHER = 20;
const OTHER = 30;

const thread = (pid: number, tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  ts: 0,
  args: { name },
});
const x = (
  pid: number,
  tid: number,
  name: string,
  ts: number,
  dur: number,
  args?: TraceEvent['args'],
): TraceEvent => ({ name, ph: 'X', pid, tid, ts, dur, ...(args ? { args } : {}) });
const keydown = (pid: number, tid: number, ts: number): TraceEvent =>
  x(pid, tid, 'EventDispatch', ts, 500, { data: { type: 'keydown' } });

/** Three keystrokes in the typist's renderer, their arrival in the watcher's, another page idle. */
function trace(): TraceEvent[] {
  return [
    thread(BROWSER, 2, 'CrBrowserMain'),
    thread(TYPIST, 11, 'CrRendererMain'),
    thread(TYPIST, 12, 'Compositor'),
    thread(WATCHER, 21, 'CrRendererMain'),
    thread(OTHER, 31, 'CrRendererMain'),
    x(BROWSER, 2, 'TracingStartedInBrowser', 0, 0, {
      data: { frames: [{ frame: 'TYPIST-FRAME', processId: TYPIST }] },
    }),
    // The typist: a task per keydown of 4, 8 and 6 ms.
    ...[1000, 101_000, 201_000].flatMap((ts, i) => [
      x(TYPIST, 11, 'RunTask', ts, [4000, 8000, 6000][i] ?? 0),
      keydown(TYPIST, 11, ts + 100),
      x(TYPIST, 11, 'EventDispatch', ts + 700, 100, { data: { type: 'keypress' } }),
      x(TYPIST, 11, 'UpdateLayoutTree', ts + 1000, 200, { elementCount: 3 }),
      x(TYPIST, 11, 'Layout', ts + 1300, 200, { beginData: {} }),
      x(TYPIST, 11, 'Commit', ts + 30_000, 100),
      x(TYPIST, 12, 'Commit', ts + 30_100, 100), // not the main thread
    ]),
    // A fourth frame with a forced layout and a restyle of 9 elements.
    x(TYPIST, 11, 'UpdateLayoutTree', 250_000, 300, { elementCount: 9 }),
    x(TYPIST, 11, 'Layout', 250_400, 300, {
      beginData: { stackTrace: [{ functionName: 'measure' }] },
    }),
    x(TYPIST, 11, 'Commit', 260_000, 100),
    // The watcher, not in the browser's frame list: named by its compositor frames.
    ...[40_000, 140_000, 240_000].flatMap((ts) => [
      x(WATCHER, 21, 'FunctionCall', ts, 2000),
      x(WATCHER, 21, 'Layout', ts + 2100, 300, { beginData: { stackTrace: [] } }),
      x(WATCHER, 21, 'BeginCommitCompositorFrame', ts + 2500, 50, { frame: 'WATCHER-FRAME' }),
      x(WATCHER, 21, 'Commit', ts + 2500, 100),
    ]),
    // Another page, busier with script than the watcher.
    ...[0, 1, 2, 3, 4, 5].map((i) =>
      x(OTHER, 31, 'FunctionCall', i * 40_000, 1000, { data: { frame: 'OTHER-FRAME' } }),
    ),
  ];
}

describe('summariseTrace', () => {
  it("counts the typist's frames, layouts, restyles and keydown tasks on its main thread", () => {
    expect(summariseTrace(trace(), 'TYPIST-FRAME', 'typist', 3)).toEqual({
      keystrokes: 3,
      frames: 4 / 3,
      layouts: 4 / 3,
      forcedLayouts: 1 / 3,
      styleRecalcs: 4 / 3,
      elementsRestyled: 18 / 3,
      keydownTaskP50: 6,
      thread: 'frame',
    });
  });

  it("finds the watcher's renderer by the frame its events name", () => {
    expect(rendererMainThread(trace(), 'WATCHER-FRAME')).toBe(`${WATCHER}:21`);
    expect(summariseTrace(trace(), 'WATCHER-FRAME', 'watcher', 3)).toEqual({
      keystrokes: 3,
      frames: 1,
      layouts: 1,
      forcedLayouts: 1,
      styleRecalcs: 0,
      elementsRestyled: 0,
      keydownTaskP50: null,
      thread: 'frame',
    });
  });

  it('guesses when no event names the frame: the typist by its keypresses', () => {
    const counts = summariseTrace(trace(), 'GONE', 'typist', 3);
    expect(counts?.thread).toBe('guess');
    expect(counts?.keydownTaskP50).toBe(6);
    expect(rendererMainThread(trace(), 'GONE')).toBeNull();
  });
});
