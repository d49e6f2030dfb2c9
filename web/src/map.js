// map.js — the OpenLayers map: our own vector layers over an optional base
// map (none by default, so the page needs no internet).
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import TileLayer from 'ol/layer/Tile.js';
import XYZ from 'ol/source/XYZ.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import { defaults as defaultControls, ScaleLine } from 'ol/control.js';
import { isEmpty } from 'ol/extent.js';
import * as S from './styles.js';
import { evaluationStyle } from './evaluation.js';

// Cixi county, lon/lat: the initial view before any layer has loaded.
const cixiCenter = [121.27, 30.2];

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/** readFeatures turns a GeoJSON FeatureCollection (lon/lat) into map features, keeping each id. */
export function readFeatures(fc) {
  if (!fc || !fc.features) return [];
  return geojson.readFeatures(fc);
}

function vector(name, style, z, source) {
  const layer = new VectorLayer({ source: source || new VectorSource(), style, zIndex: z });
  layer.set('name', name);
  return layer;
}

/**
 * createMap builds the map in element target. baseMapURL, if set, is an XYZ
 * tile template ({z}/{x}/{y}) drawn under the vector layers. shared, if
 * given, is another map: this one then draws the same base layers (towns,
 * protected land, parcels) and difference rings from the same sources, with
 * the same view, so the two move together (side by side).
 */
export function createMap(target, baseMapURL, shared) {
  const src = (name) => (shared ? shared.layers[name].getSource() : undefined);
  const layers = {
    towns: vector('towns', S.townStyle, 1, src('towns')),
    protected: vector('protected', S.protectedStyle, 2, src('protected')),
    parcels: vector('parcels', S.parcelStyle, 3, src('parcels')),
    candidates: vector('candidates', S.candidateStyle, 4),
    assignments: vector('assignments', S.assignmentStyle, 5),
    unplaced: vector('unplaced', S.unplacedStyle, 5),
    parks: vector('parks', S.parkStyle, 6),
    diff: vector('diff', S.diffStyle, 7, src('diff')),
  };
  // The yearly evaluation (parks coloured by rating) is drawn on map A only.
  if (!shared) layers.evaluation = vector('evaluation', evaluationStyle, 8);
  const all = Object.values(layers);
  if (baseMapURL) {
    all.unshift(new TileLayer({ source: new XYZ({ url: baseMapURL, crossOrigin: 'anonymous' }), zIndex: 0 }));
  }
  const map = new OlMap({
    target,
    layers: all,
    controls: defaultControls({ attribution: false }).extend([new ScaleLine()]),
    view: shared ? shared.map.getView() : new View({ center: geojson.readGeometry({ type: 'Point', coordinates: cixiCenter }).getCoordinates(), zoom: 10 }),
  });
  return { map, layers };
}

/** setFeatures replaces the features of layer. */
export function setFeatures(layer, features) {
  const src = layer.getSource();
  src.clear(true);
  src.addFeatures(features);
}

/** fitTo zooms the map to layer's features, if any. */
export function fitTo(map, layer) {
  const ext = layer.getSource().getExtent();
  if (!isEmpty(ext)) map.getView().fit(ext, { padding: [20, 20, 20, 20] });
}
