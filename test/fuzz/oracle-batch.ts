// sdc-oracle (jwcrypto) on many tokens in one Python process. The tool reads one token per run
// and a run is mostly Python starting and importing jwcrypto; its README offers no batch mode. So
// this loads the tool itself as a module and calls its own `decrypt` command once per token,
// stdin and stdout swapped for each, and each key store parsed once: the verdicts are the tool's,
// the start-up and the RSA key parsing are paid once.
import { spawnSync } from 'node:child_process';
import { ORACLE } from '../support/shared';

export interface OracleJob {
  token: string;
  /** An sdc key store file. */
  keys: string;
  purpose: 'authentication' | 'submission';
}

export interface OracleVerdict {
  accepted: boolean;
  /** The claims or payload jwcrypto read, when it accepted. */
  value?: unknown;
  /** Why it refused ("rejected: …"), when it did. */
  reason?: string;
}

const DRIVER = `
import argparse, contextlib, functools, importlib.machinery, importlib.util, io, json, sys
loader = importlib.machinery.SourceFileLoader("sdc_oracle", sys.argv[1])
spec = importlib.util.spec_from_loader("sdc_oracle", loader)
oracle = importlib.util.module_from_spec(spec)
loader.exec_module(oracle)
# Parsing a store's RSA keys is most of a run's cost; the verdicts do not depend on parsing them again.
oracle.load_store = functools.lru_cache(maxsize=None)(oracle.load_store)
jobs = json.load(sys.stdin)
results = []
for job in jobs:
    out, err = io.StringIO(), io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.StringIO(job["token"])
    status = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            oracle.cmd_decrypt(argparse.Namespace(keys=job["keys"], purpose=job["purpose"], check_exp=False))
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else 1
    finally:
        sys.stdin = real_stdin
    results.append({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()[:500]})
sys.__stdout__.write(json.dumps(results))
`;

export function oracleBatch(jobs: readonly OracleJob[]): OracleVerdict[] {
  if (!jobs.length) return [];
  const r = spawnSync('/usr/bin/python3', ['-c', DRIVER, ORACLE], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`sdc-oracle (batched) failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  const results = JSON.parse(r.stdout) as { status: number; stdout: string; stderr: string }[];
  return results.map((x) =>
    x.status === 0 ? { accepted: true, value: pythonJson(x.stdout) } : { accepted: false, reason: x.stderr.trim() || `exit ${x.status}` },
  );
}

/** Python's json.dumps writes NaN and Infinity, which JSON.parse refuses: those stay text. */
function pythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.trim();
  }
}
