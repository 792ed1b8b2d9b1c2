// How an answer value reads, by its shape: the rules live in shared/downstream/values.ts, where the
// services and the page's worker run them too (filtering, sorting and CSV of big payloads).
export * from '../../../../../shared/downstream/values';
