// DESIGN: the renderer talks only to the ConsoleApi object, never to Node. tsconfig gives every
// folder Node's types, so the compiler would not notice an import of fs; this test does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const rendererSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/src');
const FORBIDDEN = new Set([...builtinModules, 'electron']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(d.name) ? [full] : [];
  });
}

describe('renderer boundary', () => {
  it('imports no Node built-ins, no electron and nothing from electron/', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(rendererSrc)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)) {
        const spec = (m[1] ?? m[2] ?? m[3])!;
        const bare = spec.replace(/^node:/, '').split('/')[0]!;
        const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : '';
        if (spec.startsWith('node:') || FORBIDDEN.has(bare) || resolved.includes(`${path.sep}electron${path.sep}`)) {
          offences.push(`${path.relative(rendererSrc, file)}: ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });
});
