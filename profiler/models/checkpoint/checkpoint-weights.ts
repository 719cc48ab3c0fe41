import { tensorBreakdown, type ModelSpec, type WeightTensor } from '../../../common/catalog';
import { isProjectionWeight } from '../synthetic/seeded-weights';
import type { WeightSource } from '../synthetic/weight-source';
import type { CheckpointFolder } from './checkpoint-folder';
import { CheckpointError } from './checkpoint-error';
import { checkFloatDtype } from './safetensors-file';

/**
 * The checkpoint's tensors as the graph builder's weight source. The graphs name their initializers
 * after the Hugging Face checkpoint names of each family (tensorBreakdown: `feed_forward` for
 * MobileLLM-R1, `mlp` elsewhere; q_norm / k_norm where the family has them; lm_head only when untied),
 * so the mapping is by name; a multimodal wrapper's `language_model.` prefix is looked through.
 * Projections are stored [out, in] and the graphs' MatMuls take [in, out]: they are transposed here, one
 * tensor at a time. MobileLLM-R1's interleaved RoPE needs no permutation: its graphs rotate adjacent
 * pairs, as Llama-4's complex-number RoPE does on the stored q/k rows.
 */

/** Tensors a checkpoint may carry that the graphs compute rather than store. */
function ignorable(name: string, spec: ModelSpec, prefix: string): boolean {
  if (name.endsWith('rotary_emb.inv_freq')) return true; // old checkpoints saved the RoPE buffer
  return spec.tieWordEmbeddings && name === `${prefix}lm_head.weight`; // a saved copy of the tied head
}

function checkpointPrefix(checkpoint: CheckpointFolder): string {
  if (checkpoint.tensors.has('model.embed_tokens.weight')) return '';
  if (checkpoint.tensors.has('language_model.model.embed_tokens.weight')) return 'language_model.';
  throw new CheckpointError(
    `${checkpoint.dir} has no model.embed_tokens.weight: it is not a decoder checkpoint of a supported family.`,
  );
}

/** Transposes a row-major [rows, columns] matrix. */
function transpose(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r += 1) {
    const row = r * columns;
    for (let c = 0; c < columns; c += 1) out[c * rows + r] = values[row + c]!;
  }
  return out;
}

/**
 * Checks every tensor the spec needs against the checkpoint (present, same shape, a float dtype) and
 * every tensor of the checkpoint against the spec (nothing left over); returns the name prefix its
 * tensors carry ('' or a multimodal wrapper's `language_model.`).
 */
export function checkCheckpointTensors(checkpoint: CheckpointFolder, spec: ModelSpec): string {
  const prefix = checkpointPrefix(checkpoint);
  const needed = tensorBreakdown(spec).filter((tensor) => tensor.sharedFrom === null);
  const used = new Set<string>();
  for (const tensor of needed) {
    const name = prefix + tensor.name;
    const stored = checkpoint.tensors.get(name);
    if (!stored) {
      throw new CheckpointError(
        `${checkpoint.dir} lacks ${name} [${tensor.shape.join(', ')}], which its config.json implies` +
          (tensor.name === 'lm_head.weight' ? ' (tie_word_embeddings is false)' : '') +
          ': is the config.json the checkpoint’s own, and the download complete?',
      );
    }
    if (stored.shape.join(',') !== tensor.shape.join(',')) {
      throw new CheckpointError(
        `${checkpoint.dir}: tensor ${name} is [${stored.shape.join(', ')}], but config.json implies ` +
          `[${tensor.shape.join(', ')}]: the config and the weights disagree.`,
      );
    }
    checkFloatDtype(stored, checkpoint.dir);
    used.add(name);
  }
  const leftOver = [...checkpoint.tensors.keys()].filter(
    (name) => !used.has(name) && !ignorable(name, spec, prefix),
  );
  if (leftOver.length > 0) {
    throw new CheckpointError(
      `${checkpoint.dir} holds ${leftOver.length} tensor(s) the ${spec.numHiddenLayers}-layer graph has no place ` +
        `for (${leftOver.slice(0, 4).join(', ')}${leftOver.length > 4 ? ', …' : ''}): its config.json does not ` +
        'describe these weights, and importing would drop them.',
    );
  }
  return prefix;
}

/** The checkpoint's tensors as the graph builder's weight source, after checkCheckpointTensors. */
export function checkpointWeightSource(checkpoint: CheckpointFolder, spec: ModelSpec): WeightSource {
  const prefix = checkCheckpointTensors(checkpoint, spec);

  const values = async (tensor: WeightTensor): Promise<Float32Array> => {
    const stored = await checkpoint.values(prefix + tensor.name);
    const [out, inWidth] = tensor.shape;
    return isProjectionWeight(tensor.name) && out !== undefined && inWidth !== undefined
      ? transpose(stored, out, inWidth)
      : stored;
  };
  return {
    kind: 'checkpoint',
    values,
    chunks: (tensor) =>
      isProjectionWeight(tensor.name)
        ? (async function* () {
            yield await values(tensor); // a transpose needs the whole matrix: one projection at a time
          })()
        : checkpoint.chunks(prefix + tensor.name),
  };
}
