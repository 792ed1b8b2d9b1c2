// Rows for the answers table of a 0.0.3 payload, and the list grouping around them: the rules live
// in shared/downstream/answers.ts, where the services and the page's worker run them too.
export * from '../../../../../shared/downstream/answers';
