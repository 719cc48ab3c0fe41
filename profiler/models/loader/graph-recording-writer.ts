import path from 'node:path';
import {
  asBytes,
  DataLocation,
  DEFAULT_IR_VERSION,
  defaultOpsetImports,
  PRODUCER_NAME,
  tensorByteSize,
  type ModelFields,
  type ModelProto,
  type ModelWriter,
  type ModelWriterOptions,
  type TensorProto,
  type TensorChunks,
  type WrittenModel,
} from '../../onnx';

/**
 * A ModelWriter that keeps the graph and the initializers' names, types and dims in memory and never
 * pulls a chunked tensor's data: a full-size synthetic build (up to 7 GB of fp32 weights) then costs
 * only its graph, for tests that count what the graph holds. Small tensors given whole keep their bytes
 * inline, as the file writer keeps them (its default 1024-byte threshold), so value rules still see
 * them; everything else is marked external, with no data file behind it.
 */
export interface GraphRecorder {
  /** for BuildOptions.createWriter */
  createWriter(options: ModelWriterOptions): ModelWriter;
  /** the model the last writer finished; throws before any finished */
  model(): ModelProto;
}

const INLINE_THRESHOLD_BYTES = 1024; // the file writer's default

export function graphRecorder(): GraphRecorder {
  let finished: ModelProto | undefined;
  return {
    createWriter(options) {
      const modelPath = path.join(options.dir, options.modelFileName ?? 'model.onnx');
      const initializers: TensorProto[] = [];
      let externalBytes = 0;
      const record = (name: string, dataType: number, dims: readonly number[], data?: ArrayBufferView) => {
        const bytes = tensorByteSize(dataType, dims);
        const inline = data !== undefined && bytes < INLINE_THRESHOLD_BYTES;
        if (!inline) externalBytes += bytes;
        const tensor: TensorProto = {
          name,
          data_type: dataType,
          dims: [...dims],
          ...(inline ? { raw_data: asBytes(data).slice() } : { data_location: DataLocation.EXTERNAL }),
        };
        initializers.push(tensor);
        return Promise.resolve(tensor);
      };
      return {
        modelPath,
        dataPath: `${modelPath}_data`,
        get externalDataBytes() {
          return externalBytes;
        },
        addInitializer: (name, dataType, dims, data) => record(name, dataType, dims, data),
        // the chunks are never iterated: that is what makes the weights free
        addInitializerChunks: (
          name: string,
          dataType: number,
          dims: readonly number[],
          _chunks: TensorChunks,
        ) => record(name, dataType, dims),
        finish(fields: ModelFields): Promise<WrittenModel> {
          finished = {
            ir_version: fields.irVersion ?? DEFAULT_IR_VERSION,
            opset_import: fields.opsetImports ?? defaultOpsetImports(fields.nodes),
            producer_name: PRODUCER_NAME,
            graph: {
              name: fields.graphName ?? 'main',
              node: fields.nodes,
              initializer: initializers,
              input: fields.inputs,
              output: fields.outputs,
              value_info: fields.valueInfo ?? [],
            },
          };
          return Promise.resolve({
            modelPath,
            dataPath: undefined,
            modelBytes: 0,
            externalDataBytes: externalBytes,
            initializerCount: initializers.length,
          });
        },
        abort: () => Promise.resolve(),
      };
    },
    model() {
      if (!finished) throw new Error('no model was finished with this recorder');
      return finished;
    },
  };
}
