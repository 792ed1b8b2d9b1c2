import { useMemo, useState } from 'react';
import { answerCount, PAGED_ANSWERS } from '../../../../shared/downstream/answer-table';
import { isObj } from '../../../../shared/downstream/check';
import type { DownstreamItem } from '../../../../shared/downstream/types';
import { payloadStem } from '../../../../shared/export-names';
import { ErrorAlert } from '../../components/Alert';
import { RelaunchButton } from '../../components/RelaunchButton';
import { useConsole } from '../../state/store';
import { downloadExport } from '../keys/download';
import { ItemBadges } from './ItemBadges';
import { failureText, plural, TYPE_LABELS } from './labels';
import { answerCodes, keyValueRows, listsOf, type ListInfo } from './model/answers';
import { dataKindOf, envelopeFacts, metadataField, metadataRows } from './model/envelope';
import { canRead } from './model/items';
import { messageAfterPath, problemTarget, type ProblemTarget } from './model/problems';
import { AnswerCodesTable, AnswersTable, KeyValueTable, type AnswersInput, type Highlight } from './PayloadTables';

/** One payload, read: what it is, what is wrong with it, its envelope, metadata and data. */
export function Reader({ item }: { item: DownstreamItem }) {
  const entry = useConsole((s) => s.downstreamPayloads[item.id]);
  const load = useConsole((s) => s.loadDownstreamPayload);
  const readable = canRead(item);
  const [target, setTarget] = useState<(ProblemTarget & { nonce: number }) | null>(null);
  const highlightFor = (section: ProblemTarget['section']): Highlight | null =>
    target && target.section === section ? { id: target.rowId, nonce: target.nonce } : null;

  const payloadJson = useConsole((s) => s.downstreamPayloadJson);
  const [exportError, setExportError] = useState<string | null>(null);
  const payload = entry?.status === 'ready' ? entry.data : undefined;
  const paged = entry?.status === 'ready' && entry.paged === true;
  const txId = item.summary.txId ?? (isObj(payload) && typeof payload.tx_id === 'string' ? payload.tx_id : '');
  const exportStem = payloadStem(item.source, txId);

  async function exportJson() {
    setExportError(null);
    try {
      // A paged payload's answers are not in the page: the whole payload is written where it is held.
      downloadExport(exportStem, 'json', paged ? await payloadJson(item.id) : `${JSON.stringify(payload, null, 2)}\n`);
    } catch (err) {
      setExportError(`Could not export the payload: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return (
    <section className="panel reader" aria-labelledby="reader-title" data-testid="reader">
      <div className="panel-head reader-head">
        <div className="reader-heading">
          <h2 id="reader-title" className="panel-title reader-title" title={item.source}>
            {item.source}
          </h2>
          <p className="reader-sub">
            {item.failure && item.payloadVersion === 'unknown' && item.type === 'unknown' ? (
              `${item.kind === 'jwe' ? 'JWE' : 'JSON'} · opening stopped at ${item.failure.stage}`
            ) : (
              <>
                {TYPE_LABELS[item.type]} · {item.payloadVersion === 'unknown' ? 'unknown payload version' : item.payloadVersion} · data{' '}
                {item.dataVersion === 'unknown' ? 'version unknown' : item.dataVersion}
              </>
            )}
          </p>
        </div>
        <div className="button-row reader-actions">
          <ItemBadges item={item} />
          {payload !== undefined && <RelaunchButton small from={() => ({ kind: 'payload', payload, source: item.source })} />}
          <button type="button" className="button button-small" disabled={payload === undefined} data-testid="export-json" onClick={() => void exportJson()}>
            Export JSON
          </button>
        </div>
      </div>

      {item.failure && (
        <div className="alert alert-error reader-failure" role="alert" data-testid="reader-failure">
          <span className="alert-text">{failureText(item)}</span>
        </div>
      )}
      {!readable && <Headers item={item} />}
      {readable && (!entry || entry.status === 'loading') && (
        <p className="busy" data-testid="payload-progress">
          {(item.summary.answers ?? 0) > PAGED_ANSWERS
            ? `Loading the payload (${item.summary.answers!.toLocaleString('en-GB')} answers, shown a window at a time)…`
            : 'Loading the payload…'}
        </p>
      )}
      <ErrorAlert message={exportError} onDismiss={() => setExportError(null)} testId="export-error" />
      {entry?.status === 'error' && (
        <>
          <ErrorAlert message={`Could not fetch the payload: ${entry.error}`} testId="payload-error" />
          {entry.retryable && (
            <div className="button-row">
              <button type="button" className="button button-small" onClick={() => void load(item.id)}>
                Try again
              </button>
            </div>
          )}
        </>
      )}

      {item.problems.length > 0 && (
        <Problems
          item={item}
          onPick={(path) => {
            const t = problemTarget(path);
            setTarget(t && { ...t, nonce: Date.now() });
          }}
        />
      )}

      {payload !== undefined && (
        <PayloadBody
          itemId={item.id}
          total={paged ? (item.summary.answers ?? 0) : answerCount(payload)}
          paged={paged}
          payload={payload}
          exportStem={exportStem}
          highlightFor={highlightFor}
        />
      )}
    </section>
  );
}

/**
 * What a JWE that did not open still tells: its headers name the keys it wants. The JWS header
 * is inside the encryption, so it is there only when decryption worked.
 */
function Headers({ item }: { item: DownstreamItem }) {
  if (item.kind !== 'jwe') return null;
  return (
    <div className="reader-section" data-testid="reader-headers">
      <h3 className="block-title">Token headers</h3>
      <div className="token-headers">
        <TokenHeader
          label="JWE header"
          header={item.jweHeader}
          missing="Not readable: this is not a compact JWE with a JSON header."
          testId="reader-jwe-header"
        />
        <TokenHeader
          label="JWS header"
          header={item.jwsHeader}
          missing={
            item.decrypted
              ? 'Not readable: what the JWE holds is not a compact JWS with a JSON header.'
              : 'The JWS header is inside the encryption, and the JWE could not be decrypted to read it.'
          }
          testId="reader-jws-header"
        />
      </div>
    </div>
  );
}

function TokenHeader({ label, header, missing, testId }: { label: string; header?: Record<string, unknown>; missing: string; testId: string }) {
  return (
    <div className="token-header">
      <h4 className="token-header-title">{label}</h4>
      {header ? (
        <pre className="code-block" data-testid={testId}>
          {JSON.stringify(header, null, 2)}
        </pre>
      ) : (
        <p className="muted">{missing}</p>
      )}
    </div>
  );
}

function Problems({ item, onPick }: { item: DownstreamItem; onPick: (path: string) => void }) {
  return (
    <div className="reader-section" data-testid="problems">
      <h3 className="block-title">
        {plural(item.problems.length, 'problem')} <span className="muted">against the spec</span>
      </h3>
      <ul className="problem-list reader-problems">
        {item.problems.map((p, i) => (
          <li key={i}>
            {p.path ? (
              <button type="button" className="link-button problem-path" title="Show where this is" onClick={() => onPick(p.path)}>
                {p.path}
              </button>
            ) : (
              <code className="problem-path">(payload)</code>
            )}{' '}
            <span>{messageAfterPath(p.path, p.message)}</span>
            {p.rule === 'consistency' && <span className="tag tag-rule">upstream rule</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function PayloadBody({
  itemId,
  total,
  paged,
  payload,
  exportStem,
  highlightFor,
}: {
  itemId: string;
  total: number;
  paged: boolean;
  payload: unknown;
  exportStem: string;
  highlightFor: (s: ProblemTarget['section']) => Highlight | null;
}) {
  const facts = useMemo(() => envelopeFacts(payload), [payload]);
  const metadata = useMemo(() => metadataRows(payload).map((m) => ({ key: m.key, text: m.value })), [payload]);
  const kind = dataKindOf(payload);
  const data = isObj(payload) ? payload.data : undefined;
  const envelopeHighlight = highlightFor('envelope');

  return (
    <>
      <div className="reader-section">
        <h3 className="block-title">Envelope</h3>
        <dl className="facts" data-testid="envelope">
          {facts.map((f) => (
            <div key={f.term + f.path} className={f.path && envelopeHighlight?.id === f.path ? 'fact fact-highlight' : 'fact'}>
              <dt>{f.term}</dt>
              <dd className={f.absent ? 'muted' : undefined}>{f.mono ? <code>{f.value}</code> : f.value}</dd>
            </div>
          ))}
        </dl>
      </div>

      <div className="reader-section">
        <h3 className="block-title">
          {metadataField(payload)} <span className="count">({metadata.length})</span>
        </h3>
        {metadata.length ? (
          <KeyValueTable
            rows={metadata}
            keyHeader="Key"
            label="Survey metadata"
            testId="metadata"
            exportStem={`${exportStem}-metadata`}
            highlight={highlightFor('metadata')}
          />
        ) : (
          <p className="muted">None in this payload.</p>
        )}
      </div>

      {kind === 'answers' && <AnswersData itemId={itemId} total={total} paged={paged} data={data} exportStem={exportStem} highlightFor={highlightFor} />}
      {kind === 'qcodes' && (
        <div className="reader-section">
          <h3 className="block-title">Answers by q_code</h3>
          <KeyValueTable
            rows={keyValueRows(data)}
            keyHeader="q_code"
            label="Answers by q_code"
            testId="qcodes"
            exportStem={`${exportStem}-qcodes`}
            highlight={highlightFor('data')}
            monoKeys
          />
        </div>
      )}
      {(kind === 'feedback' || kind === 'user_research') && (
        <div className="reader-section">
          <h3 className="block-title">{kind === 'feedback' ? 'Feedback' : 'User research'}</h3>
          <KeyValueTable
            rows={keyValueRows(data)}
            keyHeader="Field"
            label={kind === 'feedback' ? 'Feedback' : 'User research'}
            testId="fields"
            exportStem={`${exportStem}-${kind}`}
            highlight={highlightFor('data')}
          />
        </div>
      )}
      {kind === 'unknown' && (
        <div className="reader-section">
          <h3 className="block-title">Data</h3>
          <pre className="code-block code-block-tall">{JSON.stringify(data, null, 2) ?? 'No data.'}</pre>
        </div>
      )}
    </>
  );
}

function AnswersData({
  itemId,
  total,
  paged,
  data,
  exportStem,
  highlightFor,
}: {
  itemId: string;
  /** How many answers the payload has (data.answers is empty in a paged payload). */
  total: number;
  paged: boolean;
  data: unknown;
  exportStem: string;
  highlightFor: (s: ProblemTarget['section']) => Highlight | null;
}) {
  const answersOf = useConsole((s) => s.downstreamAnswers);
  const lists = useMemo(() => listsOf(data), [data]);
  const codes = useMemo(() => answerCodes(data), [data]);
  const answers = useMemo<AnswersInput>(
    () => (paged ? { kind: 'paged', answers: answersOf(itemId) } : { kind: 'memory', data }),
    [paged, answersOf, itemId, data],
  );
  const supplementary = isObj(data) ? data.supplementary_data : undefined;
  return (
    <>
      <div className="reader-section">
        <h3 className="block-title">
          Answers <span className="count">({total.toLocaleString('en-GB')})</span>
        </h3>
        <AnswersTable answers={answers} lists={lists} exportStem={`${exportStem}-answers`} highlight={highlightFor('answers')} />
      </div>
      {lists.length > 0 && <Lists lists={lists} highlight={highlightFor('lists')} />}
      {codes.length > 0 && (
        <div className="reader-section">
          <h3 className="block-title">
            Answer codes <span className="count">({codes.length})</span>
          </h3>
          <AnswerCodesTable rows={codes} exportStem={`${exportStem}-answer-codes`} highlight={highlightFor('answer_codes')} />
        </div>
      )}
      {supplementary !== undefined && (
        <details className="reader-section json-details" data-testid="supplementary-data">
          <summary className="block-title">Supplementary data</summary>
          <pre className="code-block code-block-tall" tabIndex={0}>
            {JSON.stringify(supplementary, null, 2)}
          </pre>
        </details>
      )}
    </>
  );
}

function Lists({ lists, highlight }: { lists: ListInfo[]; highlight: Highlight | null }) {
  return (
    <div className="reader-section" data-testid="lists">
      <h3 className="block-title">
        Lists <span className="count">({lists.length})</span>
      </h3>
      <ul className="list-cards">
        {lists.map((l, i) => (
          <li key={`${l.name}-${i}`} className={highlight?.id === String(i) ? 'list-card fact-highlight' : 'list-card'}>
            <div className="list-card-head">
              <strong>{l.name || '(no name)'}</strong> <span className="muted">{plural(l.items.length, 'item')}</span>
            </div>
            <ol className="list-items">
              {l.items.map((id) => (
                <li key={id}>
                  <code>{id}</code>
                  {l.primaryPerson === id && <span className="badge badge-primary">primary person</span>}
                  {l.sameNameItems.includes(id) && <span className="badge badge-neutral">same name</span>}
                  {l.mappings
                    .filter((m) => m.listItemId === id)
                    .map((m) => (
                      <span key={m.identifier} className="muted list-mapping">
                        supplementary data {m.identifier}
                      </span>
                    ))}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </div>
  );
}
