/**
 * Builds the basemap the catalogue pages ship (api/static/data/): no tile server, no internet, a few hundred KB.
 *
 *   node dist/scripts/basemap.js --regions regions-version-simplifiee.geojson
 *
 * - land.geojson and borders.geojson: Natural Earth 1:50m land polygons and country boundaries (public domain), from
 *   the npm package world-atlas (its TopoJSON redistribution, version 4.1.0 of Natural Earth);
 * - regions-fr.geojson: the 13 regions of metropolitan France, from the file `regions-version-simplifiee.geojson` of
 *   the public repository gregoiredavid/france-geojson (IGN Admin Express COG 2018 and INSEE codes, Licence Ouverte /
 *   Etalab), given with --regions.
 *
 * Each layer is simplified on its topology (shared borders stay shared: topojson-simplify) and its coordinates are
 * rounded to 3 decimals (about 100 m, far below what a 1:50m map draws). docs/pages.md says where each file came from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { Feature, FeatureCollection, Geometry, GeoJsonProperties, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature, mesh } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import { projectPath } from '../schemas/paths.js';

const require = createRequire(import.meta.url);

/** Rounds every coordinate of a geometry to `digits` decimals and drops the points that become repeated. */
function round(g: Geometry, digits: number): Geometry {
  const f = 10 ** digits;
  const pt = (p: Position): Position => [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
  const line = (l: Position[]): Position[] =>
    l.map(pt).filter((p, i, a) => i === 0 || i === a.length - 1 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
  switch (g.type) {
    case 'Point':
      return { ...g, coordinates: pt(g.coordinates) };
    case 'MultiPoint':
      return { ...g, coordinates: g.coordinates.map(pt) };
    case 'LineString':
      return { ...g, coordinates: line(g.coordinates) };
    case 'MultiLineString':
      return { ...g, coordinates: g.coordinates.map(line) };
    case 'Polygon':
      return { ...g, coordinates: g.coordinates.map(line).filter((r) => r.length >= 4) };
    case 'MultiPolygon':
      return { ...g, coordinates: g.coordinates.map((p) => p.map(line).filter((r) => r.length >= 4)).filter((p) => p.length > 0) };
    case 'GeometryCollection':
      return { ...g, geometries: g.geometries.map((x) => round(x, digits)) };
  }
}

function collection(features: Feature[], digits: number): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: features.map((f) => ({ type: 'Feature', properties: f.properties ?? {}, geometry: round(f.geometry, digits) })),
  };
}

/** Simplifies a topology keeping the share `keep` (0..1) of its points that weigh most (Visvalingam area). */
function simplified<T extends Topology>(topo: T, keep: number): T {
  const pre = presimplify(topo as unknown as Topology<Record<string, GeometryCollection>>);
  // (quantile(t, p) is the weight above which the share p of the points lie)
  return simplify(pre, quantile(pre, keep)) as unknown as T;
}

function write(name: string, fc: FeatureCollection): void {
  const file = projectPath('api', 'static', 'data', name);
  const text = JSON.stringify(fc);
  writeFileSync(file, text + '\n');
  console.log(`${file}: ${fc.features.length} features, ${Math.round(text.length / 1024)} KB`);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      regions: { type: 'string' },
      // shares of the points kept: what gives a few hundred KB in all, the French coast still recognisable at zoom 6
      'keep-world': { type: 'string', default: '0.25' },
      'keep-regions': { type: 'string', default: '0.6' },
    },
  });
  if (!values.regions) {
    console.error('basemap: --regions FILE (regions-version-simplifiee.geojson of gregoiredavid/france-geojson) is required');
    process.exit(2);
  }

  const world = simplified(
    JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology<{
      countries: GeometryCollection;
      land: GeometryCollection;
    }>,
    Number(values['keep-world']),
  );
  const land = feature(world, world.objects.land);
  write('land.geojson', collection('features' in land ? land.features : [land], 2));
  // Boundaries between two countries only (a coastline is already the edge of the land).
  const borders = mesh(world, world.objects.countries, (a, b) => a !== b);
  write('borders.geojson', collection([{ type: 'Feature', properties: {}, geometry: borders }], 2));

  const regions = JSON.parse(readFileSync(values.regions, 'utf8')) as FeatureCollection<Geometry, GeoJsonProperties>;
  const topo = simplified(topology({ regions }), Number(values['keep-regions']));
  const back = feature(topo, topo.objects.regions as GeometryCollection);
  const features = ('features' in back ? back.features : [back]).map((f) => ({
    ...f,
    properties: {
      code: String((f.properties as GeoJsonProperties)?.code ?? ''),
      name: String((f.properties as GeoJsonProperties)?.nom ?? ''),
    },
  }));
  write('regions-fr.geojson', collection(features, 3));
}

main();
