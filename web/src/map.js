// map.js — the OpenLayers map: our own vector layers over an optional base
// map (none by default, so the page needs no internet).
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import TileLayer from 'ol/layer/Tile.js';
import XYZ from 'ol/source/XYZ.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import MVT from 'ol/format/MVT.js';
import { defaults as defaultControls, ScaleLine } from 'ol/control.js';
import { isEmpty } from 'ol/extent.js';
import * as S from './styles.js';
import { evaluationStyle } from './evaluation.js';
import { countyStyle } from './province.js';

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
  // A tiled layer of the shared map is tiled here too, from the same source.
  const like = (name, style, z) => (shared && shared.layers[name] instanceof VectorTileLayer
    ? tiled(name, style, z, src(name)) : vector(name, style, z, src(name)));
  const layers = {
    towns: vector('towns', S.townStyle, 1, src('towns')),
    protected: vector('protected', S.protectedStyle, 2, src('protected')),
    parcels: like('parcels', S.parcelStyle, 3),
    candidates: vector('candidates', S.candidateStyle, 4),
    assignments: vector('assignments', S.assignmentStyle, 5),
    unplaced: vector('unplaced', S.unplacedStyle, 5),
    parks: vector('parks', S.parkStyle, 6),
    diff: vector('diff', S.diffStyle, 7, src('diff')),
  };
  // The yearly evaluation (parks coloured by rating) and the province view
  // (counties coloured by the marginal value of quota, under the parks)
  // are drawn on map A only.
  if (!shared) {
    layers.evaluation = vector('evaluation', evaluationStyle, 8);
    layers.province = vector('province', countyStyle, 1.5);
  }
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

// tiledMinZoom is the view zoom from which tiled layers draw: below it a
// large layer's parcels are a pixel or two each (zoom 13 is about 19 m a
// pixel), and a tile would carry tens of thousands of them to show noise.
export const tiledMinZoom = 13;

function tiled(name, style, z, source) {
  const layer = new VectorTileLayer({ source, style, zIndex: z, renderMode: 'hybrid', minZoom: tiledMinZoom });
  layer.set('name', name);
  return layer;
}

/**
 * tileSource reads collection's Mapbox Vector Tiles (OGC API – Tiles,
 * WebMercatorQuad) with the request headers headers() gives (the token, for
 * unpublished layers). stats counts tiles loaded, features in them and
 * failures; an empty tile (204) has no features.
 */
export function tileSource(collection, headers, stats) {
  const url = 'collections/' + encodeURIComponent(collection) + '/tiles/WebMercatorQuad/{z}/{y}/{x}';
  const source = new VectorTileSource({
    format: new MVT(),
    url,
    maxZoom: 18,
    tileLoadFunction: (tile, src) => {
      tile.setLoader((extent, resolution, projection) => {
        fetch(src, { headers: headers() })
          .then((res) => {
            if (res.status === 204) return new ArrayBuffer(0);
            if (!res.ok) throw new Error('tile ' + src + ': HTTP ' + res.status);
            return res.arrayBuffer();
          })
          .then((buf) => {
            const features = buf.byteLength ? tile.getFormat().readFeatures(buf, { extent, featureProjection: projection }) : [];
            tile.setFeatures(features);
            stats.tiles++;
            stats.features += features.length;
          })
          .catch((e) => {
            stats.failed++;
            stats.lastError = String(e.message || e);
            tile.setState(3); // TileState.ERROR
          });
      });
    },
  });
  return source;
}

/**
 * useTiles draws layer name of map m from collection's vector tiles instead
 * of one GeoJSON download (for large layers); it replaces the layer in the
 * map (or, if already tiled, its source when collection changed) and
 * returns it.
 */
export function useTiles(m, name, collection, headers, stats) {
  const old = m.layers[name];
  if (old instanceof VectorTileLayer) {
    if (old.get('collection') !== collection) {
      old.setSource(tileSource(collection, headers, stats));
      old.set('collection', collection);
    }
    return old;
  }
  const layer = tiled(name, old.getStyle(), old.getZIndex(), tileSource(collection, headers, stats));
  layer.setVisible(old.getVisible());
  layer.set('collection', collection);
  m.map.removeLayer(old);
  m.map.addLayer(layer);
  m.layers[name] = layer;
  return layer;
}

/** isTiled reports whether layer draws vector tiles. */
export const isTiled = (layer) => layer instanceof VectorTileLayer;
