import { z } from 'zod';
import { reportingRuleSchema } from '../rules/reporting';

/**
 * A specification item and the specification interchange document (JSON), shared by the
 * editor, the import/export of specifications between plants, and the GB spec packs in
 * resources/spec-packs/. Limits are decimal strings so stated digits survive ("1.20").
 */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, { message: 'decimal_string' });

export const itemGroups = ['macronutrients', 'vitamins', 'minerals', 'optional', 'contaminants', 'microbiology', 'other'] as const;
export const limitForms = ['range', 'minimum', 'maximum', 'equals', 'not_detected', 'sampling_plan', 'report_only'] as const;
export const bases = ['per_100g', 'per_100ml', 'per_100kj', 'per_100kcal', 'per_kg', 'per_g', 'per_25g', 'per_100g_sample', 'as_is', 'ratio'] as const;
export const comparisonMethods = ['full_value', 'rounded_value'] as const;
export const frequencies = ['every_lot', 'every_nth_lot', 'periodic'] as const;
/**
 * Where a limit value comes from: `verified` (sourced and checked), `unverified` (a source
 * exists but was not checked against the official text), `missing` (no sourced value: the
 * limit is empty), `confirmed` (a QA manager checked it against the official text),
 * `plant` (the plant's own, stricter rule).
 */
export const verificationStates = ['verified', 'unverified', 'missing', 'confirmed', 'plant'] as const;

/**
 * Where a value comes from, as a QA manager finds it in the official text (issue 22 §4): the
 * standard with its edition ("GB 10765-2021"), the table ("表 2"; null when the value is not in
 * a table of it) and the row (the row's name in that table, e.g. "维生素A").
 */
export const specOriginSchema = z
  .object({
    standard: z.string().trim().min(1).max(60),
    table: z.string().trim().min(1).max(20).nullable(),
    row: z.string().trim().min(1).max(120).nullable(),
  })
  .strict();
export type SpecOrigin = z.infer<typeof specOriginSchema>;

export const specItemSchema = z
  .object({
    code: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'item_code' }),
    name_zh: z.string().trim().min(1).max(120),
    name_en: z.string().trim().min(1).max(120),
    group: z.enum(itemGroups),
    method_code: z.string().trim().max(60).nullable(),
    unit: z.string().trim().max(40),
    basis: z.enum(bases),
    limit_form: z.enum(limitForms),
    min: decimalString.nullable(),
    max: decimalString.nullable(),
    target: decimalString.nullable(),
    lod: decimalString.nullable(),
    /**
     * The limit of quantification (定量限, issue 22 §7, D-088), in the item's unit and basis: a
     * measured value below it is reported "<LOQ" ("<0.1"); the verdict is still the rounded
     * value's. Optional so that documents and packs without it stay valid.
     */
    loq: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' })
      .nullable()
      .optional(),
    /** Microbiological sampling plan: n units, c allowed above m, none above M. */
    n: z.number().int().min(1).max(60).nullable(),
    c: z.number().int().min(0).max(60).nullable(),
    m: decimalString.nullable(),
    big_m: decimalString.nullable(),
    /** Decimal places of the reported value (GB/T 8170 rounding). */
    precision: z.number().int().min(0).max(8).nullable(),
    /**
     * A reporting rule beyond decimals (issue 20 §2): a rounding interval, significant
     * figures, or the GB 4789.2 colony-count rule (src/shared/rules/reporting.ts). Absent or
     * null: `precision` decimals. Optional so that documents without it stay valid.
     */
    reporting: reportingRuleSchema.nullable().optional(),
    comparison: z.enum(comparisonMethods),
    required_for_release: z.boolean(),
    in_house_only: z.boolean(),
    frequency: z.enum(frequencies),
    frequency_n: z.number().int().min(2).max(1000).nullable(),
    period_days: z.number().int().min(1).max(3660).nullable(),
    /** A calculated item: formula over other items' codes (energy, ratios, per-100 kJ). */
    formula: z.string().trim().max(400).nullable(),
    clause: z.string().trim().max(200).nullable(),
    source: z.string().trim().max(400).nullable(),
    verification: z.enum(verificationStates),
    note: z.string().trim().max(1000).nullable(),
    /** Where the value comes from (standard, table, row); optional so that documents without it stay valid. */
    origin: specOriginSchema.nullable().optional(),
    /**
     * For developers only, never displayed: how a pack's value was sourced (files, links,
     * extraction notes). Not stored with the specification.
     */
    provenance: z.string().max(4000).nullable().optional(),
  })
  .strict();
export type SpecItem = z.infer<typeof specItemSchema>;

export const SPEC_DOCUMENT_SCHEMA = 'lotseal.specification/1';

/** A specification version as exchanged between plants (and as shipped in spec packs). */
export const specDocumentSchema = z
  .object({
    schema: z.literal(SPEC_DOCUMENT_SCHEMA),
    /** For packs: a stable id such as "gb-10765-2021-milk". */
    pack_id: z.string().max(80).optional(),
    title_zh: z.string().trim().min(1).max(200),
    title_en: z.string().trim().min(1).max(200),
    subject_kind: z.enum(['product', 'material']),
    /** The product stage or material kind the document is meant for. */
    applies_to: z.string().max(80),
    standard: z.string().max(120).nullable(),
    version_note: z.string().max(2000).nullable(),
    /** For developers only, never displayed: how the pack was generated and from which sources. */
    provenance: z.string().max(4000).nullable().optional(),
    items: z.array(specItemSchema).min(1).max(400),
  })
  .strict();
export type SpecDocument = z.infer<typeof specDocumentSchema>;
