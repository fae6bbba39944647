/**
 * The `validate` command: a data centre checks its feed before the hub harvests it. Files, folders, "-" (names on
 * standard input) or URLs (read by the same harvesters as `harvest`) -> a report on stdout or in --out: text (colour on
 * a terminal), JSON (schemas/validation-report.schema.json), JUnit XML for CI, or one HTML page. Never touches the index.
 * The records wait in a spool file while the sources are read, and the report is written from it as a stream: memory
 * stays flat with the catalogue's size.
 */
import { UsageError } from '../../core/result.js';
import { createSsrfGuard, ssrfAllowFromEnv } from '../../core/ssrf.js';
import { builtinThesaurus, readThesaurus } from '../../pipelines/theia.js';
import { validateToSpool, type ValidateInput, type ValidateType } from '../../pipelines/validate.js';
import { htmlReads, htmlReport, type ReportLang } from '../../pipelines/report/html.js';
import { jsonReport } from '../../pipelines/report/json.js';
import { junitReads, junitReport } from '../../pipelines/report/junit.js';
import { writeReport } from '../../pipelines/report/output.js';
import { textReads, textReport } from '../../pipelines/report/text.js';
import type { RecordReport, ReportHead, ReportRecords } from '../../pipelines/report/types.js';
import type { Values } from './args.js';
import { exitOnSignals } from '../../core/exit-cleanup.js';
import { checkSourceId, inputs, pathKind } from './inputs.js';
import { checkOutFile, openOutFile } from './out-file.js';

const FORMATS = ['text', 'json', 'html', 'junit'] as const;
type Format = (typeof FORMATS)[number];
const TYPES = ['csw', 'stac', 'stac-api', 'ozcar', 'resto', 'auto'];

const isUrl = (a: string) => /^https?:\/\//i.test(a);

/**
 * The report in the format asked for, piece by piece (the records read from the spool one at a time). JSON is indented
 * for a few records (people read those), compact for a catalogue (a machine does).
 */
export function* render(
  head: ReportHead,
  records: ReportRecords,
  format: Format,
  opts: { colour?: boolean; all?: boolean; lang?: ReportLang } = {},
): Generator<string> {
  switch (format) {
    case 'json':
      yield* jsonReport(head, records, records.count <= 50 ? 2 : undefined);
      yield '\n';
      return;
    case 'junit':
      return yield* junitReport(head, records);
    case 'html':
      return yield* htmlReport(head, records, opts.lang);
    case 'text':
      return yield* textReport(head, records, opts);
  }
}

/** What each format reads of a record: the spool keeps only that (JSON: everything). */
const READS: Record<Format, ((r: RecordReport) => RecordReport) | undefined> = {
  json: undefined,
  text: textReads,
  html: htmlReads,
  junit: junitReads,
};

async function* validateInputs(args: string[], type: ValidateType): AsyncGenerator<ValidateInput> {
  for (const arg of args) {
    if (isUrl(arg)) yield { url: arg, type };
    else yield* inputs([arg]);
  }
}

