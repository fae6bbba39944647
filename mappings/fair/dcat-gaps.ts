/**
 * The DCAT-AP mandatory values a record lacks: the DCAT-AP export's one rule (schemas/dcat-gaps.ts), used as it is by
 * the validation report and by the MQA's "DCAT-AP conformance" indicator.
 */
export { dcatGaps, type DcatGap } from '../../schemas/dcat-gaps.js';
