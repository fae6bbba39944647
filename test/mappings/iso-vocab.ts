/** IRIs and literal builders the ISO crosswalk tests compare records with. */
export const INSPIRE = 'http://inspire.ec.europa.eu/metadata-codelist/';
export const ROLE = INSPIRE + 'ResponsiblePartyRole/';
export const LANG = 'http://publications.europa.eu/resource/authority/language/';
export const AR = 'http://publications.europa.eu/resource/authority/access-right/';
export const date = (v: string) => ({ '@value': v, '@type': 'xsd:date' });
export const dateTime = (v: string) => ({ '@value': v, '@type': 'xsd:dateTime' });
export const wkt = (v: string) => ({ '@value': v, '@type': 'gsp:wktLiteral' });