/** Runs `harvester validate`; returns the exit status (0 every record can be harvested, 1 some cannot). */
export async function validateCommand(values: Values, args: string[]): Promise<number> {
  if (args.length === 0) throw new UsageError('validate needs at least one FILE, FOLDER, URL or - (names on standard input)');
  const format = (values.format as string | undefined) ?? 'text';
  if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be text, json, html or junit (got "${format}")`, '--format');
  const type = (values.type as string | undefined) ?? 'auto';
  if (!TYPES.includes(type)) throw new UsageError(`--type must be csw, stac, stac-api, ozcar, resto or auto (got "${type}")`, '--type');
  let failUnder: number | undefined;
  if (values['fail-under'] !== undefined) {
    failUnder = Number(values['fail-under']);
    if (!Number.isFinite(failUnder) || failUnder < 0 || failUnder > 405)
      throw new UsageError(
        `--fail-under must be a number of MQA points from 0 to 405 (got "${String(values['fail-under'])}")`,
        '--fail-under',
      );
  }
  if (values.strict && !values.xsd) throw new UsageError('--strict makes XML schema errors blocking: it goes with --xsd', '--strict');
  const lang = values.lang as ReportLang | undefined;
  if (lang !== undefined && lang !== 'fr' && lang !== 'en')
    throw new UsageError(`--lang must be fr or en (got "${String(lang)}")`, '--lang');
  if (lang !== undefined && format !== 'html')
    throw new UsageError('--lang is the language of the HTML report: it goes with --format html', '--lang');
  const source = checkSourceId((values.source as string | undefined) ?? 'validate', '--source');
  if (args.filter((a) => a === '-').length > 1) throw new UsageError('"-" (names on standard input) may be given once');
  for (const a of args) if (a !== '-' && !isUrl(a)) pathKind(a);
  // where the report goes is checked before the sources are read (not after minutes of validation)
  if (values.out !== undefined) checkOutFile(values.out as string);
  // what the operator allows the hub's fetches (HUB_SSRF_ALLOW, as serve and the harvests read it), then --allow
  let envAllow: string[];
  try {
    envAllow = ssrfAllowFromEnv();
  } catch (err) {
    throw new UsageError((err as Error).message, 'HUB_SSRF_ALLOW');
  }
  const allow = (values.allow as string[] | undefined) ?? [];
  // the hosts of the sources given here are the user's own: reachable; everything a record gives goes through the guard
  const sourceHosts = args.filter(isUrl).map((u) => new URL(u).hostname.replace(/^\[|\]$/g, ''));
  let guard;
  try {
    guard = createSsrfGuard([...envAllow, ...allow, ...sourceHosts]);
  } catch (err) {
    throw new UsageError(`--allow: ${(err as Error).message}`, '--allow');
  }
  if (values.thesaurus !== undefined) {
    // a missing thesaurus is said as such, not as a SKOS file that could not be parsed (with node's ENOENT)
    let kind;
    try {
      kind = pathKind(values.thesaurus as string, 'file');
    } catch (err) {
      throw new UsageError(`--thesaurus: ${(err as Error).message}`, '--thesaurus');
    }
    if (kind === 'folder') throw new UsageError(`--thesaurus: ${String(values.thesaurus)} is a folder: give the SKOS file`, '--thesaurus');
  }
  const thesaurus = values.thesaurus ? await readThesaurus(values.thesaurus as string) : builtinThesaurus();
  const links = values.links ? new (await import('../../pipelines/links.js')).LinkChecker({ guard }) : undefined;
  // Ctrl-C or a SIGTERM: the process ends, and the spool file with it (pipelines/report/spool.ts removes it at exit)
  const signalsOff = exitOnSignals();
  try {
    const report = await validateToSpool(
      validateInputs(args, type as ValidateType),
      {
        source,
        xsd: values.xsd === true,
        strict: values.strict === true,
        ...(links ? { links } : {}),
        thesaurus,
        guard,
        ...(failUnder !== undefined ? { failUnder } : {}),
      },
      READS[format as Format],
    );
    try {
      const out = values.out as string | undefined;
      const colour = !out && format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const parts = render(report.head, report.records, format as Format, {
        colour,
        all: values.verbose === true,
        ...(lang ? { lang } : {}),
      });
      if (out) {
        // the report takes its name only when complete: a failed write leaves the previous one as it was
        const file = await openOutFile(out);
        try {
          await writeReport(parts, file.stream);
          await file.commit();
        } catch (err) {
          file.discard();
          throw err;
        }
        const s = report.head.summary;
        process.stderr.write(
          `${s.records} records, ${s.withErrors} with errors, ${s.withWarnings} with warnings, MQA average ${s.mqa.average}: report in ${out}\n`,
        );
      } else await writeReport(parts, process.stdout, { end: false });
      return report.head.exitCode;
    } finally {
      report.close();
    }
  } finally {
    signalsOff();
  }
}
