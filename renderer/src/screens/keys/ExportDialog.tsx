import { useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { Dialog } from '../../components/Dialog';
import { errorMessage } from '../../state/errors';
import { useConsole } from '../../state/store';
import { copyText, downloadText } from './download';

export function ExportDialog() {
  const dialog = useConsole((s) => s.exportDialog);
  const error = useConsole((s) => s.errors.export);
  const close = useConsole((s) => s.closeExport);
  if (!dialog) return null;
  const { data } = dialog;
  return (
    <Dialog title="Export public key" onClose={close} testId="export-dialog" wide>
      <p className="dialog-lead">
        Kid <code className="kid">{dialog.kid}</code>. Only the public half is shown; the private key never leaves the console.
      </p>
      <ErrorAlert message={error} testId="export-error" />
      {!data && !error && <p className="busy">Loading…</p>}
      {data && (
        <>
          <ExportBlock title={`PEM (${data.fileName})`} text={data.pem} fileName={data.fileName} mime="application/x-pem-file" testId="export-pem" />
          <ExportBlock
            title="keys.yml fragment"
            text={data.keysYml}
            fileName={data.fileName.replace(/\.pem$/i, '') + '.keys.yml'}
            mime="application/yaml"
            testId="export-yml"
          />
        </>
      )}
    </Dialog>
  );
}

function ExportBlock(props: { title: string; text: string; fileName: string; mime: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `${props.testId}-title`;

  async function onCopy() {
    setError(null);
    try {
      await copyText(props.text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="export-block" aria-labelledby={headingId}>
      <div className="export-head">
        <h3 id={headingId} className="block-title">
          {props.title}
        </h3>
        <div className="button-row">
          <button type="button" className="button button-small" onClick={() => void onCopy()} aria-label={`Copy ${props.title}`}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => downloadText(props.fileName, props.text, props.mime)}
            aria-label={`Download ${props.title}`}
          >
            Download
          </button>
        </div>
      </div>
      <pre className="code-block" data-testid={props.testId} tabIndex={0}>
        {props.text}
      </pre>
      <ErrorAlert message={error} onDismiss={() => setError(null)} />
    </section>
  );
}
