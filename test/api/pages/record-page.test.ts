/**
 * The record page lays out the DCAT-AP 3 properties (other titles, version notes, temporal resolution, applicable
 * legislation, publications, versions and their lineage, life-cycle status) in its sections, in both languages, rather than under "other properties".
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RELATED, recordPage } from '../../../api/pages/record-page.js';
import { fullRecord } from '../../schemas/sample-records.js';

const r = fullRecord();
const page = (lang: 'en' | 'fr'): string =>
  recordPage({
    lang,
    explicitLang: true,
    url: '/catalogue/records/x',
    stored: { id: r.identifier, source: 'ozcar-cryo', type: 'dataset', record: r },
  }).toString();

test('the DCAT-AP 3 properties are laid out with their labels, in English and in French', () => {
  const values = [
    ...r.alternative!.fr,
    r.versionNotes!.en,
    r.temporalResolution!,
    r.applicableLegislation![0]['@id'],
    r.isReferencedBy![0],
    r.hasVersion![0],
    r.isVersionOf![0],
    r.hasCurrentVersion![0],
    r.previousVersion![0],
    r.replaces![0],
    r.isReplacedBy![0],
  ];
  for (const [lang, labels] of [
    [
      'en',
      [
        'Other titles',
        'Version notes',
        'Temporal resolution',
        'Applicable legislation',
        'Publications',
        'Other versions',
        'Version of',
        'Current version',
        'Previous version',
        'Replaces',
        'Replaced by',
        'Status',
      ],
    ],
    [
      'fr',
      [
        'Autres titres',
        'Notes de version',
        'Résolution temporelle',
        'Législation applicable',
        'Publications',
        'Autres versions',
        'Version de',
        'Version en cours',
        'Version précédente',
        'Remplace',
        'Remplacée par',
        'Statut',
      ],
    ],
  ] as const) {
    const html = page(lang);
    for (const l of labels) assert.ok(html.includes(`<dt>${l}</dt>`), `${lang}: ${l}`);
    assert.ok(html.includes(`<dd>${r.status!.prefLabel[lang]}</dd>`), `${lang}: status ${r.status!.prefLabel[lang]}`);
    for (const v of values) assert.ok(html.includes(v.replace(/&/g, '&amp;').replace(/’/g, '’')), `${lang}: ${v}`);
    // a distribution's checksum, named as checksum tools name their algorithm
    assert.ok(html.includes(`<dt>${lang === 'en' ? 'Checksum' : 'Somme de contrôle'}</dt>`), `${lang}: checksum`);
    assert.ok(
      html.includes(`SHA-256 <code class="checksum">${r.distribution![0].checksum!.checksumValue}</code>`),
      `${lang}: checksum value`,
    );
    // none of them left to "other properties"
    for (const k of ['alternative', 'versionNotes', 'temporalResolution', 'applicableLegislation', 'isReferencedBy', 'status', ...RELATED])
      assert.not.ok(html.includes(`>${k}<`), `${lang}: ${k} under other properties`);
  }
});

test.run();
