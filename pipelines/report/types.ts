/**
 * The validation report of `harvester validate` and `POST /validate`: what each record would become, what is wrong
 * with it and where, and how FAIR it is. Its JSON form is documented by schemas/validation-report.schema.json.
 */
import type { SourceWarning } from '../../core/warnings.js';
import type { ParamValue, WarningCode } from '../../core/texts/render.js';
import type { DcatGap, FairAssessment, Methodologies, Rating } from '../../mappings/fair/index.js';
import type { XsdVerdict } from '../xsd.js';

/** A blocking problem: the record cannot be harvested as it is. */
export interface RecordError {
  stage: string;
  message: string;
  /** Where in the source, when known (a JSON Pointer, an element path, a line). */
  at?: string;
  /**
   * The form of the message (core/texts/messages-en.ts: `error.xml.malformed`, an xmllint form `xsd.*`...) and its
   * values, so that a report renders it in its reader's language; absent when the message is of no known form.
   */
  code?: WarningCode;
  params?: Record<string, ParamValue>;
}

/** What a reader said about a source (not a record), with the code and values of its form when it has a known one. */
export interface ReportNotice {
  level: 'info' | 'warn';
  message: string;
  code?: WarningCode;
  params?: Record<string, ParamValue>;
}

export type RecordStatus = 'error' | 'warnings' | 'ok';

export interface RecordReport {
  /** The record's identifier in its source (fileIdentifier, STAC id, datasetId), else where it was found. */
  id: string;
  title?: string;
  /** File or URL, and position in it. */
  location: string;
  /** isPrimaryTopicOf.sourceFormat: iso19139, iso19115-2, iso19115-3, stac-collection, stac-item, ozcar-dataset. */
  format?: string;
  status: RecordStatus;
  errors: RecordError[];
  warnings: SourceWarning[];
  /** The DCAT-AP mandatory values it lacks (the DCAT-AP export's rule). */
  dcatGaps: DcatGap[];
  /** XML schema verdict (--xsd, ISO records). */
  xsd?: XsdVerdict;
  /** Its MQA and F-UJI assessment: what varies from record to record (the rest: the report's `methodologies`). */
  fair?: FairAssessment;
}

export interface ReportSummary {
  records: number;
  ok: number;
  withErrors: number;
  withWarnings: number;
  /** Records whose MQA points are under --fail-under. */
  belowFailUnder: number;
  mqa: {
    average: number;
    min: number;
    max: number;
    ratings: Record<Rating, number>;
    /** Records per band of 50 points: "0-49", "50-99", ... "400-405". */
    distribution: Record<string, number>;
    /** Points of the URL indicators left unchecked (--links not given). */
    notChecked: number;
  };
  fuji: { average: number; max: number };
}

/**
 * The version of the report's JSON form (schemas/validation-report.schema.json): 2 states the methodologies once, in
 * `methodologies`, and each record's `fair` only what varies (version 1, without the field, repeated every indicator's
 * label and weight and every metric's and test's name in each record).
 */
export const REPORT_VERSION = 2;

export interface ValidationReport {
  tool: 'fair-harvester validate';
  reportVersion: typeof REPORT_VERSION;
  generatedAt: string;
  sources: string[];
  options: { links: boolean; xsd: boolean; strict: boolean; failUnder?: number; thesaurus: string };
  /** MQA's dimensions, indicators (label, weight) and rating bands, F-UJI's metrics and tests (name, points): once. */
  methodologies: Methodologies;
  summary: ReportSummary;
  /** What the readers said about the sources (not records): output schema chosen, pages, dropped observations. */
  notices: ReportNotice[];
  /** The worst first: errors, then warnings, then by MQA points, lowest first. */
  records: RecordReport[];
  /** 0: every record can be harvested (and none is under --fail-under); 1: some cannot. */
  exitCode: 0 | 1;
}

/** A report without its records: what the formatters write before (and after) the records. */
export type ReportHead = Omit<ValidationReport, 'records'>;

/** What the report's order and the JUnit suites need of a record, without reading it. */
export interface RecordKey {
  status: RecordStatus;
  /** Its MQA points; undefined when it has no FAIR assessment. */
  points?: number;
  format?: string;
  /** It has blocking errors. */
  errors: boolean;
}

/**
 * The records of a report, the worst first, read as the formatters need them (pipelines/report/spool.ts keeps them
 * in a file; a formatter never holds more than one at a time).
 */
export interface ReportRecords {
  readonly count: number;
  /** The keys, in the report's order. */
  keys(): Iterable<RecordKey>;
  /** The records in the report's order; with `only`, those whose key it accepts (the others are not read). */
  records(only?: (key: RecordKey) => boolean): Iterable<RecordReport>;
  /** Each record as its compact JSON text (JSON.stringify), in the report's order. */
  json(): Iterable<string>;
}
