// whynot.js — why a candidate parcel was not chosen, worked out on the page
// from the layers at hand when the scenario's candidates layer carries no
// reason: protected land it touches, the town's quota left, the cap on
// new-land parks, or simply a better parcel (with the cost difference).

// overlapMinVertices: a parcel counts as touching a protected polygon when
// at least one of its vertices (or its interior point) lies inside it — a
// page-side approximation; the planner's own test is an area overlap in
// PostGIS with a sliver tolerance.
function insideAny(coords, geom) {
  for (const c of coords) if (geom.intersectsCoordinate(c)) return true;
  return false;
}

function vertices(geom) {
  const out = [];
  const walk = (a) => {
    if (typeof a[0] === 'number') out.push(a);
    else for (const x of a) walk(x);
  };
  walk(geom.getCoordinates());
  return out;
}

function interior(geom) {
  if (geom.getType() === 'MultiPolygon') return geom.getInteriorPoints().getCoordinates().map((c) => c.slice(0, 2));
  if (geom.getType() === 'Polygon') return [geom.getInteriorPoint().getCoordinates().slice(0, 2)];
  return [];
}

function intersectsExtent(a, b) {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

const kindWords = { basic_farmland: 'permanent basic farmland', eco_redline: 'the ecological red line' };

/**
 * whyNot returns the reasons, as [{code, text}], that parcel (an OL feature
 * of the parcels layer) is not a park in the scenario. ctx: protected (OL
 * features), towns (scenario town-year rows), parks (scenario park
 * properties), spec (the scenario's rules), fmt (number formatter).
 */
export function whyNot(parcel, ctx) {
  const p = parcel.getProperties();
  const g = parcel.getGeometry();
  const reasons = [];
  if (!g) return reasons;
  const ext = g.getExtent();
  const pts = vertices(g).concat(interior(g));
  const devs = ctx.protected.filter((f) => f.get('kind') === 'dev_boundary');
  for (const f of ctx.protected) {
    const kind = f.get('kind');
    if (!kindWords[kind]) continue;
    const pg = f.getGeometry();
    if (!pg || !intersectsExtent(ext, pg.getExtent())) continue;
    if (insideAny(pts, pg) || insideAny(vertices(pg), g)) {
      reasons.push({ code: kind, text: `touches ${kindWords[kind]} (${f.get('name') || f.getId()})` });
    }
  }
  if (devs.length) {
    const outside = pts.filter((c) => !devs.some((f) => f.getGeometry().intersectsCoordinate(c)));
    if (outside.length) reasons.push({ code: 'dev_boundary', text: `${outside.length} of its corners lie outside the urban development boundary` });
  }
  const spec = ctx.spec || {};
  if (p.kind === 'new_land') {
    const rows = ctx.towns.filter((t) => t.town === p.town).sort((a, b) => a.year - b.year);
    if (rows.length) {
      let best = 0, carry = 0;
      for (const r of rows) {
        const left = Math.max(0, r.quota_left_mu ?? r.quota_mu - r.new_land_used_mu);
        carry = spec.quota_carry_over ? carry + left : left;
        best = Math.max(best, carry);
      }
      if (best + 1e-6 < p.area_mu) {
        reasons.push({ code: 'quota', text: `the town's new-land quota left is at most ${ctx.fmt(best, 1)} mu in any year; the parcel needs ${ctx.fmt(p.area_mu, 1)} mu` });
      }
    }
    const cap = spec.max_new_land_parks;
    const used = ctx.parks.filter((x) => x.kind === 'new_land' && !x.locked).length;
    if (typeof cap === 'number' && cap >= 0 && used >= cap) {
      reasons.push({ code: 'new_land_cap', text: `the cap of ${cap} new parks on newly approved land is used (${used})` });
    }
  }
  if (!reasons.length) {
    const rivals = ctx.parks.filter((x) => x.town === p.town && !x.locked);
    if (rivals.length) {
      const cheapest = rivals.reduce((a, b) => (a.cost_wan <= b.cost_wan ? a : b));
      const d = p.cost_wan - cheapest.cost_wan;
      reasons.push({ code: 'worse', text: `feasible, but the plan opens ${rivals.map((r) => r.name || r.parcel_id).join(', ')} in this town instead; ` +
        `this parcel costs ${ctx.fmt(p.cost_wan, 0)} 万元, ${d >= 0 ? ctx.fmt(d, 0) + ' 万元 more' : ctx.fmt(-d, 0) + ' 万元 less'} than ${cheapest.name || cheapest.parcel_id} (${ctx.fmt(cheapest.area_mu, 1)} mu there, ${ctx.fmt(p.area_mu, 1)} mu here)` });
    } else {
      reasons.push({ code: 'worse', text: `feasible, but no new park in this town scores better than leaving it closed: the firms in reach fit in existing parks or elsewhere (cost ${ctx.fmt(p.cost_wan, 0)} 万元)` });
    }
  }
  return reasons;
}
