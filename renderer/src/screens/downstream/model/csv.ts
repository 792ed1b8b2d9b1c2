// The Downstream screen's tables as CSV: the rules live in shared/downstream/tables-csv.ts, so the
// services and the page's worker write the CSV of a big payload's answers the same way.
export * from '../../../../../shared/downstream/tables-csv';
