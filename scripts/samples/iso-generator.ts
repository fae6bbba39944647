/**
 * Generates realistic ISO 19139 records of land-surface datasets, deterministically from a number: the bundled
 * sample CSW source, the pycsw loaded for benchmarks and the local replay of GetRecords pages with 100k records.
 * Every record is a complete gmd:MD_Metadata (identifiers, bilingual title, keywords with INSPIRE Anchors, topic
 * category, bounding box, period, dates, parties by role, distributions, licence, lineage, resolution, CRS).
 */

const THEMES = [
  ['lc', 'Land cover', 'Occupation des terres', 'Couverture du sol'],
  ['el', 'Elevation', 'Altitude', 'Modèle numérique de terrain'],
  ['so', 'Soil', 'Sols', 'Humidité des sols'],
  ['hy', 'Hydrography', 'Hydrographie', 'Débit des rivières'],
  ['lu', 'Land use', "Usage des sols", 'Usage agricole'],
  ['oi', 'Orthoimagery', 'Ortho-imagerie', 'Orthophotographie'],
  ['mf', 'Meteorological geographical features', 'Caractéristiques géographiques météorologiques', 'Précipitations'],
  ['hb', 'Habitats and biotopes', 'Habitats et biotopes', 'Zones humides'],
] as const;

const PLACES = [
  // name, west, south, east, north
  ['Bretagne', -5.2, 47.2, -1.0, 48.9],
  ['Alpes du Nord', 5.6, 44.8, 7.2, 46.4],
  ['Pyrénées', -1.8, 42.3, 3.2, 43.4],
  ['Bassin de la Seine', 0.1, 47.5, 4.9, 50.1],
  ['Camargue', 4.1, 43.3, 4.9, 43.8],
  ['Guyane', -54.6, 2.1, -51.6, 5.8],
  ['La Réunion', 55.2, -21.4, 55.9, -20.8],
  ['Wallis-et-Futuna', 176.0, -14.4, -176.0, -13.0], // crosses the antimeridian
  ['Massif central', 2.0, 44.2, 4.5, 46.5],
  ['Corse', 8.5, 41.3, 9.6, 43.1],
] as const;

const ORGS = [
  ['Theia', 'contact@theia-land.fr'],
  ['OSU Rennes', 'donnees@osur.univ-rennes.fr'],
  ['IGN', 'geoservices@ign.fr'],
  ['INRAE', 'data@inrae.fr'],
  ['CNES', 'data@cnes.fr'],
] as const;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cs(value: string): string {
  return `<gco:CharacterString>${esc(value)}</gco:CharacterString>`;
}

