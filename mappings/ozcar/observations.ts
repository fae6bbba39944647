/**
 * What a dataset's observations say about it, read once over all of them: measured variables (name, unit, GCMD
 * property), Theia categories and GCMD keywords (themes), the union of their time extents, and the searchable facets
 * (sampling features, processing levels, data types, instruments), plus their lineage steps. Pure.
 */
import type { VariableMeasured } from '../../schemas/record.js';
import type { LooseConcept } from '../common.js';
import { arr, obj, unique } from '../../core/json.js';
import { gcmdConcept, gcmdIri, theiaCategoryConcept } from './codes.js';
import { positions, unionPeriod, type Period, type Position, type TimeExtent } from './extent.js';
import type { TextReader } from './text.js';

export interface ObservationFacts {
  count: number;
  variables: VariableMeasured[];
  themes: LooseConcept[];
  period: Period;
  samplingFeatures: string[];
  processingLevels: string[];
  dataTypes: string[];
  instruments: string[];
  lineage: string[];
  /** Every position of every sampling feature (to compare with the dataset's extent). */
  stationPositions: Position[];
}

/**
 * Reads the observations. Variables are distinct (name, unit) pairs in order of first appearance, with the first
 * description met and, as propertyID, the first GCMD keyword of the observed property that has an IRI (the pivot
 * format has no property IRI of its own).
 */
export function readObservations(observations: unknown[], lang: string, t: TextReader): ObservationFacts {
  const variables = new Map<string, VariableMeasured>();
  const categories = new Set<string>();
  const gcmdThemes: LooseConcept[] = [];
  const extents: TimeExtent[] = [];
  const samplingFeatures: string[] = [];
  const processingLevels: string[] = [];
  const dataTypes: string[] = [];
  const instruments: string[] = [];
  const lineage: string[] = [];
  const stationPositions: Position[] = [];

  for (const value of observations) {
    const o = obj(value);
    if (!o) continue;
    const prop = obj(o.observedProperty) ?? {};
    const name = t.text(prop.name);
    const unit = t.text(prop.unit);
    const gcmd = arr(prop.gcmdKeywords)
      .map(obj)
      .filter((g) => g !== undefined);
    if (name) {
      const key = `${name}\u0000${unit ?? ''}`;
      if (!variables.has(key)) {
        const description = t.text(prop.description);
        const propertyID = gcmd.map((g) => gcmdIri(t.text(g.uuid))).find((iri) => iri !== undefined);
        variables.set(key, {
          '@type': 'schema:PropertyValue',
          name: { [lang]: name },
          ...(description ? { description: { [lang]: description } } : {}),
          ...(unit ? { unitText: unit } : {}),
          ...(propertyID ? { propertyID } : {}),
        });
      }
    }
    for (const c of arr(prop.theiaCategories)) {
      const iri = t.text(c);
      if (iri && /^https?:\/\//.test(iri)) categories.add(iri);
    }
    for (const g of gcmd) {
      const levels = ['category', 'topic', 'term', 'variableLevel1', 'variableLevel2', 'variableLevel3'].map((k) => t.text(g[k]));
      if (levels.some(Boolean)) gcmdThemes.push(gcmdConcept(levels, t.text(g.uuid)));
    }

    const time = obj(o.temporalExtent);
    if (time) extents.push(time);

    const feature = obj(obj(o.featureOfInterest)?.samplingFeature);
    const featureName = t.text(feature?.name);
    if (featureName) samplingFeatures.push(featureName);
    if (feature?.geometry) positions(feature.geometry, stationPositions);

    const level = t.text(o.processingLevel);
    if (level) processingLevels.push(level);
    const dataType = t.text(o.dataType);
    if (dataType) dataTypes.push(dataType);

    const procedure = obj(o.procedure);
    for (const s of arr(obj(procedure?.dataProduction)?.sensors)) {
      const sensor = obj(s);
      if (!sensor) continue;
      // A physical sensor: "manufacturer model"; a virtual one (a model): its name.
      const label = t.text(sensor.name) ?? [t.text(sensor.manufacturer), t.text(sensor.model)].filter(Boolean).join(' ');
      if (label) instruments.push(label);
    }
    for (const l of arr(procedure?.lineageInformations)) {
      const d = t.text(obj(l)?.processingDescription);
      if (d) lineage.push(d);
    }
  }

  return {
    count: observations.length,
    variables: [...variables.values()],
    themes: unique([...[...categories].map(theiaCategoryConcept), ...gcmdThemes], (c) => c['@id'] ?? JSON.stringify(c.prefLabel)),
    period: unionPeriod(extents),
    samplingFeatures: unique(samplingFeatures),
    processingLevels: unique(processingLevels),
    dataTypes: unique(dataTypes),
    instruments: unique(instruments),
    lineage: unique(lineage),
    stationPositions,
  };
}
