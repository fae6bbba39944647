/**
 * A gmd:DS_Series embedding full member records, made of real records: Northwest Knowledge Network's Challis LiDAR
 * series (test/fixtures/iso/nkn-challis-lidar-DS_Series.xml, whose 142 members are links) with its composedOf
 * replaced by two embedded members, NKN's Rathdrum Prairie aquifer record (nkn-rathdrum-prairie-aquifer-iso19139.xml)
 * as it is, and the same record without its fileIdentifier. Real series that embed their members (NASA SMAP granules,
 * nasa/Common-Metadata-Repository umm-lib/resources/data/iso_smap) leave their seriesMetadata empty; this one has both.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../schemas/paths.js';

const own = (f: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');

export const SERIES_ID = 'nkn:00c2d3eb-60c7-42a6-a97f-90c570dbefea';
export const MEMBER_ID = 'nkn:d986d1f3-89c1-4c76-9946-eb750f3e921a';

/** The composed series document, and its two members' texts as embedded. */
export function embeddedSeries(): { xml: string; members: string[] } {
  const series = own('nkn-challis-lidar-DS_Series.xml');
  const member = own('nkn-rathdrum-prairie-aquifer-iso19139.xml');
  const md = member.slice(member.indexOf('<gmd:MD_Metadata'));
  const noId = md.replace(/<gmd:fileIdentifier>[\s\S]*?<\/gmd:fileIdentifier>/, '');
  const start = series.indexOf('<gmd:composedOf>');
  const end = series.indexOf('</gmd:composedOf>') + '</gmd:composedOf>'.length;
  const composed = `<gmd:composedOf>\n    <gmd:DS_DataSet>\n      <gmd:has>${md.trimEnd()}</gmd:has>\n      <gmd:has>${noId.trimEnd()}</gmd:has>\n    </gmd:DS_DataSet>\n  </gmd:composedOf>`;
  return { xml: series.slice(0, start) + composed + series.slice(end), members: [md, noId] };
}
