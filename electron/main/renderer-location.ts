import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where the window's page comes from: electron-vite's dev server while developing
 * (ELECTRON_RENDERER_URL), the built files otherwise. Only pages under this origin/folder may call the
 * engine or be navigated to.
 */
export interface RendererLocation {
  /** what the window loads */
  url: string;
  /** is this URL one of our pages? */
  isOwnPage(url: string): boolean;
}

export function rendererLocation(devServerUrl: string | undefined): RendererLocation {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return { url: devServerUrl, isOwnPage: (url) => URL.canParse(url) && new URL(url).origin === origin };
  }
  const indexFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
  const indexUrl = pathToFileURL(indexFile).toString();
  return { url: indexUrl, isOwnPage: (url) => url.split(/[?#]/)[0] === indexUrl };
}
