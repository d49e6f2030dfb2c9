// charts.js — two small hand-drawn SVG charts: parks open by year against
// the target (20 by 2020), and new-land quota used against quota available
// per town. No chart library: a few rectangles, lines and labels.

const ns = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(ns, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** seriesColors: scenario A and scenario B in every chart and table. */
export const seriesColors = ['#2b6cb0', '#dd6b20'];

// niceScale returns [max, ticks] for an axis from 0 to at least v: ticks
// of a round step (1, 2, 2.5 or 5 × 10^k), about five of them.
function niceScale(v) {
  if (!(v > 0)) return [1, 1];
  const raw = v / 5;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const ticks = Math.max(1, Math.ceil(v / step - 1e-9));
  return [step * ticks, ticks];
}

function axisY(svg, x, y0, y1, max, ticks) {
  svg.appendChild(el('line', { x1: x, y1: y0, x2: x, y2: y1, stroke: '#999' }));
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks;
    const y = y0 - ((y0 - y1) * i) / ticks;
    svg.appendChild(el('line', { x1: x - 3, y1: y, x2: x, y2: y, stroke: '#999' }));
    svg.appendChild(el('text', { x: x - 5, y: y + 3, 'text-anchor': 'end', 'font-size': 10 }, fmtShort(v)));
  }
}

function fmtShort(v) {
  if (v >= 10000) return (v / 1000).toFixed(0) + 'k';
  if (v >= 1000) return (v / 1000).toFixed(1) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * parksByYearChart: series is [{name, byYear: Map(year → parks open that
 * year)}]; the chart shows cumulative parks open per year for each series,
 * with the target drawn as a dashed line reaching targetParks at targetYear.
 */
export function parksByYearChart(series, targetParks, targetYear, firstYear, lastYear) {
  const W = 360, H = 200, L = 36, R = 10, T = 14, B = 34;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', 'data-chart': 'parks-by-year' });
  const years = new Set();
  for (const s of series) for (const y of s.byYear.keys()) years.add(y);
  if (targetYear) years.add(targetYear);
  if (lastYear) years.add(lastYear);
  const ys = [...years].filter((y) => y > 0).sort((a, b) => a - b);
  if (ys.length === 0) {
    svg.appendChild(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no parks'));
    return svg;
  }
  const first = ys[0], last = ys[ys.length - 1];
  const span = [];
  for (let y = first; y <= last; y++) span.push(y);
  const cum = series.map((s) => {
    let c = 0;
    return span.map((y) => (c += s.byYear.get(y) || 0));
  });
  const [max, ticks] = niceScale(Math.max(targetParks || 0, ...cum.flat()));
  const x0 = L, x1 = W - R, y0 = H - B, y1 = T;
  const bw = (x1 - x0) / span.length;
  axisY(svg, x0, y0, y1, max, ticks);
  svg.appendChild(el('line', { x1: x0, y1: y0, x2: x1, y2: y0, stroke: '#999' }));
  const barW = (bw * 0.8) / Math.max(1, series.length);
  span.forEach((year, i) => {
    svg.appendChild(el('text', { x: x0 + bw * (i + 0.5), y: y0 + 14, 'text-anchor': 'middle', 'font-size': 10 }, (firstYear && year < firstYear ? '≤ ' : '') + year));
    series.forEach((s, k) => {
      const v = cum[k][i];
      const h = ((y0 - y1) * v) / max;
      const r = el('rect', {
        x: x0 + bw * i + bw * 0.1 + barW * k, y: y0 - h, width: Math.max(1, barW - 1), height: h,
        fill: seriesColors[k % seriesColors.length], 'data-year': year, 'data-value': v,
      });
      r.appendChild(el('title', {}, `${s.name}: ${v} parks open by ${year}`));
      svg.appendChild(r);
    });
  });
  if (targetParks && targetYear) {
    const ty = y0 - ((y0 - y1) * targetParks) / max;
    const idx = span.indexOf(targetYear);
    const tx = idx >= 0 ? x0 + bw * (idx + 1) : x1;
    svg.appendChild(el('line', { x1: x0, y1: ty, x2: tx, y2: ty, stroke: '#c53030', 'stroke-dasharray': '5 3', 'stroke-width': 1.5 }));
    svg.appendChild(el('text', { x: x0 + 4, y: ty - 4, 'font-size': 10, fill: '#c53030' }, `target: ${targetParks} by ${targetYear}`));
  }
  legend(svg, series.map((s) => s.name), H - 8, L);
  return svg;
}

function legend(svg, names, y, x) {
  let cx = x;
  names.forEach((n, k) => {
    svg.appendChild(el('rect', { x: cx, y: y - 8, width: 9, height: 9, fill: seriesColors[k % seriesColors.length] }));
    const label = n.length > 22 ? n.slice(0, 21) + '…' : n;
    svg.appendChild(el('text', { x: cx + 12, y: y, 'font-size': 10 }, label));
    cx += 24 + label.length * 6;
  });
}

/** tints: light versions of seriesColors, for quota available. */
const seriesTints = ['#c9daf0', '#f6d5bb'];

/**
 * quotaChart: towns is [{code, name, available: [availA, availB?], used:
 * [usedA, usedB?]}] in mu summed over the horizon. Each scenario gets a
 * band per town: quota available as a light bar (scenarios may scale the
 * quota), new land used as a dark bar over it; the label reads used/available.
 */
export function quotaChart(towns, names) {
  const n = Math.max(1, names.length);
  const band = 7, rowH = band * n + 6, L = 70, R = 96, T = 6;
  const W = 360;
  const H = T + rowH * Math.max(1, towns.length) + 26;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', 'data-chart': 'quota' });
  const [max] = niceScale(Math.max(1, ...towns.map((t) => Math.max(...t.available, ...t.used))));
  const x0 = L, x1 = W - R;
  const w = (v) => ((x1 - x0) * v) / max;
  towns.forEach((t, i) => {
    const y = T + rowH * i;
    svg.appendChild(el('text', { x: L - 4, y: y + rowH / 2 + 3, 'text-anchor': 'end', 'font-size': 10 }, t.name));
    t.used.forEach((u, k) => {
      const a = t.available[k] ?? 0;
      const yb = y + 2 + band * k;
      const bg = el('rect', { x: x0, y: yb, width: w(a), height: band - 1, fill: seriesTints[k % 2], 'data-town': t.code, 'data-available': a });
      bg.appendChild(el('title', {}, `${t.name}, ${names[k] || ''}: ${a.toFixed(1)} mu new-land quota`));
      svg.appendChild(bg);
      const over = u > a + 1e-6;
      const fg = el('rect', { x: x0, y: yb + 1, width: Math.max(u > 0 ? 1 : 0, w(u)), height: band - 3, fill: over ? '#c53030' : seriesColors[k % 2], 'data-town': t.code, 'data-used': u });
      fg.appendChild(el('title', {}, `${t.name}, ${names[k] || ''}: ${u.toFixed(1)} mu new land used of ${a.toFixed(1)}`));
      svg.appendChild(fg);
    });
    svg.appendChild(el('text', { x: x1 + 4, y: y + rowH / 2 + 3, 'font-size': 9, fill: '#555' },
      t.used.map((u, k) => `${u.toFixed(0)}/${(t.available[k] ?? 0).toFixed(0)}`).join(' · ')));
  });
  legend(svg, names, H - 6, L);
  return svg;
}