/** The file identifier of generated record number i (stable). */
export function generatedId(i: number): string {
  const hex = (i * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${hex}-5a1e-4c0d-9e2f-${String(i).padStart(12, '0')}`;
}

function party(org: readonly [string, string], role: string): string {
  return `<gmd:CI_ResponsibleParty>
      <gmd:organisationName>${cs(org[0])}</gmd:organisationName>
      <gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address>
        <gmd:electronicMailAddress>${cs(org[1])}</gmd:electronicMailAddress>
      </gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo>
      <gmd:role><gmd:CI_RoleCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_RoleCode" codeListValue="${role}">${role}</gmd:CI_RoleCode></gmd:role>
    </gmd:CI_ResponsibleParty>`;
}

/** One ISO 19139 record, without XML declaration (so that pages can embed it). */
export function generateIsoRecord(i: number): string {
  const theme = THEMES[i % THEMES.length];
  const place = PLACES[Math.floor(i / THEMES.length) % PLACES.length];
  const org = ORGS[i % ORGS.length];
  const org2 = ORGS[(i + 2) % ORGS.length];
  const id = generatedId(i);
  const startYear = 1990 + (i % 30);
  const open = i % 7 === 0;
  const endYear = startYear + 1 + (i % 5);
  const res = [10, 20, 30, 100, 250][i % 5];
  const [, w, s, e, n] = place;
  const titleFr = `${theme[3]} - ${place[0]} - ${startYear} (n°${i})`;
  const titleEn = `${theme[1]} of ${place[0]}, ${startYear} (no. ${i})`;
  const month = String((i % 12) + 1).padStart(2, '0');
  return `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:gmx="http://www.isotc211.org/2005/gmx" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <gmd:fileIdentifier>${cs(id)}</gmd:fileIdentifier>
  <gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="fre">fre</gmd:LanguageCode></gmd:language>
  <gmd:characterSet><gmd:MD_CharacterSetCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_CharacterSetCode" codeListValue="utf8"/></gmd:characterSet>
  <gmd:hierarchyLevel><gmd:MD_ScopeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_ScopeCode" codeListValue="dataset">dataset</gmd:MD_ScopeCode></gmd:hierarchyLevel>
  <gmd:contact>${party(org, 'pointOfContact')}</gmd:contact>
  <gmd:dateStamp><gco:DateTime>2024-${month}-15T10:00:00</gco:DateTime></gmd:dateStamp>
  <gmd:metadataStandardName>${cs('ISO 19115:2003/19139')}</gmd:metadataStandardName>
  <gmd:locale><gmd:PT_Locale id="EN"><gmd:languageCode><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="eng">eng</gmd:LanguageCode></gmd:languageCode><gmd:characterEncoding><gmd:MD_CharacterSetCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_CharacterSetCode" codeListValue="utf8"/></gmd:characterEncoding></gmd:PT_Locale></gmd:locale>
  <gmd:referenceSystemInfo><gmd:MD_ReferenceSystem><gmd:referenceSystemIdentifier><gmd:RS_Identifier><gmd:code><gmx:Anchor xlink:href="http://www.opengis.net/def/crs/EPSG/0/2154">EPSG:2154</gmx:Anchor></gmd:code></gmd:RS_Identifier></gmd:referenceSystemIdentifier></gmd:MD_ReferenceSystem></gmd:referenceSystemInfo>
  <gmd:identificationInfo>
    <gmd:MD_DataIdentification>
      <gmd:citation><gmd:CI_Citation>
        <gmd:title xsi:type="gmd:PT_FreeText_PropertyType">${cs(titleFr)}<gmd:PT_FreeText><gmd:textGroup><gmd:LocalisedCharacterString locale="#EN">${esc(titleEn)}</gmd:LocalisedCharacterString></gmd:textGroup></gmd:PT_FreeText></gmd:title>
        <gmd:date><gmd:CI_Date><gmd:date><gco:Date>${startYear}-01-10</gco:Date></gmd:date><gmd:dateType><gmd:CI_DateTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" codeListValue="creation">creation</gmd:CI_DateTypeCode></gmd:dateType></gmd:CI_Date></gmd:date>
        <gmd:date><gmd:CI_Date><gmd:date><gco:Date>${Math.min(endYear + 1, 2024)}-03-01</gco:Date></gmd:date><gmd:dateType><gmd:CI_DateTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" codeListValue="publication">publication</gmd:CI_DateTypeCode></gmd:dateType></gmd:CI_Date></gmd:date>
        <gmd:identifier><gmd:MD_Identifier><gmd:code><gmx:Anchor xlink:href="https://doi.org/10.99999/hub.${i}">10.99999/hub.${i}</gmx:Anchor></gmd:code></gmd:MD_Identifier></gmd:identifier>
      </gmd:CI_Citation></gmd:citation>
      <gmd:abstract xsi:type="gmd:PT_FreeText_PropertyType">${cs(`Jeu de données « ${theme[3].toLowerCase()} » sur ${place[0]}, produit à ${res} m de résolution à partir d'images satellitaires et de relevés de terrain, de ${startYear} à ${open ? "aujourd'hui" : endYear}. Thème : ${theme[2]}.`)}<gmd:PT_FreeText><gmd:textGroup><gmd:LocalisedCharacterString locale="#EN">${esc(`${theme[1]} dataset over ${place[0]} at ${res} m resolution from satellite imagery and field surveys, ${startYear} to ${open ? 'present' : endYear}.`)}</gmd:LocalisedCharacterString></gmd:textGroup></gmd:PT_FreeText></gmd:abstract>
      <gmd:pointOfContact>${party(org, 'pointOfContact')}</gmd:pointOfContact>
      <gmd:pointOfContact>${party(org2, 'publisher')}</gmd:pointOfContact>
      <gmd:pointOfContact>${party(org, 'originator')}</gmd:pointOfContact>
      <gmd:resourceMaintenance><gmd:MD_MaintenanceInformation><gmd:maintenanceAndUpdateFrequency><gmd:MD_MaintenanceFrequencyCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_MaintenanceFrequencyCode" codeListValue="${open ? 'monthly' : 'notPlanned'}"/></gmd:maintenanceAndUpdateFrequency></gmd:MD_MaintenanceInformation></gmd:resourceMaintenance>
      <gmd:graphicOverview><gmd:MD_BrowseGraphic><gmd:fileName>${cs(`https://data.hub.example/thumbs/${id}.png`)}</gmd:fileName></gmd:MD_BrowseGraphic></gmd:graphicOverview>
      <gmd:descriptiveKeywords><gmd:MD_Keywords>
        <gmd:keyword><gmx:Anchor xlink:href="http://inspire.ec.europa.eu/theme/${theme[0]}">${esc(theme[2])}</gmx:Anchor></gmd:keyword>
        <gmd:type><gmd:MD_KeywordTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_KeywordTypeCode" codeListValue="theme"/></gmd:type>
        <gmd:thesaurusName><gmd:CI_Citation><gmd:title><gmx:Anchor xlink:href="http://inspire.ec.europa.eu/theme">GEMET - INSPIRE themes, version 1.0</gmx:Anchor></gmd:title><gmd:date><gmd:CI_Date><gmd:date><gco:Date>2008-06-01</gco:Date></gmd:date><gmd:dateType><gmd:CI_DateTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" codeListValue="publication"/></gmd:dateType></gmd:CI_Date></gmd:date></gmd:CI_Citation></gmd:thesaurusName>
      </gmd:MD_Keywords></gmd:descriptiveKeywords>
      <gmd:descriptiveKeywords><gmd:MD_Keywords>
        <gmd:keyword>${cs(theme[3])}</gmd:keyword>
        <gmd:keyword>${cs(place[0])}</gmd:keyword>
        <gmd:keyword>${cs('télédétection')}</gmd:keyword>
      </gmd:MD_Keywords></gmd:descriptiveKeywords>
      <gmd:resourceConstraints><gmd:MD_LegalConstraints>
        <gmd:accessConstraints><gmd:MD_RestrictionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_RestrictionCode" codeListValue="otherRestrictions"/></gmd:accessConstraints>
        <gmd:otherConstraints><gmx:Anchor xlink:href="http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations">No limitations to public access</gmx:Anchor></gmd:otherConstraints>
      </gmd:MD_LegalConstraints></gmd:resourceConstraints>
      <gmd:resourceConstraints><gmd:MD_LegalConstraints>
        <gmd:useConstraints><gmd:MD_RestrictionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_RestrictionCode" codeListValue="otherRestrictions"/></gmd:useConstraints>
        <gmd:otherConstraints><gmx:Anchor xlink:href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte / Open Licence version 2.0</gmx:Anchor></gmd:otherConstraints>
      </gmd:MD_LegalConstraints></gmd:resourceConstraints>
      <gmd:spatialRepresentationType><gmd:MD_SpatialRepresentationTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_SpatialRepresentationTypeCode" codeListValue="grid"/></gmd:spatialRepresentationType>
      <gmd:spatialResolution><gmd:MD_Resolution><gmd:distance><gco:Distance uom="m">${res}</gco:Distance></gmd:distance></gmd:MD_Resolution></gmd:spatialResolution>
      <gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="fre">fre</gmd:LanguageCode></gmd:language>
      <gmd:topicCategory><gmd:MD_TopicCategoryCode>${i % 2 ? 'environment' : 'imageryBaseMapsEarthCover'}</gmd:MD_TopicCategoryCode></gmd:topicCategory>
      <gmd:extent><gmd:EX_Extent>
        <gmd:geographicElement><gmd:EX_GeographicBoundingBox>
          <gmd:westBoundLongitude><gco:Decimal>${w}</gco:Decimal></gmd:westBoundLongitude>
          <gmd:eastBoundLongitude><gco:Decimal>${e}</gco:Decimal></gmd:eastBoundLongitude>
          <gmd:southBoundLatitude><gco:Decimal>${s}</gco:Decimal></gmd:southBoundLatitude>
          <gmd:northBoundLatitude><gco:Decimal>${n}</gco:Decimal></gmd:northBoundLatitude>
        </gmd:EX_GeographicBoundingBox></gmd:geographicElement>
        <gmd:temporalElement><gmd:EX_TemporalExtent><gmd:extent><gml:TimePeriod gml:id="tp${i}">
          <gml:beginPosition>${startYear}-01-01</gml:beginPosition>
          ${open ? '<gml:endPosition indeterminatePosition="now"/>' : `<gml:endPosition>${endYear}-12-31</gml:endPosition>`}
        </gml:TimePeriod></gmd:extent></gmd:EX_TemporalExtent></gmd:temporalElement>
      </gmd:EX_Extent></gmd:extent>
    </gmd:MD_DataIdentification>
  </gmd:identificationInfo>
  <gmd:distributionInfo><gmd:MD_Distribution>
    <gmd:distributionFormat><gmd:MD_Format><gmd:name>${cs('GeoTIFF')}</gmd:name><gmd:version>${cs('1.0')}</gmd:version></gmd:MD_Format></gmd:distributionFormat>
    <gmd:transferOptions><gmd:MD_DigitalTransferOptions>
      <gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://data.hub.example/wms?SERVICE=WMS&amp;REQUEST=GetCapabilities</gmd:URL></gmd:linkage><gmd:protocol>${cs('OGC:WMS')}</gmd:protocol><gmd:name>${cs(`layer_${i}`)}</gmd:name><gmd:function><gmd:CI_OnLineFunctionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_OnLineFunctionCode" codeListValue="browseGraphic"/></gmd:function></gmd:CI_OnlineResource></gmd:onLine>
      <gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://data.hub.example/files/${id}.tif</gmd:URL></gmd:linkage><gmd:protocol>${cs('WWW:DOWNLOAD-1.0-http--download')}</gmd:protocol><gmd:name>${cs(`${id}.tif`)}</gmd:name><gmd:function><gmd:CI_OnLineFunctionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_OnLineFunctionCode" codeListValue="download"/></gmd:function></gmd:CI_OnlineResource></gmd:onLine>
    </gmd:MD_DigitalTransferOptions></gmd:transferOptions>
  </gmd:MD_Distribution></gmd:distributionInfo>
  <gmd:dataQualityInfo><gmd:DQ_DataQuality>
    <gmd:scope><gmd:DQ_Scope><gmd:level><gmd:MD_ScopeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_ScopeCode" codeListValue="dataset"/></gmd:level></gmd:DQ_Scope></gmd:scope>
    <gmd:report><gmd:DQ_DomainConsistency><gmd:result><gmd:DQ_ConformanceResult>
      <gmd:specification><gmd:CI_Citation><gmd:title>${cs('Règlement (UE) n° 1089/2010 de la Commission du 23 novembre 2010 portant modalités d\'application de la directive 2007/2/CE du Parlement européen et du Conseil en ce qui concerne l\'interopérabilité des séries et des services de données géographiques')}</gmd:title><gmd:date><gmd:CI_Date><gmd:date><gco:Date>2010-12-08</gco:Date></gmd:date><gmd:dateType><gmd:CI_DateTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" codeListValue="publication"/></gmd:dateType></gmd:CI_Date></gmd:date></gmd:CI_Citation></gmd:specification>
      <gmd:explanation>${cs('Voir la spécification référencée')}</gmd:explanation>
      <gmd:pass><gco:Boolean>${i % 3 ? 'true' : 'false'}</gco:Boolean></gmd:pass>
    </gmd:DQ_ConformanceResult></gmd:result></gmd:DQ_DomainConsistency></gmd:report>
    <gmd:lineage><gmd:LI_Lineage><gmd:statement>${cs(`Classification supervisée d'images Sentinel-2 et Landsat, validée par ${40 + (i % 60)} relevés de terrain.`)}</gmd:statement></gmd:LI_Lineage></gmd:lineage>
  </gmd:DQ_DataQuality></gmd:dataQualityInfo>
</gmd:MD_Metadata>`;
}

/** A CSW 2.0.2 GetRecordsResponse page of generated records (for the local replay server). */
export function generatePage(start: number, count: number, matched: number): string {
  const returned = Math.max(0, Math.min(count, matched - start + 1));
  const records: string[] = [];
  for (let i = start; i < start + returned; i++) records.push(generateIsoRecord(i));
  return recordsPage(records, start, matched);
}

/** A GetRecordsResponse page holding `records` (ISO 19139 texts) at 1-based `start` of `matched`. */
export function recordsPage(records: readonly string[], start: number, matched: number): string {
  const returned = records.length;
  const next = start + returned > matched ? 0 : start + returned;
  return `<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:gmd="http://www.isotc211.org/2005/gmd" version="2.0.2">
  <csw:SearchStatus timestamp="2026-11-25T12:00:00Z"/>
  <csw:SearchResults numberOfRecordsMatched="${matched}" numberOfRecordsReturned="${returned}" nextRecord="${next}" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">
${records.join('\n')}
  </csw:SearchResults>
</csw:GetRecordsResponse>`;
}
