import { decimalString } from '../catalog/spec-schema';
import { codeSchema } from './channels/catalog';

/**
 * The contract's text formats asked as yes/no, for the places that check a value that is not
 * a channel input of their own (is this reported value a number to chart? is this limit a
 * decimal?). The rules are the contract's schemas themselves, so a screen never keeps a copy
 * of a regular expression (issue 21 §4). A channel's input is checked by its own schema
 * (renderer ui/contract-form.ts).
 */
export const isDecimalText = (v: unknown): v is string => decimalString.safeParse(v).success;

/** A code of the catalogue's form (spec, site, instrument, panel codes). */
export const isCodeText = (v: unknown): v is string => codeSchema.safeParse(v).success;
