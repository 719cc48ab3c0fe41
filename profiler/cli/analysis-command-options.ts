import { InvalidArgumentError, Option } from 'commander';
import type { LatencyGoal } from '../api';

/**
 * What `targets`, `kv`, `analyze` and `report` share: the --target and --goal flags. The engine resolves
 * the targets (and measures this machine's bandwidth when one is this machine).
 */

const goalUsage =
  'Write decode>=<tok/s> and/or ttft<=<ms>[@<prompt tokens>], comma-separated, e.g. decode>=10,ttft<=1000@1024.';

const positiveNumber = /^(\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A latency goal from `decode>=10,ttft<=1000@1024`: decode at least 10 tok/s on the target, TTFT at most
 * 1000 ms for a 1024-token prompt (without @, each trial's own prompt). Units may be written (10tok/s,
 * 1000ms). Errors name the part that is wrong.
 */
export function parseGoal(text: string): LatencyGoal {
  const goal: LatencyGoal = {};
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new InvalidArgumentError(`The goal is empty. ${goalUsage}`);
  for (const part of parts) {
    const match = /^([a-z]+)\s*(>=|<=|=>|=<|>|<|=)?\s*(.*)$/i.exec(part);
    const key = match?.[1]?.toLowerCase();
    const operator = match?.[2];
    const value = (match?.[3] ?? '').trim();
    if (key === 'decode') {
      if (operator !== '>=') {
        throw new InvalidArgumentError(`"${part}": decode takes >= (at least so many tok/s). ${goalUsage}`);
      }
      const number = value.replace(/\s*tok\/s$/i, '');
      if (!positiveNumber.test(number) || Number(number) <= 0) {
        throw new InvalidArgumentError(
          `"${part}": "${value}" is not a positive number of tok/s. ${goalUsage}`,
        );
      }
      if (goal.minDecodeTokensPerSecond !== undefined) {
        throw new InvalidArgumentError(`"${part}": the decode goal is given twice.`);
      }
      goal.minDecodeTokensPerSecond = Number(number);
    } else if (key === 'ttft') {
      if (operator !== '<=') {
        throw new InvalidArgumentError(`"${part}": ttft takes <= (at most so many ms). ${goalUsage}`);
      }
      const [msText = '', promptText, ...rest] = value.split('@').map((piece) => piece.trim());
      const ms = msText.replace(/\s*ms$/i, '');
      if (!positiveNumber.test(ms) || Number(ms) <= 0) {
        throw new InvalidArgumentError(`"${part}": "${msText}" is not a positive number of ms. ${goalUsage}`);
      }
      if (rest.length > 0 || (promptText !== undefined && !/^[1-9]\d*$/.test(promptText))) {
        throw new InvalidArgumentError(
          `"${part}": after @ comes the prompt length in whole tokens, e.g. ttft<=1000@1024.`,
        );
      }
      if (goal.maxTtftMs !== undefined)
        throw new InvalidArgumentError(`"${part}": the TTFT goal is given twice.`);
      goal.maxTtftMs = Number(ms);
      if (promptText !== undefined) goal.ttftPromptTokens = Number(promptText);
    } else {
      throw new InvalidArgumentError(
        `"${part}" is not a goal: it must start with decode or ttft. ${goalUsage}`,
      );
    }
  }
  return goal;
}

/** --goal, parsed (and refused with the bad part named) as commander reads it */
export function goalOption(): Option {
  return new Option('--goal <goal>', 'a latency goal, e.g. decode>=10,ttft<=1000@1024').argParser(parseGoal);
}

/**
 * --target, repeatable (a custom description contains commas, so values are collected, never split).
 * `scope` says where it applies, e.g. "html and md: ".
 */
export function targetOption(scope = ''): Option {
  return new Option(
    '--target <target>',
    `${scope}a device target: a preset id (see \`targets\`), this-machine, or ` +
      'name=…,ram=…,bandwidth=…[,reserve=…|budget=…]; repeat for several',
  )
    .argParser((value: string, previous: string[]) => [...previous, value])
    .default([], 'every preset and this machine');
}
