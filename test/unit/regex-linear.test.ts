// Every regular expression in the console's code runs in time linear in its input: the browser-
// mode server runs everything on one event loop, so one backtracking pattern on a 200 KB claim
// would stop it for everyone. recheck (a ReDoS checker) proves each one, the literals found in the
// source and the few patterns built at run time, which are imported and checked as compiled.
import fs from 'node:fs';
import path from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KEY_FILE_PATTERN } from '../../shared/key-files';
import { DOWNSTREAM_FILE_PATTERN } from '../../shared/downstream/files';
import { PY_SPACE } from '../../shared/claims/formats';
import { METADATA_PATH, DATA_PATH } from '../../renderer/src/screens/downstream/model/problems';
import { REPO } from '../support/shared';

const ROOTS = ['shared', 'electron', 'renderer/src'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

interface Found {
  where: string;
  source: string;
  flags: string;
}

const literals: Found[] = [];
let constructed = 0;
for (const file of ROOTS.flatMap((r) => sourceFiles(path.join(REPO, r)))) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const raw = node.getText(sf);
      const end = raw.lastIndexOf('/');
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      literals.push({ where: `${path.relative(REPO, file)}:${line + 1}`, source: raw.slice(1, end), flags: raw.slice(end + 1) });
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') constructed++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** The patterns built with new RegExp(...), as the code compiles them. */
const BUILT: Record<string, RegExp> = {
  KEY_FILE_PATTERN,
  DOWNSTREAM_FILE_PATTERN,
  PY_SPACE,
  METADATA_PATH,
  DATA_PATH,
};

/**
 * 'safe', or why not. recheck proves small patterns exactly and fuzzes big ones against its own
 * backtracking model, which can call a pattern polynomial that V8 runs in linear time. So an attack
 * it reports is replayed on V8 itself at two sizes, four times apart: linear time grows about 4x,
 * quadratic 16x. A ratio over 8 (the best of up to three runs each) is the real thing.
 */
function verdict(source: string, flags: string): string {
  const plain = flags.replace(/[gy]/g, '');
  // A fixed seed: the fuzzing must not depend on luck from one run to the next.
  const result = checkSync(source, plain, { timeout: 60_000, randomSeed: 1 });
  if (result.status === 'safe') return 'safe';
  if (result.status !== 'vulnerable' || !result.attack) return `${result.status}: recheck could not decide`;
  const { pumps, suffix } = result.attack;
  const attack = (n: number) => pumps.map((p) => p.prefix + p.pump.repeat(n + p.bias)).join('') + suffix;
  const re = new RegExp(source, plain);
  const time = (text: string) => {
    let best = Infinity; // one run will do once it is slow enough to stand out from noise
    for (let i = 0; i < 3 && (i === 0 || best < 20); i++) {
      const start = performance.now();
      re.test(text);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  const unit = Math.max(
    1,
    pumps.reduce((n, p) => n + p.pump.length, 0),
  );
  const n = Math.ceil(5_000 / unit);
  const ratio = time(attack(4 * n)) / Math.max(time(attack(n)), 0.05);
  return ratio > 8 ? `vulnerable on V8 (${result.complexity.type}: 4x the input took ${ratio.toFixed(0)}x the time, e.g. ${result.attack.pattern})` : 'safe';
}

describe('regular expressions', () => {
  it('finds the patterns it is to check', () => {
    // A floor, so a parsing mistake that finds nothing cannot pass.
    expect(literals.length).toBeGreaterThan(40);
    expect(Object.keys(BUILT)).toHaveLength(constructed);
  });

  it('every literal in the source is linear', () => {
    const bad = literals.map((f) => ({ ...f, verdict: verdict(f.source, f.flags) })).filter((f) => f.verdict !== 'safe');
    expect(bad.map((f) => `${f.where} /${f.source}/${f.flags}: ${f.verdict}`)).toEqual([]);
  });

  it('every pattern built at run time is linear', () => {
    const bad = Object.entries(BUILT)
      .map(([name, re]) => [name, verdict(re.source, re.flags)] as const)
      .filter(([, v]) => v !== 'safe');
    expect(bad).toEqual([]);
  });
});
