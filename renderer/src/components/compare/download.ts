/** Browser downloads for exports and chart images: no Node, no dialogs, works in Electron and serve. */

function clickLink(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Saves text (an exported report) as a file via a Blob URL. */
export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  clickLink(url, fileName);
  // the click has started the download; the URL is not needed after this task
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Saves a chart's canvas as PNG. The canvas is transparent; the image gets the panel's background so it
 * reads the same outside the app.
 */
export function downloadCanvasPng(canvas: HTMLCanvasElement, fileName: string): void {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  let dataUrl: string;
  if (context) {
    const background = getComputedStyle(document.documentElement).getPropertyValue('--panel').trim();
    context.fillStyle = background || '#ffffff';
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(canvas, 0, 0);
    dataUrl = copy.toDataURL('image/png');
  } else {
    dataUrl = canvas.toDataURL('image/png');
  }
  clickLink(dataUrl, fileName);
}

/** "Run 2025-06-02 / fp32 vs int4" → "run-2025-06-02-fp32-vs-int4" */
export function fileSlug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'chart'
  );
}
