import { describe, expect, it } from 'vitest';
import { missingBuildMessage } from './llama-library';

describe('missingBuildMessage: a llama.cpp build that did not load', () => {
  const reason = 'NoBinaryFoundError: NoBinaryFoundError';

  it('tells a desktop-app user that the app ships the cpu build only, and where a GPU build runs', () => {
    const message = missingBuildMessage('cuda', reason, true);
    expect(message).toContain("llama.cpp's cuda build is not available here (NoBinaryFoundError");
    expect(message).toContain("The desktop app ships llama.cpp's cpu build only");
    expect(message).toContain('run cuda trials from the CLI or serve of an npm install');
    expect(message).not.toContain('@node-llama-cpp/');
  });

  it('names the package and the driver for an npm install', () => {
    const message = missingBuildMessage('cuda', reason, false);
    expect(message).toMatch(
      /node-llama-cpp 3\.21\.1 ships prebuilt cuda builds in @node-llama-cpp\/\S+-cuda/,
    );
    expect(message).toContain('needs its driver and runtime installed; or run on the cpu.');
  });

  it('asks for npm ci when even the cpu build is missing; in the app, says its own build did not load', () => {
    expect(missingBuildMessage('cpu', reason, false)).toContain('run npm ci on a supported platform.');
    expect(missingBuildMessage('cpu', reason, true)).toContain(
      "The desktop app's own (cpu) llama.cpp build did not load on this machine.",
    );
  });
});
