import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkbenchCallError } from '../api';
import { createModelRoots, isWithin, ModelPathRefused, resolveSweepModels } from './model-roots';

// realpath: on macOS the temp folder itself is behind a link (/var → /private/var)
const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ew-model-roots-')));
const models = path.join(base, 'models');
const sibling = path.join(base, 'models2'); // a prefix sibling: "/…/models2".startsWith("/…/models")
const outside = path.join(base, 'outside');
for (const dir of [models, sibling, outside, path.join(models, 'tiny'), path.join(outside, 'secret')]) {
  mkdirSync(dir, { recursive: true });
}
writeFileSync(path.join(models, 'tiny', 'model.onnx'), '');
symlinkSync(path.join(outside, 'secret'), path.join(models, 'escape'));
symlinkSync(path.join(models, 'tiny'), path.join(models, 'alias'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const roots = createModelRoots([models]);
const notUnder = /is not under a folder this workbench may open models from/;

describe('allowed model folders', () => {
  it('lists the allowed folders, absolute and real; allow() adds one, once', () => {
    const list = createModelRoots([path.relative(process.cwd(), models)]);
    expect(list.list()).toEqual([models]);
    list.allow(sibling);
    list.allow(`${sibling}/`);
    expect(list.list()).toEqual([models, sibling]);
    expect(createModelRoots('any').list()).toBe('any');
  });

  it('resolves a folder or an .onnx file under an allowed folder to its real path', async () => {
    await expect(roots.resolve(path.join(models, 'tiny'))).resolves.toBe(path.join(models, 'tiny'));
    await expect(roots.resolve(path.join(models, 'tiny', 'model.onnx'))).resolves.toBe(
      path.join(models, 'tiny', 'model.onnx'),
    );
    await expect(roots.resolve(models)).resolves.toBe(models);
    // a link inside the allowed folder to another place inside it is fine, and is followed
    await expect(roots.resolve(path.join(models, 'alias'))).resolves.toBe(path.join(models, 'tiny'));
  });

  it('refuses paths outside: plain, through "..", through a link that points out, and a prefix sibling', async () => {
    for (const refused of [
      path.join(outside, 'secret'),
      path.join(models, '..', 'outside', 'secret'),
      `${models}/tiny/../../outside/secret`,
      path.join(models, 'escape'),
      path.join(models, 'escape', 'model.onnx'),
      sibling,
      '/',
    ]) {
      await expect(roots.resolve(refused), refused).rejects.toThrow(notUnder);
    }
    await expect(roots.resolve(sibling)).rejects.toBeInstanceOf(ModelPathRefused);
  });

  it('names the path and says how to allow its folder', async () => {
    const error = (await roots.resolve(sibling).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(sibling);
    expect(error.message).toContain(models);
    expect(error.message).toMatch(/--allow-dir/);
    const custom = createModelRoots([models], { howToAllow: 'Use Open model folder….' });
    await expect(custom.resolve(sibling)).rejects.toThrow(/Use Open model folder…\.$/);
  });

  it('does not reveal whether a path outside exists: the same refusal either way', async () => {
    const existing = await roots.resolve(path.join(outside, 'secret')).catch((e: Error) => e.message);
    const missing = await roots.resolve(path.join(outside, 'nothing')).catch((e: Error) => e.message);
    expect(existing.replace('secret', 'X')).toBe(missing.replace('nothing', 'X'));
    // also behind a link that leads out: missing beyond it is "not under", not "does not exist"
    await expect(roots.resolve(path.join(models, 'escape', 'nothing'))).rejects.toThrow(notUnder);
  });

  it('says "does not exist" only for a missing path under an allowed folder', async () => {
    await expect(roots.resolve(path.join(models, 'missing'))).rejects.toThrow(/missing does not exist/);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses without opening anything: a FIFO outside would hang a reader',
    async () => {
      const fifo = path.join(outside, 'model.onnx');
      execFileSync('mkfifo', [fifo]);
      const started = performance.now();
      await expect(roots.resolve(fifo)).rejects.toThrow(notUnder);
      expect(performance.now() - started).toBeLessThan(1_000);
    },
  );

  it('keeps a root that does not exist yet, and allows paths under it once it does', async () => {
    const later = path.join(base, 'later');
    const lazy = createModelRoots([later]);
    expect(lazy.list()).toEqual([later]);
    await expect(lazy.resolve(path.join(later, 'm'))).rejects.toThrow(/does not exist/);
    mkdirSync(path.join(later, 'm'), { recursive: true });
    await expect(lazy.resolve(path.join(later, 'm'))).resolves.toBe(path.join(later, 'm'));
  });

  it("with 'any' (the CLI), only makes the path absolute and touches nothing", async () => {
    const any = createModelRoots('any');
    await expect(any.resolve('relative/model')).resolves.toBe(path.resolve('relative/model'));
    await expect(any.resolve('/no/such/model')).resolves.toBe(path.resolve('/no/such/model'));
  });
});

describe('isWithin', () => {
  it('is a path test, not a string prefix test', () => {
    expect(isWithin('/data/models', '/data/models')).toBe(true);
    expect(isWithin('/data/models', '/data/models/a/b')).toBe(true);
    expect(isWithin('/data/models', '/data/models/..hidden')).toBe(true);
    expect(isWithin('/data/models', '/data/models2')).toBe(false);
    expect(isWithin('/data/models', '/data')).toBe(false);
    expect(isWithin('/', '/anything')).toBe(true);
  });

  it('on Windows: ignores case, and a path on another drive is never inside', () => {
    expect(isWithin('C:\\Models', 'c:\\models\\tiny', path.win32)).toBe(true);
    expect(isWithin('C:\\Models', 'C:\\Models2\\tiny', path.win32)).toBe(false);
    expect(isWithin('C:\\Models', 'D:\\Models\\tiny', path.win32)).toBe(false);
    expect(isWithin('C:\\Models', '\\\\server\\share\\Models', path.win32)).toBe(false);
  });
});

describe('a sweep spec through the allowed folders', () => {
  it('replaces each model folder with its real path and leaves catalog models alone', async () => {
    const spec = {
      models: [
        { kind: 'folder' as const, path: path.join(models, 'alias') },
        { kind: 'catalog' as const, id: 'smollm2-135m' },
      ],
    };
    await expect(resolveSweepModels(spec, roots)).resolves.toEqual({
      models: [
        { kind: 'folder', path: path.join(models, 'tiny') },
        { kind: 'catalog', id: 'smollm2-135m' },
      ],
    });
  });

  it("turns a refusal into a 'forbidden' WorkbenchCallError, which doors report as it is", async () => {
    const spec = { models: [{ kind: 'folder' as const, path: sibling }] };
    const error = await resolveSweepModels(spec, roots).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkbenchCallError);
    expect(error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(notUnder) as unknown });
  });
});
