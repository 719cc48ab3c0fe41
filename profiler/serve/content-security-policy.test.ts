import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers';

/**
 * The renderer's CSP, where it is declared: the meta tag of renderer/index.html (the desktop window and
 * the built page serve sends) and serve's response header. None may let a script be made from a string
 * (`'unsafe-eval'`) or run inline (`'unsafe-inline'`), anywhere: an injected string must stay text.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function metaPolicy(htmlFile: string): string {
  const html = readFileSync(htmlFile, 'utf8');
  const tag = /<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*>/i.exec(html)?.[0];
  const content = tag && /content="([^"]*)"/i.exec(tag)?.[1];
  if (!content) throw new Error(`${htmlFile} declares no Content-Security-Policy meta tag`);
  return content;
}

const builtPage = path.join(repoRoot, 'out', 'renderer', 'index.html');
const policies: [string, string][] = [
  ['renderer/index.html (source)', metaPolicy(path.join(repoRoot, 'renderer', 'index.html'))],
  ["serve's Content-Security-Policy header", CONTENT_SECURITY_POLICY],
  ...(existsSync(builtPage)
    ? [['out/renderer/index.html (built)', metaPolicy(builtPage)] as [string, string]]
    : []),
];

describe.each(policies)('the CSP of %s', (_where, policy) => {
  const directives = parsePolicy(policy);

  it("has no 'unsafe-eval' nor 'unsafe-inline' anywhere", () => {
    expect(policy).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|unsafe-hashes/i);
  });

  it('runs scripts only from the page’s own origin', () => {
    const scripts = directives.get('script-src') ?? directives.get('default-src');
    expect(scripts).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });
});
