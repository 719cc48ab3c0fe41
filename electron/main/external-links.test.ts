import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ shell: { openExternal: vi.fn(async () => undefined) } }));
const { isExternalLinkAllowed, openExternalLink } = await import('./external-links');

describe('external links', () => {
  it('lets only https and mailto out to the system', () => {
    expect(isExternalLinkAllowed('https://onnxruntime.ai/docs/')).toBe(true);
    expect(isExternalLinkAllowed('mailto:someone@example.com')).toBe(true);
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'smb://server/share',
      'javascript:alert(1)',
      'vscode://open?x',
      'not a url',
    ])
      expect(isExternalLinkAllowed(url)).toBe(false);
  });

  it('opens an allowed link and refuses the rest, with a warning', async () => {
    const open = vi.fn(async () => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(openExternalLink('https://huggingface.co/facebook/MobileLLM-R1-950M', open)).toBe(true);
    expect(open).toHaveBeenCalledWith('https://huggingface.co/facebook/MobileLLM-R1-950M');
    expect(openExternalLink('file:///etc/passwd', open)).toBe(false);
    expect(open).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('file:///etc/passwd'));
    warn.mockRestore();
  });

  it("uses Electron's shell by default", async () => {
    const { shell } = await import('electron');
    openExternalLink('https://onnxruntime.ai/docs/');
    expect(shell.openExternal).toHaveBeenCalledWith('https://onnxruntime.ai/docs/');
  });
});
