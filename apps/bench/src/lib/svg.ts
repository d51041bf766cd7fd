/**
 * Just enough SVG charting for benchmark results, with no dependency: grouped bar charts and
 * line charts, linear or logarithmic, laid out as panels of one image.
 */
export interface Panel {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Series {
  readonly name: string;
  /** One value per group (bars) or per x (lines); null draws nothing there. */
  readonly values: readonly (number | null)[];
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#b07aa1'];
const FONT = 'font-family="system-ui, sans-serif"';
const MARGIN = { top: 44, right: 12, bottom: 34, left: 58 };

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1234 -> "1.2k", 2500000 -> "2.5M". */
export function short(n: number): string {
  const abs = Math.abs(n);
  const [div, suffix] =
    abs >= 1e9 ? [1e9, 'G'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, ''];
  const v = n / div;
  return `${Number.isInteger(v) ? v : v.toFixed(v < 10 ? 1 : 0)}${suffix}`;
}

interface Scale {
  map(v: number): number;
  readonly ticks: readonly number[];
}

function scale(values: readonly number[], from: number, to: number, log: boolean): Scale {
  const positive = values.filter((v) => v > 0);
  if (log) {
    const lo = positive.length > 0 ? Math.floor(Math.log10(Math.min(...positive))) : 0;
    const hi = Math.max(
      lo + 1,
      positive.length > 0 ? Math.ceil(Math.log10(Math.max(...positive))) : 1,
    );
    const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
    const map = (v: number): number =>
      from + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(1, hi - lo)) * (to - from);
    return { map, ticks };
  }
  const max = Math.max(...values, 0) || 1;
  const rough = max / 5;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * pow >= rough) ?? 10) * pow;
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return { map: (v) => from + (v / top) * (to - from), ticks };
}

function frame(p: Panel, title: string, series: readonly Series[]): string[] {
  const parts = [
    `<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" fill="#fff" stroke="#ddd"/>`,
    `<text x="${p.x + 10}" y="${p.y + 18}" ${FONT} font-size="13" font-weight="600">${esc(title)}</text>`,
  ];
  let lx = p.x + 10;
  series.forEach((s, i) => {
    parts.push(
      `<rect x="${lx}" y="${p.y + 27}" width="10" height="10" fill="${PALETTE[i % PALETTE.length] ?? '#000'}"/>`,
      `<text x="${lx + 14}" y="${p.y + 36}" ${FONT} font-size="10">${esc(s.name)}</text>`,
    );
    lx += 24 + s.name.length * 5.9;
  });
  return parts;
}

function yAxis(p: Panel, y: Scale, label: string): string[] {
  const left = p.x + MARGIN.left;
  const right = p.x + p.width - MARGIN.right;
  return [
    ...y.ticks.flatMap((t) => {
      const ty = y.map(t).toFixed(1);
      return [
        `<line x1="${left}" x2="${right}" y1="${ty}" y2="${ty}" stroke="#eee"/>`,
        `<text x="${left - 4}" y="${ty}" ${FONT} font-size="9" text-anchor="end" dominant-baseline="middle">${short(t)}</text>`,
      ];
    }),
    `<text transform="translate(${p.x + 12},${p.y + p.height / 2 + 10}) rotate(-90)" ${FONT} font-size="10" text-anchor="middle">${esc(label)}</text>`,
  ];
}

/** Grouped bars: one group per label, one bar per series. */
export function barChart(
  p: Panel,
  options: {
    title: string;
    yLabel: string;
    groups: readonly string[];
    series: readonly Series[];
    log: boolean;
  },
): string {
  const values = options.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const bottom = p.y + p.height - MARGIN.bottom;
  const y = scale(values, bottom, p.y + MARGIN.top, options.log);
  const left = p.x + MARGIN.left;
  const groupWidth = (p.width - MARGIN.left - MARGIN.right) / Math.max(1, options.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, options.series.length);
  const parts = [...frame(p, options.title, options.series), ...yAxis(p, y, options.yLabel)];
  options.groups.forEach((group, g) => {
    const gx = left + g * groupWidth;
    parts.push(
      `<text x="${(gx + groupWidth / 2).toFixed(1)}" y="${bottom + 14}" ${FONT} font-size="10" text-anchor="middle">${esc(group)}</text>`,
    );
    options.series.forEach((s, i) => {
      const v = s.values[g];
      if (v === null || v === undefined) return;
      const top = y.map(v);
      parts.push(
        `<rect x="${(gx + groupWidth * 0.1 + i * barWidth).toFixed(1)}" y="${top.toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${Math.max(0, bottom - top).toFixed(1)}" fill="${PALETTE[i % PALETTE.length] ?? '#000'}"><title>${esc(`${s.name}, ${group}: ${short(v)}`)}</title></rect>`,
      );
    });
  });
  parts.push(
    `<line x1="${left}" x2="${p.x + p.width - MARGIN.right}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`,
  );
  return parts.join('\n');
}

/** Lines over numeric x values (log-log when both flags are set). */
export function lineChart(
  p: Panel,
  options: {
    title: string;
    xLabel: string;
    yLabel: string;
    xs: readonly number[];
    series: readonly Series[];
    logX: boolean;
    logY: boolean;
  },
): string {
  const values = options.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const bottom = p.y + p.height - MARGIN.bottom;
  const right = p.x + p.width - MARGIN.right;
  const y = scale(values, bottom, p.y + MARGIN.top, options.logY);
  const x = scale(options.xs, p.x + MARGIN.left + 10, right - 10, options.logX);
  const parts = [...frame(p, options.title, options.series), ...yAxis(p, y, options.yLabel)];
  for (const t of options.xs) {
    parts.push(
      `<text x="${x.map(t).toFixed(1)}" y="${bottom + 14}" ${FONT} font-size="9" text-anchor="middle">${short(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${(p.x + MARGIN.left + right) / 2}" y="${bottom + 28}" ${FONT} font-size="10" text-anchor="middle">${esc(options.xLabel)}</text>`,
    `<line x1="${p.x + MARGIN.left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`,
  );
  options.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#000';
    const points = options.xs
      .map((xv, j) => [xv, s.values[j]] as const)
      .filter((pt): pt is readonly [number, number] => pt[1] !== null && pt[1] !== undefined);
    if (points.length > 1) {
      const d = points
        .map(([xv, yv]) => `${x.map(xv).toFixed(1)},${y.map(yv).toFixed(1)}`)
        .join(' ');
      parts.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const [xv, yv] of points) {
      parts.push(
        `<circle cx="${x.map(xv).toFixed(1)}" cy="${y.map(yv).toFixed(1)}" r="3" fill="${color}"><title>${esc(`${s.name}, n=${short(xv)}: ${short(yv)}`)}</title></circle>`,
      );
    }
  });
  return parts.join('\n');
}

export function svgDocument(
  width: number,
  height: number,
  title: string,
  body: readonly string[],
): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
