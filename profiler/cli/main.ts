import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { resolveDataDir, versionText } from '../engine';
import { assertBindAllowed } from '../serve/bind-policy';
import { registerAnalysisCommands } from './analysis-command';
import { cliEngine } from './cli-engine';
import { registerModelsCommand } from './models-command';
import { registerQuantizeCommands } from './quantize-command';
import { registerRunCommand } from './run-command';
import { registerRunsCommands } from './runs-command';
import { registerSweepCommand } from './sweep-command';
import { ensureRendererBuilt } from './renderer-dir';
import { startServe } from './serve-command';
import { formatBandwidth, formatSystemInfo } from './system-command';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one).');
  }
  return port;
}

function buildProgram(): Command {
  const program = new Command('edge-workbench')
    .description(
      'Edge LLM Workbench: which small reasoning model, at which quantization and context length, ' +
        'fits this device, and how fast does it run there.',
    )
    .version(versionText(), '-V, --version', 'print the app and onnxruntime versions')
    .option('--data-dir <dir>', 'data folder for runs, model cache and settings (env: EDGE_WORKBENCH_HOME)')
    .showHelpAfterError('(run edge-workbench --help for usage)')
    .exitOverride();

  program
    .command('system')
    .description('show onnxruntime, its execution providers, and this machine (CPU, RAM, GPUs, OS)')
    .option('--json', 'print one JSON document (the WorkbenchApi SystemInfo schema)')
    .option(
      '--measure-bandwidth',
      "measure the memory's read bandwidth (the roofline's bound) and onnxruntime's GEMV again, and print both",
    )
    .action(async (options: { json?: boolean; measureBandwidth?: boolean }) => {
      const engine = cliEngine(resolveDataDir(program.opts<{ dataDir?: string }>().dataDir));
      const info = await engine.system();
      if (!options.measureBandwidth) {
        process.stdout.write(
          options.json ? `${JSON.stringify(info, null, 2)}\n` : `${formatSystemInfo(info)}\n`,
        );
        return;
      }
      process.stderr.write("Measuring the memory bandwidth and onnxruntime's GEMV (a few seconds)…\n");
      const bandwidth = await engine.memoryBandwidth({ measure: true });
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...info, bandwidth }, null, 2)}\n`
          : `${formatSystemInfo(info)}\n\n${formatBandwidth(bandwidth)}\n`,
      );
      if (bandwidth.status !== 'measured') process.exitCode = 1;
    });

  program
    .command('serve')
    .description('serve the workbench UI and API to a browser (or a remote desktop app), guarded by a token')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to bind; 0 picks a free one', parsePort, 7420)
    .option('--allow-remote', 'allow binding an address other machines can reach', false)
    .option(
      '--allow-dir <dir>',
      "a folder clients may open models from, besides the data folder's models/ (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--name <name>', 'what runs and other workbenches call this machine (default: its hostname)')
    .action(
      async (options: {
        host: string;
        port: number;
        allowRemote: boolean;
        allowDir?: string[];
        name?: string;
      }) => {
        assertBindAllowed(options.host, options.allowRemote); // before any slow work
        const dataDir = resolveDataDir(program.opts<{ dataDir?: string }>().dataDir);
        await startServe({ ...options, dataDir, rendererDir: ensureRendererBuilt() });
      },
    );

  const dataDirOf = (): string => resolveDataDir(program.opts<{ dataDir?: string }>().dataDir);
  const engineOf = (): ReturnType<typeof cliEngine> => cliEngine(dataDirOf());
  registerModelsCommand(program, dataDirOf);
  registerRunCommand(program, engineOf);
  registerQuantizeCommands(program, dataDirOf, engineOf);
  registerSweepCommand(program, engineOf);
  registerRunsCommands(program, engineOf);
  registerAnalysisCommands(program, engineOf);

  return program;
}

/**
 * llama-bench's two-letter short flags, which commander would read as `-o e` and `-p g`: spelled out
 * before parsing.
 */
const LLAMA_BENCH_FLAGS: Readonly<Record<string, string>> = {
  '-oe': '--output-err',
  '-pg': '--prompt-gen',
};

/** Run the CLI; resolves to the exit code. Errors print as one line, never a stack (unless debugging). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv.map((arg) => LLAMA_BENCH_FLAGS[arg] ?? arg));
    // an action that finished but failed its purpose (a failed trial, an unmeasured bandwidth) says so here
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander already printed it
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`edge-workbench: ${message}\n`);
    if (process.env.EDGE_WORKBENCH_DEBUG) console.error(error);
    else process.stderr.write('(set EDGE_WORKBENCH_DEBUG=1 for details)\n');
    return 1;
  }
}
