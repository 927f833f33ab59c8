/** The record types of this capability live with the ledger (src/main/ledger/records/, D-067): verification knows every table without loading a capability. */
export * from '../ledger/records/documents';
