// evaluation.js — the yearly park evaluation on the map (评价考核): the OGC
// collections year-{year}.evaluation that `parkplan evaluate --save` keeps,
// parks coloured by rating, and the card shown when one is clicked: its
// indicators against the rules, the rules it breaks, and its trend.
import { Style, Fill, Stroke, Text } from 'ol/style.js';
import { getJSON } from './api.js';
import { h, pct, num } from './details.js';
import { labelFont } from './styles.js';

/** ratingColors: the default rubric's ratings (docs/evaluation.md), best first. */
export const ratingColors = { excellent: '#1a9850', good: '#91cf60', pass: '#fee08b', fail: '#d73027' };

/** evaluationYears lists the years with a saved evaluation, newest first. */
export async function evaluationYears() {
  const body = await getJSON('collections');
  const years = [];
  for (const c of body.collections || []) {
    const m = /^year-(\d+)\.evaluation$/.exec(c.id || '');
    if (m) years.push(Number(m[1]));
  }
  return years.sort((a, b) => b - a);
}

/** evaluationLayer loads the parks evaluated in year (a GeoJSON FeatureCollection). */
export function evaluationLayer(year) {
  return getJSON(`collections/year-${year}.evaluation/items?limit=10000`);
}

/** evaluationStyle fills a park by its rating and labels it with its score. */
export function evaluationStyle(feature) {
  const rating = feature.get('rating');
  const c = ratingColors[rating] || '#999999';
  return new Style({
    fill: new Fill({ color: c + 'cc' }),
    stroke: new Stroke({ color: feature.get('_selected') ? '#000000' : '#333333', width: feature.get('_selected') ? 3 : 1.5 }),
    text: new Text({ text: String(feature.get('score') ?? ''), font: `bold 12px ${labelFont}`, fill: new Fill({ color: '#111' }), stroke: new Stroke({ color: '#fff', width: 3 }) }),
  });
}

// indicatorRows: each indicator with its rule (null: rubric only); the
// share rules come from the seed (docs/evaluation.md).
const indicatorRows = [
  ['occupancy', 'occupancy 入驻率', pct, null],
  ['specialty_share_firms', 'specialty + related, of firms 主导产业企业占比', pct, ['≥', 0.7]],
  ['specialty_share_floor', 'specialty + related, of floor', pct, ['≥', 0.7]],
  ['small_micro_share', 'small/micro, of firms 小微企业占比', pct, ['≥', 0.7]],
  ['output_per_mu', 'output per mu 亩均产出 (万元)', (v) => num(v, 0), null],
  ['tax_per_mu', 'tax per mu 亩均税收 (万元)', (v) => num(v, 1), null],
  ['facilities', 'tier facilities in place 配套设施', pct, ['=', 1]],
  ['floor_use', 'floor used / capacity', pct, ['≤', 1]],
];

function meets(v, rule) {
  if (!rule || typeof v !== 'number') return null;
  const [op, x] = rule;
  return op === '≥' ? v >= x - 1e-9 : op === '≤' ? v <= x + 1e-9 : Math.abs(v - x) < 1e-9;
}

/** evaluationDetails is the card of an evaluated park p (the collection's properties). */
export function evaluationDetails(p, townName) {
  const history = Array.isArray(p.history) ? p.history : [];
  const rows = indicatorRows.map(([key, label, fmt, rule]) => {
    const ok = meets(p[key], rule);
    return h('tr', { 'data-indicator': key, class: ok === false ? 'bad' : undefined },
      h('th', {}, label), h('td', {}, fmt(p[key])), h('td', {}, rule ? `${rule[0]} ${pct(rule[1])}` : '—'),
      h('td', {}, ok === null ? '' : ok ? '✓' : '✗'));
  });
  const broken = p.broken_detail ? String(p.broken_detail).split('\n') : [];
  const bars = history.map((y) => h('div', { class: 'trend-year', 'data-year': String(y.year) },
    h('span', {}, String(y.year) + ' '),
    h('i', { style: `display:inline-block;height:10px;width:${Math.round(1.6 * y.score)}px;background:${ratingColors[y.rating] || '#999'}` }),
    h('span', {}, ` ${num(y.score, 1)} ${y.rating}`)));
  return h('div', { class: 'eval-details', 'data-park': p.park_id || p.id },
    h('h3', {}, `${p.name || p.park_id} — ${p.year} 评价`),
    h('p', {}, `${townName(p.town)} · ${p.specialty || ''} · ${num(p.area_mu, 1)} mu · ${p.firms} firms`),
    h('p', { class: 'rating', 'data-rating': p.rating }, h('b', {}, `score ${num(p.score, 1)} · ${p.rating}`), ` · trend ${p.trend}`),
    h('table', { class: 'indicators' },
      h('tr', {}, h('th', {}, 'indicator'), h('th', {}, 'value'), h('th', {}, 'rule'), h('th', {}, '')), ...rows),
    h('h4', {}, broken.length ? 'Rules broken' : 'No rule broken'),
    h('ul', {}, ...broken.map((l) => h('li', { 'data-rule': l.split(':')[0] }, l))),
    h('h4', {}, 'Trend 历年评分'),
    h('div', { class: 'trend' }, ...bars),
    h('p', { class: 'note' }, `Rubric ${p.rubric}: not an official standard (docs/evaluation.md).`));
}
