// styles.js — how each layer looks: parcels by kind, protected land by
// kind, parks coloured by specialty and sized by tier, the difference
// between two scenarios, and town labels in Chinese.
import { Style, Fill, Stroke, Circle, Text } from 'ol/style.js';
import { getCenter } from 'ol/extent.js';
import Point from 'ol/geom/Point.js';

/** labelFont lists fonts with CJK glyphs first; canvas text falls back to them. */
export const labelFont =
  '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

// specialtyPalette: twelve colours that stay apart on a light map.
const specialtyPalette = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
  '#8c564b', '#e377c2', '#bcbd22', '#393b79', '#637939', '#843c39',
];

const specialtyIndex = new Map();

/** specialtyColor gives each industry code a stable colour, in order of first use. */
export function specialtyColor(code) {
  if (!code) return '#777777';
  if (!specialtyIndex.has(code)) specialtyIndex.set(code, specialtyIndex.size);
  return specialtyPalette[specialtyIndex.get(code) % specialtyPalette.length];
}

/** resetSpecialtyColors assigns colours afresh to codes, sorted, so every load colours alike. */
export function resetSpecialtyColors(codes) {
  specialtyIndex.clear();
  for (const c of [...new Set(codes)].filter(Boolean).sort()) specialtyColor(c);
}

/** tierRadius is a park symbol's radius in pixels: bigger tier, bigger dot. */
export const tierRadius = { basic: 6, standard: 9, complex: 13 };

/** kindColors: parcel kinds (existing, under construction, candidates on new land and old factory land). */
export const kindColors = {
  existing: '#4d4d4d',
  under_construction: '#8c6d31',
  new_land: '#e6550d',
  old_factory: '#3182bd',
};

/** protectedColors: 三区三线 layers. */
export const protectedColors = {
  basic_farmland: 'rgba(116, 196, 118, 0.35)',
  eco_redline: 'rgba(222, 45, 38, 0.25)',
  dev_boundary: 'rgba(158, 154, 200, 0.10)',
};

/** diffColors: how a park changed from scenario A to scenario B. */
export const diffColors = {
  added: '#31a354',
  removed: '#de2d26',
  respecialised: '#fd8d3c',
  retimed: '#6baed6',
};

export function townStyle(feature, resolution) {
  const p = feature.getProperties();
  return new Style({
    fill: new Fill({ color: 'rgba(250, 248, 240, 0.6)' }),
    stroke: new Stroke({ color: '#8a8a8a', width: 1 }),
    text: new Text({
      text: p.name_zh || p.code || '',
      font: (resolution > 150 ? '11px ' : '13px ') + labelFont,
      fill: new Fill({ color: '#333' }),
      stroke: new Stroke({ color: '#fff', width: 3 }),
      overflow: true,
    }),
  });
}

export function parcelStyle(feature) {
  const kind = feature.get('kind');
  const c = kindColors[kind] || '#999';
  return new Style({
    fill: new Fill({ color: c + '33' }),
    stroke: new Stroke({ color: c, width: 1 }),
  });
}

export function protectedStyle(feature) {
  const kind = feature.get('kind');
  return new Style({
    fill: new Fill({ color: protectedColors[kind] || 'rgba(0,0,0,0.1)' }),
    // The development boundary is drawn as a light area (its pieces tile it).
    stroke: kind === 'dev_boundary' ? undefined : new Stroke({ color: protectedColors[kind].replace(/[\d.]+\)$/, '0.8)'), width: 1 }),
  });
}

function centroidGeometry(feature) {
  const g = feature.getGeometry();
  if (!g) return undefined;
  if (g.getType() === 'Point') return g;
  if (g.getType() === 'MultiPolygon') {
    const polys = g.getPolygons();
    let best = polys[0];
    for (const p of polys) if (p.getArea() > best.getArea()) best = p;
    return best ? best.getInteriorPoint() : new Point(getCenter(g.getExtent()));
  }
  if (g.getType() === 'Polygon') return g.getInteriorPoint();
  return new Point(getCenter(g.getExtent()));
}

/** parkStyle draws the parcel outline and a dot coloured by specialty and sized by tier. */
export function parkStyle(feature, resolution) {
  const p = feature.getProperties();
  const c = specialtyColor(p.specialty);
  const r = tierRadius[p.tier] || 7;
  const selected = feature.get('_selected');
  return [
    new Style({
      fill: new Fill({ color: c + '55' }),
      stroke: new Stroke({ color: c, width: selected ? 3 : 1.5 }),
    }),
    new Style({
      geometry: centroidGeometry,
      image: new Circle({
        radius: r,
        fill: new Fill({ color: c }),
        stroke: new Stroke({ color: selected ? '#000' : '#fff', width: selected ? 3 : 1.5 }),
      }),
      // Park names (e.g. 掌起万洋众创城) once zoomed in to town scale.
      text: resolution < parkLabelResolution && p.name ? new Text({
        text: p.name, font: '12px ' + labelFont, offsetY: -(r + 9),
        fill: new Fill({ color: '#222' }), stroke: new Stroke({ color: '#fff', width: 3 }),
      }) : undefined,
    }),
  ];
}

/** parkLabelResolution: park names show below this map resolution, metres per pixel (about zoom 13). */
const parkLabelResolution = 20;

/** diffStyle rings a park by its change: added, removed, re-specialised, re-timed. */
export function diffStyle(feature) {
  const change = feature.get('change');
  const c = diffColors[change] || '#000';
  const r = (tierRadius[feature.get('tier')] || 7) + 5;
  return new Style({
    geometry: centroidGeometry,
    image: new Circle({
      radius: r,
      stroke: new Stroke({ color: c, width: 3, lineDash: change === 'removed' ? [4, 3] : undefined }),
    }),
  });
}

export function candidateStyle(feature) {
  const chosen = feature.get('chosen');
  if (chosen === true) return null;
  return new Style({
    stroke: new Stroke({ color: '#555', width: 1, lineDash: [2, 3] }),
    fill: new Fill({ color: 'rgba(255,255,255,0.01)' }),
  });
}

export function assignmentStyle() {
  return new Style({ stroke: new Stroke({ color: 'rgba(60, 60, 60, 0.45)', width: 1 }) });
}

/** unplacedColors: why a firm stays out of every park (planner.UnplacedReason). */
export const unplacedColors = {
  barred_pollution: '#67000d',
  low_scattered: '#e7298a',
  safety: '#d95f02',
  no_park_in_reach: '#7570b3',
  no_capacity: '#1b9e77',
};

export function unplacedStyle(feature) {
  return new Style({
    image: new Circle({
      radius: 3,
      fill: new Fill({ color: unplacedColors[feature.get('reason')] || '#555' }),
      stroke: new Stroke({ color: '#fff', width: 0.5 }),
    }),
  });
}
