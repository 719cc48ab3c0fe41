import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

/**
 * A model folder's identity without reading its weights: the .onnx bytes hashed, plus the name and size
 * of each external data file (a changed weight file changes its size or, for a re-export, the .onnx).
 */
export async function modelFileHash(
  modelFile: string,
  externalFiles: readonly { name: string; bytes: number }[],
): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(modelFile, 'r');
  try {
    const buffer = Buffer.alloc(4 * 1024 * 1024);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  hash.update(JSON.stringify(externalFiles.map((file) => [file.name, file.bytes])));
  hash.update(String((await stat(modelFile)).size));
  return hash.digest('hex').slice(0, 16);
}
