import { InvalidArgumentError } from 'commander';
import type { TrialResult } from '../api';
import {
  RECORD_FORMATS,
  recordPrinter,
  trialRecords,
  type LlamaBenchRecord,
  type RecordFormat,
  type RecordPrinter,
} from '../../common/llama-bench';

/** -o / -oe: one of llama-bench's formats */
export function parseRecordFormat(flag: string) {
  return (text: string): RecordFormat => {
    if (!(RECORD_FORMATS as readonly string[]).includes(text))
      throw new InvalidArgumentError(
        `${flag}: "${text}" is not a format; use one of ${RECORD_FORMATS.join(', ')}.`,
      );
    return text as RecordFormat;
  };
}

export interface RecordOutputOptions {
  /** -o, --output: records on stdout */
  output?: RecordFormat;
  /** -oe, --output-err: records on stderr */
  outputErr?: RecordFormat;
}

/**
 * llama-bench's -o and -oe: each finished trial's records go out as soon as it finishes, on stdout and/or
 * stderr. `human` is where lines for people go: stderr whenever stdout carries data, so a pipe reads
 * only records.
 */
export function createRecordOutput(options: RecordOutputOptions & { json?: boolean }) {
  if (options.json && options.output)
    throw new Error('--json and -o both print on stdout: pick one (or send the records to stderr with -oe).');
  const streams: { printer?: RecordPrinter; format: RecordFormat; write: (text: string) => void }[] = [];
  if (options.output) streams.push({ format: options.output, write: (text) => process.stdout.write(text) });
  if (options.outputErr)
    streams.push({ format: options.outputErr, write: (text) => process.stderr.write(text) });
  const emit = (text: string, write: (text: string) => void): void => {
    if (text) write(text);
  };
  const stdoutCarriesData = options.output !== undefined || options.json === true;
  return {
    /** lines for people */
    human: (text: string): void => {
      (stdoutCarriesData ? process.stderr : process.stdout).write(text);
    },
    stdoutCarriesData,
    /** before the first record: what will be measured (md chooses its columns from it) */
    start(expected: readonly Partial<LlamaBenchRecord>[]): void {
      for (const stream of streams) {
        stream.printer = recordPrinter(stream.format, expected);
        emit(stream.printer.start(), stream.write);
      }
    },
    trial(result: TrialResult): void {
      for (const record of trialRecords(result))
        for (const stream of streams) emit(stream.printer?.record(record) ?? '', stream.write);
    },
    end(): void {
      for (const stream of streams) emit(stream.printer?.end() ?? '', stream.write);
    },
  };
}
